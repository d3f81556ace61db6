"""The two ways a service refuses a change, and the optimistic locking behind the second.

``RuleBroken``: the person's input breaks a rule; the message is for them and ``field`` names
the form (or API body) field to blame. Pages show it beside that field
(``coalition.platform.forms.submit``); the API answers 422.

``VersionConflict``: the row changed since the person read it (every record with a ``version``
column: allies, issues, relationships, tasks). Nothing is written; pages show the saved values
next to the typed ones (the ``conflict_panel`` macro) and the API answers 409.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError


class RuleBroken(ValueError):
    """A rule was broken; the message is for the person, ``field`` names the field to blame."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class VersionConflict(Exception):
    """The row changed since the form or the request was read; nothing was written."""

    def __init__(self, message: str = "The row changed since you read it; nothing was written."):
        super().__init__(message)


def is_stale(row, seen_version) -> bool:
    """True when the form was filled in from another version than the row has now
    (a missing version counts as stale: we cannot know what the person saw)."""
    return str(seen_version if seen_version is not None else "").strip() != str(row.version)


def check_version(row, seen_version) -> None:
    """Refuse a change based on another version of ``row``."""
    if is_stale(row, seen_version):
        raise VersionConflict()


def flush_or_conflict(session: Session) -> None:
    """Flush; a row changed between our read and our write raises ``VersionConflict``."""
    try:
        session.flush()
    except StaleDataError as exc:
        raise VersionConflict() from exc


@dataclass
class Difference:
    """One field of a conflict: the saved value and the typed one, both for display."""

    label: str
    current: str
    typed: str

    @property
    def differs(self) -> bool:
        return self.current != self.typed


def shown(value, names: dict | None = None) -> str:
    """A value as the conflict panel shows it: names for ids and codes, dates as ISO."""
    if isinstance(value, str):
        value = value.strip()
    if value is None or value == "":
        return "—"
    if names is not None:
        return str(names.get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def differences(fields: dict[str, tuple[str, dict | None]], saved: dict,
                typed: dict) -> list[Difference]:
    """``fields`` maps a field name to its label and, for ids and codes, their names."""
    return [Difference(label, shown(saved.get(name), names), shown(typed.get(name), names))
            for name, (label, names) in fields.items()]
