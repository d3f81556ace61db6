"""What the reminder and digest jobs share: claiming a notice before sending it (so a job
run twice, or by two consumers at once, sends it once), links that work outside a request,
and dates in words."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from flask import current_app, has_request_context
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coalition.models.notices import SentNotice


def already_sent(session: Session, kind: str, subjects: list[str]) -> set[tuple[int, int, str]]:
    """(user id, chapter id, subject) of the notices of this kind sent about these subjects."""
    if not subjects:
        return set()
    rows = session.execute(select(SentNotice.user_id, SentNotice.chapter_id, SentNotice.subject)
                           .where(SentNotice.kind == kind, SentNotice.subject.in_(subjects)))
    return {tuple(row) for row in rows}


def claim(session: Session, kind: str, user_id: int, chapter_id: int, subject: str) -> bool:
    """Record that this notice is being sent, in a transaction of its own; False when it was
    already recorded (by an earlier run or another consumer), and then nothing is sent.
    Recording before sending means a crash in between loses one notice rather than sending
    it twice."""
    session.commit()  # whatever was read so far; the claim must stand alone
    session.add(SentNotice(kind=kind, user_id=user_id, chapter_id=chapter_id, subject=subject))
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return False
    return True


@contextmanager
def public_links() -> Iterator[None]:
    """A request context on ``PUBLIC_URL`` so ``url_for(..., _external=True)`` gives the
    address people open the app at (a job has no request of its own)."""
    if has_request_context():
        yield
        return
    app = current_app._get_current_object()
    with app.test_request_context(base_url=app.config["PUBLIC_URL"] or "http://localhost:5000"):
        yield


def day(value: date, today: date) -> str:
    """"Tuesday 3 November" (the year only when it is not this one's)."""
    text = f"{value:%A} {value.day} {value:%B}"
    return text if value.year == today.year else f"{text} {value.year}"
