"""Pending and finished imports of allies and relationships.

The upload is parsed into rows and stored here; the commit step writes them in one
transaction and records its progress and report on the row. Not chapter-tracked on purpose:
recording progress must not bump the chapter's data version (the imported rows do)."""
from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from coalition.models.base import Base, utcnow

IMPORT_KINDS = {"allies": "Allies", "relationships": "Relationships"}
# uploaded -> ready | invalid; ready -> queued -> (checking -> writing) -> done | failed
IMPORT_STATUSES = ("ready", "invalid", "queued", "checking", "writing", "done", "failed")


class ImportJob(Base):
    __tablename__ = "import_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    chapter_id: Mapped[int] = mapped_column(
        ForeignKey("chapter.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="allies")
    status: Mapped[str] = mapped_column(String(20), default="ready")
    file_name: Mapped[str] = mapped_column(String(255))
    rows: Mapped[str] = mapped_column(Text, default="[]")  # JSON: [{"row": n, "values": {...}}]
    mapping: Mapped[str] = mapped_column(Text, default="{}")  # JSON: {header: field or null}
    errors: Mapped[str] = mapped_column(Text, default="[]")  # JSON: [{"row", "column", "reason"}]
    duplicates: Mapped[str | None] = mapped_column(String(10))  # "merge" or "skip"
    total: Mapped[int] = mapped_column(Integer, default=0)
    processed: Mapped[int] = mapped_column(Integer, default=0)
    report: Mapped[str | None] = mapped_column(Text)  # JSON: {"created": n, ...}
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)

    def load(self, name: str):
        return json.loads(getattr(self, name) or "null")

    @property
    def kind_label(self) -> str:
        return IMPORT_KINDS.get(self.kind, self.kind)
