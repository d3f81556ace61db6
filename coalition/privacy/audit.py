"""The audit trail: who created, changed, deleted, exported or erased what, and when.

Rows are written by a flush hook for every chapter-owned row and membership (created,
changed with the NAMES of the changed fields, deleted), by an after-request hook for
downloads from chapter pages (exported), and by explicit :func:`record` calls (erased,
account events). An entry never holds personal data: entity type, id, action, actor id,
chapter id and field names only, with control characters stripped from every text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from flask import Flask, g, request
from sqlalchemy import func, insert, inspect, select
from sqlalchemy.orm import Session

from coalition.models import Membership, User, utcnow
from coalition.models.base import ChapterOwned
from coalition.models.security import AuditEntry

ACTIONS = ("created", "changed", "deleted", "restored", "purged", "exported", "erased", "deactivated",
           "reactivated")
# Bookkeeping columns that say nothing about what a person changed.
IGNORED_FIELDS = {"created_at", "updated_at", "created_by_id", "updated_by_id", "version",
                  "data_version"}
SKIPPED_TYPES = {"AnalysisResult", "ImportJob"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def clean(text: object, limit: int = 200) -> str:
    """One line of plain text: CR, LF and other control characters removed."""
    return _CONTROL.sub("", str(text))[:limit]


def _actor_id() -> int | None:
    from coalition.models.tracking import _actor_id as actor

    return actor()


def _row(action: str, entity_type: str, entity_id, chapter_id, fields=(), actor_id=None):
    names = ",".join(sorted({clean(f, 60) for f in fields if f}))
    return {"action": clean(action, 20), "entity_type": clean(entity_type, 60),
            "entity_id": entity_id, "chapter_id": chapter_id,
            "actor_id": actor_id if actor_id is not None else _actor_id(),
            "fields": names[:1000] or None, "at": utcnow()}


def record(session: Session, action: str, entity_type: str, entity_id: int | None,
           chapter_id: int | None, fields=(), actor_id: int | None = None) -> None:
    """Add one entry in the session's transaction (the caller commits)."""
    session.execute(insert(AuditEntry), [_row(action, entity_type, entity_id, chapter_id,
                                              fields, actor_id)])


def _changed_fields(obj) -> list[str]:
    state = inspect(obj)
    names = []
    for attr in state.mapper.column_attrs:
        if attr.key in IGNORED_FIELDS:
            continue
        if state.attrs[attr.key].history.has_changes():
            names.append(attr.key)
    return names


def _audited(obj) -> bool:
    return isinstance(obj, (ChapterOwned, Membership)) and \
        type(obj).__name__ not in SKIPPED_TYPES


def _after_flush(session: Session, flush_context) -> None:
    rows = []
    for obj in session.new:
        if _audited(obj):
            rows.append(_row("created", type(obj).__name__, obj.id, obj.chapter_id))
    for obj in session.dirty:
        if _audited(obj) and session.is_modified(obj, include_collections=False):
            fields = _changed_fields(obj)
            if fields:
                rows.append(_row("changed", type(obj).__name__, obj.id, obj.chapter_id,
                                 fields))
    for obj in session.deleted:
        if _audited(obj):
            rows.append(_row("deleted", type(obj).__name__, obj.id, obj.chapter_id))
    if rows and not session.info.get("audit_off"):
        session.connection().execute(insert(AuditEntry), rows)


def init_app(app: Flask) -> None:
    from coalition.models.tracking import listen
    from coalition.platform.extensions import db

    listen(db.session, {"after_flush": _after_flush})
    app.after_request(_record_download)


def _record_download(response):
    """Downloads from chapter pages (exports, briefs, calendars) are recorded."""
    chapter = g.get("chapter")
    disposition = response.headers.get("Content-Disposition", "")
    if chapter is None or response.status_code != 200 or \
            not disposition.startswith("attachment"):
        return response
    from coalition.platform.extensions import db

    try:
        # The record downloaded (the ally, the issue of a brief) and the map's format, so
        # that the trail can say "exported the map (GraphML)"; never a personal detail.
        ids = [v for k, v in (request.view_args or {}).items() if k.endswith("_id") and isinstance(v, int)]
        fmt = request.args.get("format")
        record(db.session, "exported", request.endpoint or "download", ids[0] if ids else None, chapter.id,
               fields=[clean(fmt, 20)] if fmt else ())
        db.session.commit()
    except Exception:  # never lose the download for the record's sake
        db.session.rollback()
    return response


# --- reading the trail ------------------------------------------------------------------

@dataclass
class Filters:
    action: str | None = None
    entity_type: str | None = None
    actor_id: int | None = None


def entity_types(session: Session, chapter_id: int) -> list[str]:
    return list(session.scalars(
        select(AuditEntry.entity_type).where(AuditEntry.chapter_id == chapter_id)
        .distinct().order_by(AuditEntry.entity_type)))


def actors(session: Session, chapter_id: int) -> list[tuple[int, str]]:
    rows = session.execute(
        select(User.id, User.name).join(AuditEntry, AuditEntry.actor_id == User.id)
        .where(AuditEntry.chapter_id == chapter_id).distinct().order_by(User.name))
    return [(r.id, r.name) for r in rows]


def page(session: Session, chapter_id: int, filters: Filters, number: int, per_page: int = 50):
    stmt = select(AuditEntry).where(AuditEntry.chapter_id == chapter_id)
    if filters.action:
        stmt = stmt.where(AuditEntry.action == filters.action)
    if filters.entity_type:
        stmt = stmt.where(AuditEntry.entity_type == filters.entity_type)
    if filters.actor_id:
        stmt = stmt.where(AuditEntry.actor_id == filters.actor_id)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    pages = max(1, -(-total // per_page))
    number = min(max(1, number), pages)
    entries = session.scalars(stmt.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
                              .limit(per_page).offset((number - 1) * per_page)).all()
    names = dict(session.execute(select(User.id, User.name).where(
        User.id.in_({e.actor_id for e in entries if e.actor_id} or {-1}))).all())
    return {"entries": entries, "total": total, "page": number, "pages": pages,
            "names": names}
