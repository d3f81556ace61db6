"""Optimistic locking shared by every record with a ``version`` column (allies, issues,
relationships, tasks): a save based on an old version never overwrites; the person sees
the saved values next to the typed ones and decides."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError


def is_stale(row, seen_version) -> bool:
    """True when the form was filled in from another version than the row has now
    (a missing version counts as stale: we cannot know what the person saw)."""
    return str(seen_version if seen_version is not None else "").strip() != str(row.version)


def flush_or_conflict(session: Session, conflict: type[Exception]) -> None:
    """Flush; a row changed between our read and our write raises ``conflict``."""
    try:
        session.flush()
    except StaleDataError as exc:
        raise conflict() from exc


@dataclass
class Difference:
    """One field of a conflict: the saved value and the typed one, both for display."""

    label: str
    current: str
    typed: str

    @property
    def differs(self) -> bool:
        return self.current != self.typed
