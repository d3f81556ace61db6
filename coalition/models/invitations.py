"""Invitations to join a chapter, sent by e-mail by its coordinators.

One row per chapter and address: inviting the same address again reuses it (a new link, a
new expiry), also after it was accepted or withdrawn. The link carries two random values,
signed with the secret key: ``key`` finds the row (and stays the same for the row's life, so
an old link can be told apart from a forged one) and a nonce whose sha256 is stored; a new
link replaces the nonce, so the old link stops working. Not chapter-tracked on purpose: an
invitation is access, not coalition data, and must not invalidate the chapter's caches."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coalition.models.base import Base, utcnow

INVITATION_ROLES = {"member": "Member", "coordinator": "Coordinator"}


class Invitation(Base):
    __tablename__ = "invitation"
    __table_args__ = (UniqueConstraint("chapter_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chapter_id: Mapped[int] = mapped_column(
        ForeignKey("chapter.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    # The name pasted with the address ("Ana Lima <ana@example.org>"), to fill in the form.
    name: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), default="member")
    invited_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    key: Mapped[str] = mapped_column(String(32), unique=True)
    nonce_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    sent_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime)
    accepted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime)

    chapter = relationship("Chapter")
    invited_by = relationship("User", foreign_keys=[invited_by_id])

    @property
    def is_open(self) -> bool:
        """Neither accepted nor withdrawn (it may have expired: a resend revives it)."""
        return self.accepted_at is None and self.withdrawn_at is None

    def is_expired(self, now: datetime | None = None) -> bool:
        return (now or utcnow()) >= self.expires_at

    @property
    def role_label(self) -> str:
        return INVITATION_ROLES.get(self.role, self.role)
