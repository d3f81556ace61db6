"""What the scheduled jobs remember, and the secret calendar links.

Not chapter-tracked on purpose: a job recording that it sent a reminder, or a calendar app
fetching a feed, must not bump the chapter's data version or a task's version (that would
make someone's open edit form fail with "someone saved first")."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Float, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from coalition.models.base import Base, utcnow


class SentNotice(Base):
    """One reminder or digest that was sent. The unique key makes a second run of a job, or
    a second consumer running it at the same time, send nothing more: whoever inserts the
    row first sends the message."""

    __tablename__ = "sent_notice"
    __table_args__ = (UniqueConstraint("kind", "user_id", "chapter_id", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # "due", "overdue", "digest"
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    chapter_id: Mapped[int] = mapped_column(
        ForeignKey("chapter.id", ondelete="CASCADE"), index=True)
    # "task:12:2026-11-02" (a task and the due date reminded of) or "week:2026-11-02".
    subject: Mapped[str] = mapped_column(String(60))
    sent_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class LeverageSnapshot(Base):
    """An issue's leverage score as the weekly digest saw it, to tell the change next week."""

    __tablename__ = "leverage_snapshot"
    __table_args__ = (UniqueConstraint("issue_id", "week"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chapter_id: Mapped[int] = mapped_column(
        ForeignKey("chapter.id", ondelete="CASCADE"), index=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("issue.id", ondelete="CASCADE"))
    week: Mapped[date] = mapped_column(Date)  # the Monday of the week
    score: Mapped[float] = mapped_column(Float)


class CalendarLink(Base):
    """A person's secret calendar address for one chapter. Only the sha256 of the token is
    kept; making a new one replaces it, so the old address stops working at once."""

    __tablename__ = "calendar_link"
    __table_args__ = (UniqueConstraint("user_id", "chapter_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    chapter_id: Mapped[int] = mapped_column(
        ForeignKey("chapter.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)
