"""The chapter's Trash: one entry per deletion, and the rule that hides what it holds.

Deleting an ally, insurer, contact, issue, history entry, task, evidence count or
relationship does not erase rows: it writes a :class:`TrashEntry` and sets ``trash_id`` on
the row and on everything that went with it (an issue's history, stances and tasks...).
Restoring clears those ``trash_id`` values again; purging erases the rows for good.

Hiding is global rather than a filter in every query: one ``do_orm_execute`` hook adds
``trash_id IS NULL`` for every trashable class to every ORM SELECT of every session
(pages, counts, the analysis, the map, exports, the API, background processes alike). A
query that must see the trash says so with ``execution_options(with_trash=True)``.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, event
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column, with_loader_criteria

from coalition.models.base import Base, Trashable, utcnow

WITH_TRASH = "with_trash"


class TrashEntry(Base):
    """One deletion: what was deleted (kind and id; its name is read from the row itself, so
    no personal data is copied here), by whom, when, and the counts of what went with it."""

    __tablename__ = "trash_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    chapter_id: Mapped[int] = mapped_column(
        ForeignKey("chapter.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # ally, insurer, contact, issue, event, ...
    entity_id: Mapped[int] = mapped_column(Integer)
    deleted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    deleted_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    # "2 history entries and 3 tasks": counts only, fixed when the deletion happened.
    summary: Mapped[str | None] = mapped_column(String(300))
    # Changes made to rows that stay (contacts moved up an org chart): undone on restore.
    details: Mapped[str | None] = mapped_column(Text)


def _hide_trash(state: ORMExecuteState) -> None:
    # Column loads refresh attributes of an object already in hand (after a commit, say):
    # hiding its row there would turn a plain attribute read into ObjectDeletedError.
    if (state.is_select and not state.is_column_load
            and not state.execution_options.get(WITH_TRASH, False)):
        state.statement = state.statement.options(
            with_loader_criteria(Trashable, lambda cls: cls.trash_id.is_(None),
                                 include_aliases=True))


def install() -> None:
    """Hide the trash from every ORM session of the process (idempotent)."""
    if not event.contains(Session, "do_orm_execute", _hide_trash):
        event.listen(Session, "do_orm_execute", _hide_trash)


install()
