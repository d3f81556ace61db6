"""Personal access tokens for the JSON API.

A token belongs to one user and serves one chapter, for reading or for reading and
writing. Only the sha256 of the token is stored; the token itself is shown once, when it
is made. Not chapter-tracked on purpose: recording ``last_used_at`` must not bump the
chapter's data version."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coalition.models.base import Base, utcnow

TOKEN_SCOPES = {"read": "Read only", "read_write": "Read and write"}


class PersonalAccessToken(Base):
    __tablename__ = "personal_access_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    chapter_id: Mapped[int] = mapped_column(
        ForeignKey("chapter.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    # The first characters of the token, to recognise it in the list ("coal_AbC1…").
    hint: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scope: Mapped[str] = mapped_column(String(20), default="read")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)

    user = relationship("User")

    @property
    def can_write(self) -> bool:
        return self.scope == "read_write"

    @property
    def scope_label(self) -> str:
        return TOKEN_SCOPES.get(self.scope, self.scope)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
