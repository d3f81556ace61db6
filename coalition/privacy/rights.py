"""Privacy rights of an ally: everything the chapter holds about them (JSON), and erasure.

Erasure deletes the ally row with its stances, relationships (and their touchpoints) and
the outreach tasks aimed at them, and keeps only a keyed hash of the e-mail address
(HMAC-SHA256 with the secret key) so that a later import or sign-up does not silently bring
the person back. The caller commits.
"""
from __future__ import annotations

import hashlib
import hmac
from datetime import date, datetime

from flask import current_app
from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from coalition.models import Ally, Chapter, Issue, Relationship, Stance
from coalition.models.outreach import Task, Touchpoint
from coalition.models.security import ConsentNotice, ErasedAlly
from coalition.privacy import audit
from coalition.trash import service as trash
from coalition.trash.service import with_trash


def email_hash(email: str, key: str | None = None) -> str:
    secret = key if key is not None else current_app.config["SECRET_KEY"]
    normalised = (email or "").strip().lower().encode("utf-8")
    return hmac.new(str(secret).encode("utf-8"), normalised, hashlib.sha256).hexdigest()


def is_erased(session: Session, chapter_id: int, email: str | None) -> bool:
    if not email or not email.strip():
        return False
    return session.scalar(select(ErasedAlly.id).where(
        ErasedAlly.chapter_id == chapter_id,
        ErasedAlly.email_hash == email_hash(email))) is not None


def erased_hashes(session: Session, chapter_id: int) -> set[str]:
    return set(session.scalars(select(ErasedAlly.email_hash).where(
        ErasedAlly.chapter_id == chapter_id)))


def _plain(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _columns(row, skip=()) -> dict:
    return {c.key: _plain(getattr(row, c.key)) for c in row.__mapper__.column_attrs
            if c.key not in skip}


# A person's data includes what sits in the Trash: exports show it and erasure removes it.
def _relationships(session: Session, ally: Ally) -> list[Relationship]:
    return list(session.scalars(with_trash(select(Relationship)).where(
        Relationship.chapter_id == ally.chapter_id,
        or_(Relationship.a_ally_id == ally.id, Relationship.b_ally_id == ally.id))
        .order_by(Relationship.id)))


def _tasks(session: Session, ally: Ally) -> list[Task]:
    return list(session.scalars(with_trash(select(Task)).where(
        Task.chapter_id == ally.chapter_id, Task.ally_id == ally.id).order_by(Task.id)))


def _stances(session: Session, ally: Ally) -> list[Stance]:
    return list(session.scalars(with_trash(select(Stance)).where(
        Stance.chapter_id == ally.chapter_id, Stance.ally_id == ally.id).order_by(Stance.id)))


def export_ally(session: Session, chapter: Chapter, ally: Ally) -> dict:
    """Everything the chapter holds about one ally, as plain JSON-ready data."""
    relationships = _relationships(session, ally)
    rel_ids = [r.id for r in relationships] or [-1]
    touchpoints = session.scalars(with_trash(select(Touchpoint)).where(
        Touchpoint.chapter_id == chapter.id, Touchpoint.relationship_id.in_(rel_ids))
        .order_by(Touchpoint.id)).all()
    stances = _stances(session, ally)
    titles = dict(session.execute(with_trash(select(Issue.id, Issue.title)).where(
        Issue.chapter_id == chapter.id, Issue.id.in_([s.issue_id for s in stances] or [-1]))).all())
    notice = session.scalar(select(ConsentNotice).where(
        ConsentNotice.id == ally.consent_notice_id,
        ConsentNotice.chapter_id == chapter.id)) if ally.consent_notice_id else None

    def endpoint_label(rel: Relationship, side: str) -> dict:
        kind, ident = rel.endpoint(side)
        obj = rel.endpoint_object(side)
        name = obj.user.name if kind == "member" and obj is not None else \
            getattr(obj, "name", None)
        return {"type": kind, "id": ident, "name": name}

    return {
        "chapter": {"name": chapter.name, "slug": chapter.slug},
        "exported_at": datetime.now().replace(microsecond=0).isoformat(),
        "ally": _columns(ally, skip=("chapter_id",)),
        "consent": {
            "given": bool(ally.consent),
            "at": _plain(ally.consent_at),
            "method": ally.consent_method,
            "notice": {"version": notice.version, "text": notice.text,
                       "published_at": _plain(notice.created_at)} if notice else None,
        },
        "stances": [dict(_columns(s, skip=("chapter_id",)), issue=titles.get(s.issue_id))
                    for s in stances],
        "relationships": [dict(_columns(r, skip=("chapter_id",)),
                               a=endpoint_label(r, "a"), b=endpoint_label(r, "b"))
                          for r in relationships],
        "touchpoints": [_columns(t, skip=("chapter_id",)) for t in touchpoints],
        "tasks": [_columns(t, skip=("chapter_id",)) for t in _tasks(session, ally)],
    }


def erase_ally(session: Session, chapter: Chapter, ally: Ally) -> None:
    """Remove the ally and everything tied to them; keep only the keyed e-mail hash."""
    if ally.chapter_id != chapter.id:
        raise ValueError("ally of another chapter")
    ally_id = ally.id
    if ally.email and not is_erased(session, chapter.id, ally.email):
        session.add(ErasedAlly(chapter_id=chapter.id, email_hash=email_hash(ally.email)))
    for task in _tasks(session, ally):
        session.delete(task)
    for rel in _relationships(session, ally):
        session.execute(delete(Touchpoint).where(Touchpoint.relationship_id == rel.id,
                                                 Touchpoint.chapter_id == chapter.id))
        session.delete(rel)
    for stance in _stances(session, ally):
        session.delete(stance)
    session.delete(ally)
    session.flush()
    trash.drop_empty_entries(session, chapter.id)
    audit.record(session, "erased", "Ally", ally_id, chapter.id)
