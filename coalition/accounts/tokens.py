"""Personal access tokens: making them (the token is returned once, only its sha256 is
kept), revoking them, and finding who a presented token speaks for. The caller commits,
except ``authenticate``, which records ``last_used_at`` at most once a minute on its own."""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from coalition.models import Chapter, Membership, User, utcnow
from coalition.models.tokens import TOKEN_SCOPES, PersonalAccessToken
from coalition.platform.rules import RuleBroken

PREFIX = "coal_"
# 32 random bytes: 256 bits, far beyond guessing; url-safe base64 gives 43 characters.
RANDOM_BYTES = 32
LAST_USED_EVERY = timedelta(minutes=1)


class TokenError(RuleBroken):
    """A rule was broken (see coalition.platform.rules)."""


@dataclass(frozen=True)
class Caller:
    """Whom a valid token speaks for."""

    token: PersonalAccessToken
    user: User
    membership: Membership
    chapter: Chapter


def hash_token(plain: str) -> str:
    return hashlib.sha256(plain.encode("utf-8")).hexdigest()


def new_secret() -> str:
    return PREFIX + secrets.token_urlsafe(RANDOM_BYTES)


def create(session: Session, membership: Membership, name: str,
           scope: str) -> tuple[PersonalAccessToken, str]:
    """A new token of the member for the member's chapter; returns the row and the token,
    which is never stored and cannot be shown again."""
    name = (name or "").strip()
    if not name:
        raise TokenError("Give the token a name, for example the tool that will use it.", "name")
    if scope not in TOKEN_SCOPES:
        raise TokenError("Choose read only, or read and write.", "scope")
    if not membership.is_active:
        raise TokenError("Only active members of the chapter can make tokens.")
    plain = new_secret()
    row = PersonalAccessToken(user_id=membership.user_id, chapter_id=membership.chapter_id,
                              name=name[:100], scope=scope, hint=plain[:12],
                              token_hash=hash_token(plain))
    session.add(row)
    session.flush()
    return row, plain


def revoke(token: PersonalAccessToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = utcnow()


def can_revoke(token: PersonalAccessToken, membership: Membership | None) -> bool:
    """Everyone revokes their own tokens; coordinators any token of their chapter."""
    if membership is None or membership.chapter_id != token.chapter_id:
        return False
    return token.user_id == membership.user_id or membership.is_coordinator


def for_member(session: Session, membership: Membership) -> list[PersonalAccessToken]:
    return list(session.scalars(
        select(PersonalAccessToken).where(
            PersonalAccessToken.chapter_id == membership.chapter_id,
            PersonalAccessToken.user_id == membership.user_id)
        .order_by(PersonalAccessToken.revoked_at.is_not(None),
                  PersonalAccessToken.created_at.desc(), PersonalAccessToken.id.desc())))


def others_in_chapter(session: Session, membership: Membership) -> list[PersonalAccessToken]:
    """The active tokens of the chapter's other members (what a coordinator oversees)."""
    from sqlalchemy.orm import joinedload

    return list(session.scalars(
        select(PersonalAccessToken).options(joinedload(PersonalAccessToken.user))
        .where(PersonalAccessToken.chapter_id == membership.chapter_id,
               PersonalAccessToken.user_id != membership.user_id,
               PersonalAccessToken.revoked_at.is_(None))
        .order_by(PersonalAccessToken.created_at.desc(), PersonalAccessToken.id.desc())))


def authenticate(session: Session, plain: str | None) -> Caller | None:
    """The caller a presented token speaks for, or None when the token is unknown,
    revoked, or its user is deactivated or no longer an active member of the chapter."""
    if not plain or not plain.startswith(PREFIX) or len(plain) > 200:
        return None
    digest = hash_token(plain)
    token = session.scalar(select(PersonalAccessToken).where(
        PersonalAccessToken.token_hash == digest))
    if token is None or not hmac.compare_digest(token.token_hash, digest):
        return None
    if token.revoked_at is not None:
        return None
    user = session.get(User, token.user_id)
    if user is None or not user.active:
        return None
    membership = session.scalar(select(Membership).where(
        Membership.user_id == user.id, Membership.chapter_id == token.chapter_id,
        Membership.status == "active"))
    if membership is None:
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        token.last_used_at = now
        session.commit()
    return Caller(token, user, membership, session.get(Chapter, token.chapter_id))
