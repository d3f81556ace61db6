"""One flush hook keeps the bookkeeping of changes out of the views:

* a value assigned that means what the stored one means (the same text with other line
  breaks, "" for nothing, 3 for "3", a date for its ISO text) is no change: the stored
  value stays, so a save that changes nothing writes nothing (``settle``);
* who created and last changed each tracked row (the logged-in user, if any);
* the chapter's ``data_version``, bumped once per flush that touches the chapter's data,
  so caches keyed by it are invalidated in every worker process at once;
* how many writes the session has made (:func:`writes`), so a view can tell a save that
  changed something from one that did not (``coalition.platform.forms.submit``).
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import event, inspect, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from coalition.models.accounts import Chapter, Membership
from coalition.models.base import ChapterOwned, Tracked


def _actor_id() -> int | None:
    try:
        from flask import has_request_context
        from flask_login import current_user
    except ImportError:  # pragma: no cover
        return None
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.id
    return None


def listen(session_factory, hooks: dict) -> None:
    """Register flush hooks on the app's session factory (``db.session``), once: sessions
    of other code in the process (scripts, other libraries) are left alone."""
    for name, hook in hooks.items():
        if not event.contains(session_factory, name, hook):
            event.listen(session_factory, name, hook)


def init_app(app) -> None:
    from coalition.platform.extensions import db

    listen(db.session, {"before_flush": _before_flush, "after_flush": _after_flush,
                        "do_orm_execute": _count_statement})


# --- what counts as a change ------------------------------------------------------------

def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def same_meaning(stored, assigned) -> bool:
    """True when ``assigned`` differs from ``stored`` only in form: browsers send line
    breaks as CR LF whatever was stored, forms send "" for nothing, and a value may arrive
    as text (3 and "3", a date and "2026-01-15")."""
    if stored is None or assigned is None:
        return stored in (None, "") and assigned in (None, "")
    if isinstance(stored, str) and isinstance(assigned, str):
        return _lines(stored) == _lines(assigned)
    if isinstance(stored, bool) or isinstance(assigned, bool):
        return stored is assigned
    if isinstance(assigned, str):
        stored, assigned = assigned, stored
    if isinstance(stored, str):  # the other one is not text
        if isinstance(assigned, int):
            return stored.strip() == str(assigned)
        if isinstance(assigned, date) and not isinstance(assigned, datetime):
            return stored.strip() == assigned.isoformat()
    return False


def settle(session: Session) -> None:
    """Put back the stored value of every attribute assigned a value of the same meaning
    (see :func:`same_meaning`): the row stays clean, and nothing is written for it."""
    for obj in session.dirty:
        state = inspect(obj)
        for attr in state.mapper.column_attrs:
            history = state.attrs[attr.key].history
            if history.added and history.deleted and \
                    same_meaning(history.deleted[0], history.added[0]):
                set_committed_value(obj, attr.key, history.deleted[0])


def writes(session: Session) -> int:
    """How many flushes and statements of this session have written something so far;
    compare two readings to know whether anything was written in between."""
    return session.info.get("writes", 0)


def _wrote(session: Session) -> None:
    session.info["writes"] = writes(session) + 1


def _count_statement(orm_execute_state) -> None:
    if orm_execute_state.is_insert or orm_execute_state.is_update or \
            orm_execute_state.is_delete:
        _wrote(orm_execute_state.session)


def _before_flush(session: Session, flush_context, instances) -> None:
    settle(session)
    if session.new or session.deleted or any(session.is_modified(obj)
                                             for obj in session.dirty):
        _wrote(session)
    actor = _actor_id()
    chapters: set[int] = set()
    for obj in session.new:
        if isinstance(obj, Tracked) and actor is not None:
            obj.created_by_id = obj.created_by_id or actor
            obj.updated_by_id = actor
    # session.dirty builds a new set on every access: read it once (an import merging
    # thousands of rows would otherwise take time growing with the square of their number).
    dirty = session.dirty
    for obj in dirty:
        if isinstance(obj, Tracked) and actor is not None and session.is_modified(obj):
            obj.updated_by_id = actor
    for obj in list(session.new) + list(dirty) + list(session.deleted):
        if isinstance(obj, (ChapterOwned, Membership)) and obj.chapter_id is not None:
            if obj in dirty and not session.is_modified(obj):
                continue
            chapters.add(obj.chapter_id)
    if chapters:
        session.info.setdefault("touched_chapters", set()).update(chapters)


def _after_flush(session: Session, flush_context) -> None:
    chapters = session.info.pop("touched_chapters", None)
    if chapters:
        # Executed on the flush's own connection: same transaction, no autoflush.
        session.connection().execute(
            update(Chapter)
            .where(Chapter.id.in_(sorted(chapters)))
            .values(data_version=Chapter.data_version + 1)
        )
