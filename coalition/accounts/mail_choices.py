"""Which e-mail notices a person gets: their settings page and the unsubscribe link both
write here (``mail_opt_out``: one row per category switched off). The caller commits."""
from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coalition.models import Membership, User
from coalition.models.mail import MailOptOut
from coalition.platform.mail import CATEGORIES

# Categories only some people can receive, shown only to them.
_COORDINATORS_ONLY = {"signups"}


def switched_off(session: Session, user_id: int) -> set[str]:
    return set(session.scalars(select(MailOptOut.category).where(MailOptOut.user_id == user_id)))


def offered(session: Session, user: User) -> dict[str, str]:
    """The categories the person's settings page shows, with their labels: news of sign-ups
    only to people who coordinate a chapter."""
    coordinates = session.scalar(select(Membership.id).where(
        Membership.user_id == user.id, Membership.role == "coordinator",
        Membership.status == "active").limit(1)) is not None
    return {key: label for key, label in CATEGORIES.items()
            if coordinates or key not in _COORDINATORS_ONLY}


def save(session: Session, user: User, wanted: dict[str, bool]) -> None:
    """Switch each named category on or off; writes nothing for choices that stay as they
    are (a save without changes is quiet), and leaves unnamed categories alone."""
    off = switched_off(session, user.id)
    for category, on in wanted.items():
        if category not in CATEGORIES:
            raise ValueError(category)
        if on and category in off:
            session.execute(delete(MailOptOut).where(MailOptOut.user_id == user.id,
                                                     MailOptOut.category == category))
        elif not on and category not in off:
            session.add(MailOptOut(user_id=user.id, category=category))
    session.flush()


def stop(session: Session, user_id: int, category: str) -> None:
    """Switch one category off (the unsubscribe link); doing it twice changes nothing."""
    if category in switched_off(session, user_id):
        return
    try:
        # A savepoint: a mail program's one-click request and the person's own click may
        # arrive together, and the second insert then meets the first one's row.
        with session.begin_nested():
            session.add(MailOptOut(user_id=user_id, category=category))
    except IntegrityError:
        pass
