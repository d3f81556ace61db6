"""Saved map layouts: one per chapter for the chapter-wide map, one per issue map."""
from __future__ import annotations

import json
import math

from sqlalchemy import select
from sqlalchemy.orm import Session

from coalition.models import Chapter, MapLayout

MAX_POSITIONS = 50_000
MAX_ID_LENGTH = 64


class LayoutError(ValueError):
    """The positions sent are not a mapping of node ids to finite x/y numbers."""


def _find(session: Session, chapter: Chapter, issue_id: int | None) -> MapLayout | None:
    query = select(MapLayout).where(MapLayout.chapter_id == chapter.id)
    query = query.where(MapLayout.issue_id.is_(None) if issue_id is None
                        else MapLayout.issue_id == issue_id)
    return session.scalars(query.order_by(MapLayout.id).limit(1)).first()


def positions(session: Session, chapter: Chapter,
              issue_id: int | None) -> dict[str, tuple[float, float]]:
    """Saved positions ``{node id: (x, y)}``, empty when nothing was saved."""
    layout = _find(session, chapter, issue_id)
    if layout is None:
        return {}
    out = {}
    for node, pos in layout.position_map.items():
        try:
            out[node] = (float(pos["x"]), float(pos["y"]))
        except (KeyError, TypeError, ValueError):
            continue
    return out


def clean_positions(raw) -> dict[str, dict[str, float]]:
    """Validate what the page sent: ``{"ally:5": {"x": 1.5, "y": -2}, ...}``."""
    if not isinstance(raw, dict):
        raise LayoutError("positions must be an object of node ids")
    if len(raw) > MAX_POSITIONS:
        raise LayoutError(f"at most {MAX_POSITIONS} positions")
    out = {}
    for node, pos in raw.items():
        type_, sep, ident = str(node).partition(":")
        if not sep or not type_.isalpha() or not ident.isdigit() or len(node) > MAX_ID_LENGTH:
            raise LayoutError(f"not a node id: {str(node)[:MAX_ID_LENGTH]!r}")
        try:
            x, y = float(pos["x"]), float(pos["y"])
        except (KeyError, TypeError, ValueError):
            raise LayoutError(f"{node}: x and y must be numbers") from None
        if not (math.isfinite(x) and math.isfinite(y)):
            raise LayoutError(f"{node}: x and y must be finite")
        out[node] = {"x": round(x, 2), "y": round(y, 2)}
    return out


def save(session: Session, chapter: Chapter, issue_id: int | None, raw) -> MapLayout:
    """Replace the saved layout (an empty mapping clears it). The caller commits."""
    cleaned = clean_positions(raw)
    layout = _find(session, chapter, issue_id)
    if layout is None:
        layout = MapLayout(chapter_id=chapter.id, issue_id=issue_id)
        session.add(layout)
    layout.positions = json.dumps(cleaned, separators=(",", ":"), sort_keys=True)
    session.flush()
    return layout
