"""Which e-mail notices each person has switched off (``coalition.platform.mail``).

One row per person and category switched off: no row means the notice is wanted, so every
category is on for a new account and a category added later starts on for everyone."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from coalition.models.base import Base, utcnow


class MailOptOut(Base):
    __tablename__ = "mail_opt_out"
    # One row per choice: a second unsubscribe (a mail client's one-click and the person's
    # own click) finds the row instead of adding one.
    __table_args__ = (UniqueConstraint("user_id", "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    category: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
