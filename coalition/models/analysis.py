"""Stored results of the leverage analysis, shared by every worker process.

A row is valid for exactly one chapter data version, day and set of parameters; any change
to the chapter's data bumps its version. A page may show the newest older row, labelled
as such, while the current one is computed (``coalition.leverage.analysis``); older rows of a
subject are deleted when a newer result of it is stored. Not chapter-tracked on purpose:
writing a cached result must not itself bump the data version."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from coalition.models.base import Base, utcnow


class AnalysisResult(Base):
    __tablename__ = "analysis_result"
    __table_args__ = (UniqueConstraint("chapter_id", "data_version", "params", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chapter_id: Mapped[int] = mapped_column(
        ForeignKey("chapter.id", ondelete="CASCADE"), index=True)
    data_version: Mapped[int] = mapped_column(Integer)
    params: Mapped[str] = mapped_column(String(100))  # day and settings the result depends on
    subject: Mapped[str] = mapped_column(String(40))  # "issue:<id>", "summary", "map:<hash>"...
    payload: Mapped[str] = mapped_column(Text)  # JSON
    # When its computation read the data: the age pages show ("updated N seconds ago").
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
