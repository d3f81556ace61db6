"""One flush hook keeps two kinds of bookkeeping out of the views:

* who created and last changed each tracked row (the logged-in user, if any), and
* the chapter's ``data_version``, bumped once per flush that touches the chapter's data,
  so caches keyed by it are invalidated in every worker process at once.
"""
from __future__ import annotations

from sqlalchemy import event, update
from sqlalchemy.orm import Session

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

    listen(db.session, {"before_flush": _before_flush, "after_flush": _after_flush})


def _before_flush(session: Session, flush_context, instances) -> None:
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
