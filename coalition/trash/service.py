"""Deleting into the Trash, restoring from it, and purging it.

``discard`` is the one way the app deletes an ally, insurer, contact, issue, history entry,
task, evidence count, relationship or stance: it writes a :class:`TrashEntry` and marks the
row and everything that goes with it (only rows not already in the trash, so each row
belongs to exactly one deletion). ``restore`` clears the marks of one entry; ``purge``
erases entries older than ``TRASH_DAYS`` for good.

Rows are marked with UPDATE statements rather than through the ORM: an issue can take
hundreds of history entries and tasks along, and the audit trail should say "deleted" once
for what the person deleted, not "changed trash_id" for every row.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from coalition.models import (
    Ally,
    Chapter,
    Insurer,
    InsurerContact,
    Issue,
    IssueEvent,
    Relationship,
    Stance,
    User,
    utcnow,
)
from coalition.models.outreach import EvidenceCount, PreparationTick, Task, Touchpoint
from coalition.models.trash import WITH_TRASH, TrashEntry
from coalition.platform.rules import RuleBroken
from coalition.privacy import audit

TRASH_DAYS = 30

# Children before parents: the order in which a purge deletes.
PURGE_ORDER = (Touchpoint, Stance, Task, EvidenceCount, PreparationTick, IssueEvent,
               Relationship, Issue, InsurerContact, Ally, Insurer)

# How people call each kind of row, singular and plural (for "2 tasks").
NOUNS = {
    Ally: ("ally", "allies"), Insurer: ("insurer", "insurers"),
    InsurerContact: ("contact", "contacts"), Issue: ("issue", "issues"),
    IssueEvent: ("history entry", "history entries"), Task: ("task", "tasks"),
    EvidenceCount: ("evidence count", "evidence counts"),
    Relationship: ("relationship", "relationships"), Stance: ("stance", "stances"),
    Touchpoint: ("logged contact", "logged contacts"),
    PreparationTick: ("checklist tick", "checklist ticks"),
}
KIND_OF = {Ally: "ally", Insurer: "insurer", InsurerContact: "contact", Issue: "issue",
           IssueEvent: "event", Task: "task", EvidenceCount: "evidence",
           Relationship: "relationship", Stance: "stance"}
MODEL_OF = {kind: model for model, kind in KIND_OF.items()}
# Said in the question and the summary; checklist ticks are too small to mention.
MENTIONED = (InsurerContact, IssueEvent, Stance, Relationship, Touchpoint, Task, EvidenceCount)


class TrashError(RuleBroken):
    """Something cannot be deleted or restored as asked; the message says why."""


def with_trash(stmt):
    return stmt.execution_options(**{WITH_TRASH: True})


# --- what goes with what -----------------------------------------------------------------

def _ids(session: Session, stmt) -> list[int]:
    return list(session.scalars(stmt))


Family = dict[type, list[int]]


def _dependents(session: Session, model: type, chapter_id: int, ids: list[int]) -> dict[int, Family]:
    """For each id of ``model``, the live rows that go with it when it is deleted, by model
    (the row itself included). A handful of queries whatever the number of ids, so a page
    can ask its delete questions for every row it lists."""
    families: dict[int, Family] = {i: {model: [i]} for i in ids}
    if not ids:
        return families

    def add(owner: int, kind: type, ident: int) -> None:
        families[owner].setdefault(kind, []).append(ident)

    def grouped(kind: type, column, keys):
        return session.execute(select(kind.id, column).where(
            kind.chapter_id == chapter_id, column.in_(keys))).all() if keys else []

    def people(owners: dict[int, int], ally: bool) -> None:
        """Relationships, logged contacts and tasks of allies/contacts; ``owners`` maps each
        ally or contact id to the id whose family it joins."""
        keys = list(owners)
        a, b = ((Relationship.a_ally_id, Relationship.b_ally_id) if ally else
                (Relationship.a_contact_id, Relationship.b_contact_id))
        rels = session.execute(select(Relationship.id, a, b).where(
            Relationship.chapter_id == chapter_id, or_(a.in_(keys), b.in_(keys)))).all()
        rel_owner: dict[int, set[int]] = {}
        for rel_id, end_a, end_b in rels:
            for end in (end_a, end_b):
                if end in owners:
                    rel_owner.setdefault(rel_id, set()).add(owners[end])
        for rel_id, who in rel_owner.items():
            for owner in who:
                add(owner, Relationship, rel_id)
        for tp_id, rel_id in grouped(Touchpoint, Touchpoint.relationship_id, list(rel_owner)):
            for owner in rel_owner[rel_id]:
                add(owner, Touchpoint, tp_id)
        for task_id, key in grouped(Task, Task.ally_id if ally else Task.contact_id, keys):
            add(owners[key], Task, task_id)

    if model is Ally:
        for stance_id, ally_id in grouped(Stance, Stance.ally_id, ids):
            add(ally_id, Stance, stance_id)
        people({i: i for i in ids}, ally=True)
    elif model is InsurerContact:
        people({i: i for i in ids}, ally=False)
    elif model is Insurer:
        contacts = grouped(InsurerContact, InsurerContact.insurer_id, ids)
        for contact_id, insurer_id in contacts:
            add(insurer_id, InsurerContact, contact_id)
        if contacts:
            people({c: i for c, i in contacts}, ally=False)
    elif model is Issue:
        for kind in (IssueEvent, Stance, Task, EvidenceCount, PreparationTick):
            for row_id, issue_id in grouped(kind, kind.issue_id, ids):
                add(issue_id, kind, row_id)
    elif model is Relationship:
        for tp_id, rel_id in grouped(Touchpoint, Touchpoint.relationship_id, ids):
            add(rel_id, Touchpoint, tp_id)
    return families


def _children(session: Session, obj) -> Family:
    """The live rows that go with ``obj`` when it is deleted, by model (``obj`` included)."""
    return _dependents(session, type(obj), obj.chapter_id, [obj.id])[obj.id]


# The rows that go with an issue or a relationship point at it directly.
_DIRECT_PARTS = {Issue: ((IssueEvent, "issue_id"), (Stance, "issue_id"), (Task, "issue_id"),
                         (EvidenceCount, "issue_id"), (PreparationTick, "issue_id")),
                 Relationship: ((Touchpoint, "relationship_id"),)}


def _family_sizes(session: Session, model: type, chapter_id: int, ids: list[int]) -> dict[int, dict[type, int]]:
    """How many live rows of each model go with each id (the row itself included), as
    :func:`_dependents` would list them. A question needs only the numbers: an issue of a
    10,000-ally chapter takes thousands of stances along, which the database counts far
    faster than the page could read their ids (a third of the issue page's time)."""
    if model not in _DIRECT_PARTS:
        return {i: {kind: len(rows) for kind, rows in family.items()}
                for i, family in _dependents(session, model, chapter_id, ids).items()}
    sizes: dict[int, dict[type, int]] = {i: {model: 1} for i in ids}
    if not ids:
        return sizes
    for kind, name in _DIRECT_PARTS[model]:
        column = getattr(kind, name)
        for owner, n in session.execute(select(column, func.count(kind.id)).where(
                kind.chapter_id == chapter_id, column.in_(ids)).group_by(column)):
            sizes[owner][kind] = n
    return sizes


def _counted(rows: dict[type, int], main: type) -> str:
    """'1 history entry and 2 tasks' for what goes along with the main row (or '')."""
    parts = []
    for model in MENTIONED:
        n = rows.get(model, 0) - (1 if model is main else 0)
        if n > 0:
            singular, plural = NOUNS[model]
            parts.append(f"{n} {singular if n == 1 else plural}")
    if len(parts) > 1:
        return ", ".join(parts[:-1]) + " and " + parts[-1]
    return parts[0] if parts else ""


# --- naming ----------------------------------------------------------------------------

def _end_name(session: Session, rel: Relationship, side: str) -> str:
    kind, ident = rel.endpoint(side)
    if kind == "member":
        from coalition.models import Membership

        member = session.get(Membership, ident)
        return member.user.name if member is not None else "a former member"
    model = Ally if kind == "ally" else InsurerContact
    row = session.get(model, ident) or session.scalar(with_trash(select(model).where(model.id == ident)))
    return row.name if row is not None else "someone no longer listed"


def day(value) -> str:
    return value.strftime("%d %b %Y").lstrip("0") if value else "an unknown day"


def name_of(session: Session, obj) -> str:
    """How a person would name the row: 'the issue “12-visit cap”'."""
    if isinstance(obj, Ally):
        return obj.name
    if isinstance(obj, Insurer):
        return f"the insurer {obj.name}"
    if isinstance(obj, InsurerContact):
        insurer = session.get(Insurer, obj.insurer_id) or session.scalar(
            with_trash(select(Insurer).where(Insurer.id == obj.insurer_id)))
        return f"{obj.name} ({insurer.name})" if insurer else obj.name
    if isinstance(obj, Issue):
        return f"the issue “{obj.title}”"
    if isinstance(obj, IssueEvent | EvidenceCount | Task | Stance):
        if isinstance(obj, Task):
            return f"the task “{obj.title}”"
        issue = session.get(Issue, obj.issue_id) or session.scalar(
            with_trash(select(Issue).where(Issue.id == obj.issue_id)))  # usually in hand
        on = f"“{issue.title}”" if issue else "a deleted issue"
        if isinstance(obj, IssueEvent):
            return f"the history entry of {day(obj.occurred_on)} on {on}"
        if isinstance(obj, EvidenceCount):
            return f"the evidence count of {day(obj.observed_on)} on {on}"
        ally = session.get(Ally, obj.ally_id) or session.scalar(
            with_trash(select(Ally).where(Ally.id == obj.ally_id)))
        return f"{ally.name if ally else 'an ally'}’s stance on {on}"
    if isinstance(obj, Relationship):
        return (f"the relationship between {_end_name(session, obj, 'a')} "
                f"and {_end_name(session, obj, 'b')}")
    raise TypeError(f"{type(obj).__name__} does not go to the Trash")


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def key(obj) -> str:
    """'issue:12': how a template finds a row's question in :func:`questions`."""
    return f"{KIND_OF[type(obj)]}:{obj.id}"


def questions(session: Session, rows, verb: str = "Delete") -> dict[str, str]:
    """The delete questions of the rows a page shows, by :func:`key` (views compute them:
    templates read nothing from the database)."""
    by_model: dict[tuple[type, int], list] = {}
    for row in rows:
        by_model.setdefault((type(row), row.chapter_id), []).append(row)
    out = {}
    for (model, chapter_id), group in by_model.items():
        sizes = _family_sizes(session, model, chapter_id, [row.id for row in group])
        for row in group:
            out[key(row)] = _question(session, row, sizes[row.id], verb)
    return out


def _question(session: Session, obj, sizes: dict[type, int], verb: str) -> str:
    along = _counted(sizes, type(obj))
    return f"{verb} {name_of(session, obj)}{' with ' + along if along else ''}?"


def question(session: Session, obj, verb: str = "Delete") -> str:
    """The question asked before deleting: 'Delete the issue “X”, 1 history entry and
    2 tasks?'"""
    return _question(session, obj, _family_sizes(session, type(obj), obj.chapter_id, [obj.id])[obj.id], verb)


# --- deleting --------------------------------------------------------------------------

def refuse_if_needed(session: Session, obj) -> None:
    if isinstance(obj, Insurer):
        n = session.scalar(select(func.count(Issue.id)).where(
            Issue.chapter_id == obj.chapter_id, Issue.insurer_id == obj.id)) or 0
        if n:
            raise TrashError(f"{obj.name} still has {n} issue{'s' if n != 1 else ''}. "
                             "Delete or move those issues first.")


def _bump(session: Session, chapter_id: int) -> None:
    # Bulk UPDATEs pass no flush hook: say here that the chapter's data changed, so every
    # cache keyed by the data version (pages, analysis) forgets the deleted rows.
    session.execute(update(Chapter).where(Chapter.id == chapter_id)
                    .values(data_version=Chapter.data_version + 1))


def discard(session: Session, obj, actor_id: int | None = None) -> TrashEntry:
    """Move ``obj`` and what goes with it to its chapter's Trash; returns the entry."""
    refuse_if_needed(session, obj)
    session.flush()
    rows = _children(session, obj)
    kind = KIND_OF[type(obj)]
    entry = TrashEntry(chapter_id=obj.chapter_id, kind=kind, entity_id=obj.id,
                       deleted_by_id=actor_id if actor_id is not None else audit._actor_id(),
                       summary=_counted({k: len(v) for k, v in rows.items()}, type(obj)) or None)
    details = {}
    if isinstance(obj, InsurerContact):
        # The people who reported to the contact move up to its manager while it is away,
        # as they did when a contact was erased; restoring puts them back.
        reports = _ids(session, select(InsurerContact.id).where(
            InsurerContact.chapter_id == obj.chapter_id, InsurerContact.reports_to_id == obj.id))
        if reports:
            details["reports"] = reports
            details["manager"] = obj.reports_to_id
    entry.details = json.dumps(details) if details else None
    session.add(entry)
    session.flush()
    for model, ids in rows.items():
        session.execute(update(model).where(model.chapter_id == obj.chapter_id,
                                            model.id.in_(ids), model.trash_id.is_(None))
                        .values(trash_id=entry.id).execution_options(synchronize_session=False))
    if details.get("reports"):
        session.execute(update(InsurerContact).where(InsurerContact.id.in_(details["reports"]))
                        .values(reports_to_id=obj.reports_to_id)
                        .execution_options(synchronize_session=False))
    # The objects in hand still say "live"; nobody should use them after this.
    for model in rows:
        for ident in rows[model]:
            held = session.identity_map.get((model, (ident,), None))
            if held is not None:
                session.expunge(held)
    _bump(session, obj.chapter_id)
    audit.record(session, "deleted", type(obj).__name__, entry.entity_id, entry.chapter_id)
    return entry


# --- reading the trash -----------------------------------------------------------------

@dataclass
class Item:
    entry: TrashEntry
    name: str          # 'the issue “12-visit cap”'
    deleted_by: str    # a person's name, or 'someone'
    purge_on: datetime

    @property
    def id(self) -> int:
        return self.entry.id


def main_row(session: Session, entry: TrashEntry):
    model = MODEL_OF[entry.kind]
    return session.scalar(with_trash(select(model).where(model.id == entry.entity_id,
                                                         model.chapter_id == entry.chapter_id)))


def _main_rows(session: Session, entries) -> dict[int, object]:
    """The deleted row of each entry, by entry id (one query per kind, not per entry);
    entries whose row is gone (erased meanwhile) are missing."""
    wanted: dict[str, dict[tuple[int, int], int]] = {}
    for e in entries:
        wanted.setdefault(e.kind, {})[(e.chapter_id, e.entity_id)] = e.id
    found = {}
    for kind, keys in wanted.items():
        model = MODEL_OF[kind]
        for row in session.scalars(with_trash(select(model).where(
                model.id.in_([ident for _, ident in keys])))):
            entry_id = keys.get((row.chapter_id, row.id))
            if entry_id is not None:
                found[entry_id] = row
    return found


def items(session: Session, chapter_id: int, page: int = 1, per_page: int = 50):
    """The chapter's trash, newest first, as (items, total)."""
    total = session.scalar(select(func.count(TrashEntry.id))
                           .where(TrashEntry.chapter_id == chapter_id)) or 0
    entries = session.scalars(
        select(TrashEntry).where(TrashEntry.chapter_id == chapter_id)
        .order_by(TrashEntry.deleted_at.desc(), TrashEntry.id.desc())
        .limit(per_page).offset((page - 1) * per_page)).all()
    names = dict(session.execute(select(User.id, User.name).where(
        User.id.in_({e.deleted_by_id for e in entries if e.deleted_by_id}))).all())
    rows = _main_rows(session, entries)
    out = []
    for e in entries:
        row = rows.get(e.id)
        out.append(Item(e, name_of(session, row) if row is not None else "something already gone",
                        names.get(e.deleted_by_id, "someone"),
                        e.deleted_at + timedelta(days=TRASH_DAYS)))
    return out, total


def get_entry(session: Session, chapter_id: int, entry_id: int) -> TrashEntry | None:
    return session.scalar(select(TrashEntry).where(TrashEntry.id == entry_id,
                                                   TrashEntry.chapter_id == chapter_id))


def describe(session: Session, entry: TrashEntry) -> str:
    """'the issue “X” with 1 history entry and 2 tasks'"""
    row = main_row(session, entry)
    name = name_of(session, row) if row is not None else "it"
    return name + (f" with {entry.summary}" if entry.summary else "")


# --- restoring -------------------------------------------------------------------------

# Which columns of each model point at a row that must be live for the row to come back.
PARENTS = {
    Stance: (("ally_id", Ally), ("issue_id", Issue)),
    Relationship: (("a_ally_id", Ally), ("b_ally_id", Ally), ("a_contact_id", InsurerContact),
                   ("b_contact_id", InsurerContact)),
    Touchpoint: (("relationship_id", Relationship),),
    Task: (("issue_id", Issue), ("ally_id", Ally), ("contact_id", InsurerContact)),
    IssueEvent: (("issue_id", Issue),), EvidenceCount: (("issue_id", Issue),),
    PreparationTick: (("issue_id", Issue),),
    InsurerContact: (("insurer_id", Insurer),), Issue: (("insurer_id", Insurer),),
}


def _rows_of(session: Session, entry: TrashEntry) -> dict[type, list]:
    found = {}
    for model in PURGE_ORDER:
        rows = session.scalars(with_trash(select(model).where(model.trash_id == entry.id))).all()
        if rows:
            found[model] = rows
    return found


def _blocker(session: Session, entry: TrashEntry, rows: dict[type, list]) -> str | None:
    """Why the entry cannot come back yet, or None. One query per kind of parent, however
    many rows the entry holds (an issue may take hundreds of tasks along)."""
    needed: dict[type, set[int]] = {}
    for model, parents in PARENTS.items():
        for row in rows.get(model, ()):
            for column, parent_model in parents:
                if getattr(row, column) is not None:
                    needed.setdefault(parent_model, set()).add(getattr(row, column))
    # The parents that sit in another deletion of the Trash.
    elsewhere = {(parent_model, ident): trash_id
                 for parent_model, ids in needed.items()
                 for ident, trash_id in session.execute(with_trash(
                     select(parent_model.id, parent_model.trash_id)
                     .where(parent_model.id.in_(ids), parent_model.trash_id.is_not(None),
                            parent_model.trash_id != entry.id)))}
    for model, parents in PARENTS.items():
        for row in rows.get(model, ()):
            for column, parent_model in parents:
                trash_id = elsewhere.get((parent_model, getattr(row, column)))
                if trash_id is not None:
                    other = session.get(TrashEntry, trash_id)
                    what = describe(session, other) if other else name_of(session, session.scalar(
                        with_trash(select(parent_model).where(parent_model.id == getattr(row, column)))))
                    return (f"It needs {what}, which is in the Trash too. "
                            "Restore that first.")
    stances = rows.get(Stance, ())
    live = set(session.execute(select(Stance.ally_id, Stance.issue_id).where(
        Stance.ally_id.in_({s.ally_id for s in stances}),
        Stance.issue_id.in_({s.issue_id for s in stances})))) if stances else set()
    for stance in stances:
        if (stance.ally_id, stance.issue_id) in live:
            return (f"{_capital(name_of(session, stance))} has been set again since. "
                    "Remove the new stance first if you want the old one back.")
    return None


def restore(session: Session, entry: TrashEntry) -> tuple[object, str]:
    """Bring the entry's rows back; returns (the main row, what was restored in words).
    Refused with a reason when something it needs is in the Trash itself."""
    rows = _rows_of(session, entry)
    main = main_row(session, entry)
    if main is None or main.trash_id != entry.id:
        raise TrashError("This can no longer be restored: it was erased in the meantime.")
    reason = _blocker(session, entry, rows)
    if reason:
        raise TrashError(f"{_capital(name_of(session, main))} cannot be restored yet. {reason}")
    what = describe(session, entry)
    for model in rows:
        session.execute(update(model).where(model.trash_id == entry.id)
                        .values(trash_id=None).execution_options(synchronize_session=False))
    details = json.loads(entry.details) if entry.details else {}
    if details.get("reports"):
        # Back under the restored contact, unless someone has moved them since.
        session.execute(update(InsurerContact)
                        .where(InsurerContact.id.in_(details["reports"]),
                               InsurerContact.reports_to_id.is_(None)
                               if details.get("manager") is None else
                               InsurerContact.reports_to_id == details["manager"])
                        .values(reports_to_id=entry.entity_id)
                        .execution_options(synchronize_session=False))
    chapter_id, kind, ident = entry.chapter_id, entry.kind, entry.entity_id
    session.delete(entry)
    session.flush()
    _bump(session, chapter_id)
    audit.record(session, "restored", type(main).__name__, ident, chapter_id)
    session.expire_all()
    model = MODEL_OF[kind]
    return session.scalar(select(model).where(model.id == ident)), what


# --- purging ---------------------------------------------------------------------------

def _erase_entries(session: Session, entry_ids: list[int]) -> None:
    for model in PURGE_ORDER:
        session.execute(delete(model).where(model.trash_id.in_(entry_ids))
                        .execution_options(synchronize_session=False))
    session.execute(delete(TrashEntry).where(TrashEntry.id.in_(entry_ids))
                    .execution_options(synchronize_session=False))


def purge(session: Session, now: datetime | None = None, days: int = TRASH_DAYS) -> int:
    """Erase for good what has been in any chapter's trash for more than ``days`` days;
    returns how many entries went."""
    cutoff = (now or utcnow()) - timedelta(days=days)
    expired = session.execute(select(TrashEntry.id, TrashEntry.chapter_id, TrashEntry.kind,
                                     TrashEntry.entity_id)
                              .where(TrashEntry.deleted_at < cutoff)
                              .order_by(TrashEntry.deleted_at)).all()
    if not expired:
        return 0
    _erase_entries(session, [e.id for e in expired])
    for e in expired:
        audit.record(session, "purged", MODEL_OF[e.kind].__name__, e.entity_id, e.chapter_id,
                     actor_id=None)
    return len(expired)


def drop_empty_entries(session: Session, chapter_id: int) -> None:
    """Forget entries whose main row no longer exists (erased on request meanwhile)."""
    entries = session.scalars(select(TrashEntry).where(TrashEntry.chapter_id == chapter_id)).all()
    rows = _main_rows(session, entries)
    gone = [e.id for e in entries if e.id not in rows]
    if gone:
        _erase_entries(session, gone)
