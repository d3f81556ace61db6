"""Account and chapter operations shared by the set-up page, registration and the CLI."""
from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coalition.models import Chapter, Membership, User
from coalition.platform.rules import RuleBroken

MIN_PASSWORD = 12
MAX_PASSWORD = 128
SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")


class AccountError(RuleBroken):
    """A rule of accounts or chapters was broken; the message is for the person."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_password_rules(password: str, email: str | None = None,
                         name: str | None = None) -> None:
    """Length in characters (any Unicode counts), not a common password, not the person's
    own e-mail address or name."""
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"Use at least {MIN_PASSWORD} characters.", "password")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"Use at most {MAX_PASSWORD} characters.", "password")
    from coalition.accounts.passwords import is_common, is_personal

    if is_common(password):
        raise AccountError("This password is one of the most common ones; choose another.",
                           "password")
    if is_personal(password, email, name):
        raise AccountError("Do not use your e-mail address or name as the password.",
                           "password")


def hash_method() -> str:
    """Werkzeug's scrypt unless configured (the test suite uses cheaper parameters)."""
    from flask import current_app, has_app_context

    if has_app_context():
        return current_app.config["PASSWORD_HASH_METHOD"]
    return "scrypt"


def set_password(user: User, password: str) -> None:
    check_password_rules(password, user.email, user.name)
    user.set_password(password, method=hash_method())


def find_user(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalise_email(email)))


def create_user(session: Session, email: str, name: str, password: str, *,
                is_admin: bool = False) -> User:
    if find_user(session, email) is not None:
        raise AccountError("An account with this e-mail address exists already.", "email")
    user = User(email=normalise_email(email), name=name.strip(), is_admin=is_admin)
    set_password(user, password)
    session.add(user)
    session.flush()
    return user


def create_chapter(session: Session, name: str, slug: str, region: str | None = None) -> Chapter:
    slug = slug.strip().lower()
    if not SLUG_RE.match(slug):
        raise AccountError(
            "Use lower-case letters, digits and hyphens (e.g. 'oregon').", "slug")
    if session.scalar(select(Chapter.id).where(Chapter.slug == slug)) is not None:
        raise AccountError("A chapter with this short name exists already.", "slug")
    chapter = Chapter(name=name.strip(), slug=slug, region=(region or None))
    session.add(chapter)
    session.flush()
    return chapter


def create_chapter_as(session: Session, admin: User, name: str, slug: str, region: str | None,
                      *, coordinate: bool) -> Chapter:
    """A chapter made by an administrator, who becomes its first coordinator when
    ``coordinate``: the only way an administrator opens a chapter's pages."""
    chapter = create_chapter(session, name, slug, region)
    if coordinate:
        add_membership(session, admin, chapter, role="coordinator")
    return chapter


def add_membership(session: Session, user: User, chapter: Chapter, role: str = "member",
                   status: str = "active") -> Membership:
    membership = session.scalar(
        select(Membership).where(Membership.user_id == user.id,
                                 Membership.chapter_id == chapter.id))
    if membership is None:
        membership = Membership(user_id=user.id, chapter_id=chapter.id)
        session.add(membership)
    membership.role = role
    membership.status = status
    session.flush()
    return membership


def is_first_run(session: Session) -> bool:
    return (session.scalar(select(func.count(User.id))) or 0) == 0


def set_active(session: Session, user: User, active: bool) -> None:
    """Deactivate (ending every session at once) or reactivate an account."""
    user.active = active
    if not active:
        user.end_all_sessions()
    session.flush()
