"""Secret calendar links: each person may have one per chapter, an address their calendar
app subscribes to without logging in. The token is random (256 bits) and only its sha256
is stored, so it is shown once, when it is made; making a new one replaces it and turning
it off deletes it, and either way the old address answers 404 at once. The caller commits.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from coalition.models import Chapter, Issue, IssueEvent, Membership, User, utcnow
from coalition.models.notices import CalendarLink
from coalition.models.outreach import OPEN_STATUSES, Task
from coalition.outreach.tasks import _order, _with_refs

RANDOM_BYTES = 32
LAST_USED_EVERY = timedelta(hours=1)  # calendar apps poll every few hours; write rarely


@dataclass(frozen=True)
class Subscriber:
    """Whom a valid calendar token speaks for."""

    link: CalendarLink
    membership: Membership
    chapter: Chapter


def hash_token(plain: str) -> str:
    return hashlib.sha256(plain.encode("utf-8")).hexdigest()


def for_member(session: Session, membership: Membership) -> CalendarLink | None:
    return session.scalar(select(CalendarLink).where(
        CalendarLink.user_id == membership.user_id,
        CalendarLink.chapter_id == membership.chapter_id))


def make(session: Session, membership: Membership) -> str:
    """A new token for the member in their chapter, replacing any earlier one; returns the
    token, which is never stored."""
    plain = secrets.token_urlsafe(RANDOM_BYTES)
    link = for_member(session, membership)
    if link is None:
        link = CalendarLink(user_id=membership.user_id, chapter_id=membership.chapter_id,
                            token_hash=hash_token(plain))
        try:
            with session.begin_nested():  # another tab may have made one a moment ago
                session.add(link)
        except IntegrityError:
            link = for_member(session, membership)
    link.token_hash = hash_token(plain)
    link.created_at = utcnow()
    link.last_used_at = None
    session.flush()
    return plain


def turn_off(session: Session, membership: Membership) -> bool:
    """Delete the member's link; False when there was none."""
    link = for_member(session, membership)
    if link is None:
        return False
    session.delete(link)
    session.flush()
    return True


def find(session: Session, plain: str | None) -> Subscriber | None:
    """Who the token speaks for, or None when it is unknown or turned off, or its person
    is deactivated or no longer an active member of the chapter."""
    if not plain or len(plain) > 100:
        return None
    digest = hash_token(plain)
    link = session.scalar(select(CalendarLink).where(CalendarLink.token_hash == digest))
    if link is None or not hmac.compare_digest(link.token_hash, digest):
        return None
    found = session.execute(
        select(Membership, Chapter).join(User, User.id == Membership.user_id)
        .join(Chapter, Chapter.id == Membership.chapter_id)
        .where(Membership.user_id == link.user_id, Membership.chapter_id == link.chapter_id,
               Membership.status == "active", User.active.is_(True))).first()
    if found is None:
        return None
    return Subscriber(link, found.Membership, found.Chapter)


def needs_touch(link: CalendarLink) -> bool:
    return link.last_used_at is None or utcnow() - link.last_used_at >= LAST_USED_EVERY


def open_tasks(session: Session, membership: Membership) -> list[Task]:
    """The member's open tasks with a due date, in their chapter."""
    return list(session.scalars(_order(_with_refs(select(Task).where(
        Task.chapter_id == membership.chapter_id, Task.owner_member_id == membership.id,
        Task.status.in_(OPEN_STATUSES), Task.due_on.is_not(None))))))


def issue_events(session: Session, chapter_id: int) -> list[IssueEvent]:
    """Every dated entry of the chapter's issue histories."""
    return list(session.scalars(
        select(IssueEvent).join(Issue, Issue.id == IssueEvent.issue_id)
        .where(IssueEvent.chapter_id == chapter_id, Issue.chapter_id == chapter_id)
        .options(joinedload(IssueEvent.issue))
        .order_by(IssueEvent.occurred_on, IssueEvent.id)))
