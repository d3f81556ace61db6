"""Declarative base with a naming convention (stable constraint names in migrations) and
the mixins every chapter-owned row shares."""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, MetaData, event
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Tracked:
    """Who created and last changed the row, and when. Filled in by the flush hook in
    ``coalition.models.tracking`` so views never have to remember it."""

    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    @declared_attr
    def created_by_id(cls) -> Mapped[int | None]:
        return mapped_column(Integer, ForeignKey("user.id", ondelete="SET NULL"), nullable=True)

    @declared_attr
    def updated_by_id(cls) -> Mapped[int | None]:
        return mapped_column(Integer, ForeignKey("user.id", ondelete="SET NULL"), nullable=True)


class Trashable:
    """A row that can sit in the chapter's Trash: ``trash_id`` names the deletion that put it
    there. Every ORM query leaves such rows out (``coalition.models.trash``) unless it asks for
    them with ``execution_options(with_trash=True)``."""

    @declared_attr
    def trash_id(cls) -> Mapped[int | None]:
        # CASCADE: purging an entry removes its rows even if a caller forgets one.
        column = mapped_column(Integer, ForeignKey("trash_entry.id", ondelete="CASCADE"),
                               nullable=True)
        event.listen(column.column, "after_parent_attach", _index_trashed_rows)
        return column


def _index_trashed_rows(column, table) -> None:
    """``ix_<table>_trash_id`` over the trashed rows only: the Trash and a purge find them by
    it. Every page asks for ``trash_id IS NULL``, which a full index would also match, and
    SQLite, which keeps no statistics, then chose it over the selective index and read every
    row of the table (all stances to show 25 allies' stances)."""
    where = column.is_not(None)
    Index(f"ix_{table.name}_trash_id", column, sqlite_where=where, postgresql_where=where)


class ChapterOwned(Tracked):
    """A row that belongs to one chapter. Every read of such rows filters on chapter_id."""

    @declared_attr
    def chapter_id(cls) -> Mapped[int]:
        return mapped_column(
            Integer, ForeignKey("chapter.id", ondelete="CASCADE"), index=True, nullable=False
        )
