"""Saved arrangements of the network map: node positions per chapter, and per issue."""
from __future__ import annotations

import json

from sqlalchemy import ForeignKey, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from coalition.models.base import Base, ChapterOwned


class MapLayout(ChapterOwned, Base):
    """Positions of the map's nodes as a coordinator arranged them.

    ``issue_id`` is None for the chapter-wide map; otherwise the layout of that issue's
    map. ``positions`` is JSON text ``{"ally:5": {"x": 10.0, "y": -3.5}, ...}``; the
    creator and last editor come from ``Tracked`` (``updated_by_id``)."""

    __tablename__ = "map_layout"

    id: Mapped[int] = mapped_column(primary_key=True)
    issue_id: Mapped[int | None] = mapped_column(
        ForeignKey("issue.id", ondelete="CASCADE"), index=True, nullable=True
    )
    positions: Mapped[str] = mapped_column(Text, default="{}")
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    @property
    def position_map(self) -> dict[str, dict[str, float]]:
        try:
            value = json.loads(self.positions or "{}")
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}
