"""Security and privacy records: the audit trail, the keyed hashes of erased allies, and
the versioned consent notices people agree to on a chapter's public page."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column

from coalition.models.base import Base, utcnow


class AuditEntry(Base):
    """Who did what to which row, and when. Never personal data: ids, the action and the
    NAMES of the changed fields, not their values."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    chapter_id: Mapped[int | None] = mapped_column(
        ForeignKey("chapter.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(20), index=True)  # created, changed, ...
    entity_type: Mapped[str] = mapped_column(String(60), index=True)
    entity_id: Mapped[int | None] = mapped_column(Integer)
    fields: Mapped[str | None] = mapped_column(String(1000))  # comma separated names
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)

    @property
    def field_list(self) -> list[str]:
        return [f for f in (self.fields or "").split(",") if f]


class ErasedAlly(Base):
    """An ally erased on request: only a keyed hash of the e-mail address stays, so that an
    import or a sign-up does not silently bring the person back."""

    __tablename__ = "erased_ally"
    __table_args__ = (UniqueConstraint("chapter_id", "email_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chapter_id: Mapped[int] = mapped_column(
        ForeignKey("chapter.id", ondelete="CASCADE"), index=True)
    email_hash: Mapped[str] = mapped_column(String(64))
    erased_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ConsentNotice(Base):
    """The exact wording a person agrees to on the public sign-up page. A notice in use is
    never edited: a new version supersedes it."""

    __tablename__ = "consent_notice"
    __table_args__ = (UniqueConstraint("chapter_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chapter_id: Mapped[int] = mapped_column(
        ForeignKey("chapter.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class NoticeIsFinal(ValueError):
    """A consent notice's wording cannot change once written; add a new version."""


@event.listens_for(ConsentNotice, "before_update")
def _refuse_edit(mapper, connection, target) -> None:
    raise NoticeIsFinal("A consent notice cannot be edited; publish a new version.")
