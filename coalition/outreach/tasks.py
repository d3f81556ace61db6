"""Outreach tasks: who may change them, saving them (with the guard against overwriting a
newer version), the stance change a committed outcome brings, the lists ("my tasks", the
board) and the chain of tasks along an access path of the leverage analysis."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from coalition.models import (
    STANCES,
    Ally,
    Chapter,
    InsurerContact,
    Issue,
    IssueEvent,
    Membership,
    Stance,
    User,
)
from coalition.models.outreach import (
    OPEN_STATUSES,
    TASK_KINDS,
    TASK_OUTCOMES,
    TASK_STATUSES,
    Task,
)
from coalition.models.trash import TrashEntry
from coalition.outreach import notices
from coalition.platform.rules import Difference, RuleBroken, check_version, flush_or_conflict
from coalition.platform.rules import differences as compare
from coalition.trash import service as trash

TASK_FIELDS = ("title", "kind", "due_on", "status", "outcome", "outcome_notes", "follow_up")


class TaskError(RuleBroken):
    """A rule was broken (see coalition.platform.rules)."""


# --- who may do what -------------------------------------------------------------------

def can_change(task: Task, membership: Membership | None) -> bool:
    """Coordinators change all of the chapter's tasks; members only the tasks they own."""
    if membership is None or membership.chapter_id != task.chapter_id:
        return False
    return membership.is_coordinator or task.owner_member_id == membership.id


# --- choices ---------------------------------------------------------------------------

def member_choices(session: Session, chapter_id: int) -> list[tuple[int, str]]:
    rows = session.execute(
        select(Membership.id, User.name).join(User, User.id == Membership.user_id)
        .where(Membership.chapter_id == chapter_id, Membership.status == "active")
        .order_by(User.name, Membership.id)).all()
    return [(m, name) for m, name in rows]


def issue_choices(session: Session, chapter_id: int) -> list[tuple[int, str]]:
    rows = session.execute(
        select(Issue.id, Issue.title).where(Issue.chapter_id == chapter_id)
        .order_by(Issue.closed_on.is_not(None), Issue.title, Issue.id)).all()
    return [(i, t) for i, t in rows]


def target_choices(session: Session, chapter_id: int) -> list[tuple[str, str]]:
    """("ally:5", "Pat Patient (patient)") and ("contact:2", "Dana (Acme Health)")."""
    allies = session.execute(
        select(Ally.id, Ally.name, Ally.kind).where(
            Ally.chapter_id == chapter_id, Ally.status == "active").order_by(Ally.name)).all()
    contacts = session.scalars(
        select(InsurerContact).options(joinedload(InsurerContact.insurer))
        .where(InsurerContact.chapter_id == chapter_id).order_by(InsurerContact.name)).all()
    from coalition.models import ALLY_KINDS

    out = [(f"ally:{i}", f"Ally: {name} ({ALLY_KINDS.get(kind, kind).lower()})")
           for i, name, kind in allies]
    out += [(f"contact:{c.id}", f"Insurer contact: {c.name} ({c.insurer.name})")
            for c in contacts]
    return out


def target_key(task: Task) -> str:
    if task.ally_id:
        return f"ally:{task.ally_id}"
    if task.contact_id:
        return f"contact:{task.contact_id}"
    return ""


# --- saving ----------------------------------------------------------------------------

def _clean(value):
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _set_target(session: Session, task: Task, key: str | None) -> None:
    # Checked first, assigned after: the query below flushes the session, and a task
    # cleared of its target in between was written (and audited) twice on every save.
    ally_id = contact_id = None
    if key:
        kind, _, ident = key.partition(":")
        try:
            ident = int(ident)
        except ValueError:
            raise TaskError("Choose someone from the list.", "target") from None
        model = {"ally": Ally, "contact": InsurerContact}.get(kind)
        # The same people the form lists (target_choices): active allies and the contacts.
        active = [Ally.status == "active"] if model is Ally else []
        if model is None or session.scalar(select(model.id).where(
                model.id == ident, model.chapter_id == task.chapter_id, *active)) is None:
            raise TaskError("Choose someone from the list.", "target")
        if kind == "ally":
            ally_id = ident
        else:
            contact_id = ident
    task.ally_id, task.contact_id = ally_id, contact_id


def _set_issue(session: Session, task: Task, issue_id) -> None:
    found = session.scalar(select(Issue.id).where(
        Issue.id == issue_id, Issue.chapter_id == task.chapter_id)) if issue_id else None
    if found is None:
        raise TaskError("Choose one of the chapter's issues.", "issue_id")
    task.issue_id = found


def _set_owner(session: Session, task: Task, member_id) -> None:
    found = session.scalar(select(Membership.id).where(
        Membership.id == member_id, Membership.chapter_id == task.chapter_id,
        Membership.status == "active")) if member_id else None
    if found is None:
        raise TaskError("Choose one of the chapter's members.", "owner_member_id")
    task.owner_member_id = found


def _apply(session: Session, task: Task, data: dict, membership: Membership) -> None:
    # The look-ups below read other tables only: flushing the half-assigned task before
    # each of them would write one save as several changes.
    with session.no_autoflush:
        for name in TASK_FIELDS:
            if name in data:
                setattr(task, name, _clean(data[name]))
        if task.kind not in TASK_KINDS:
            raise TaskError("Choose a kind from the list.", "kind")
        if task.status not in TASK_STATUSES:
            raise TaskError("Choose a status from the list.", "status")
        if (task.outcome or "") not in TASK_OUTCOMES:
            raise TaskError("Choose an outcome from the list.", "outcome")
        _set_issue(session, task, data.get("issue_id"))
        _set_target(session, task, data.get("target"))
        if membership.is_coordinator:
            if data.get("owner_member_id"):
                _set_owner(session, task, data["owner_member_id"])
            elif task.id is None:  # a new task without an owner is the coordinator's own
                _set_owner(session, task, membership.id)
            # else the task keeps its owner, or none ("Nobody yet")
        else:  # a member plans tasks for themselves only
            task.owner_member_id = membership.id


def _require_consent(session: Session, task: Task) -> None:
    """Outreach to an ally needs their recorded consent to be contacted (a chapter
    member's own ally record counts as consented: they joined the chapter)."""
    if task.ally_id is None:
        return
    row = session.execute(select(Ally.consent, Ally.user_id).where(
        Ally.id == task.ally_id, Ally.chapter_id == task.chapter_id)).first()
    if row is not None and not row.consent and row.user_id is None:
        raise TaskError("This ally has not consented to be contacted, so no outreach task "
                        "can be planned for them. Record their consent on their page first.",
                        "target")


def create_task(session: Session, chapter: Chapter, data: dict,
                membership: Membership) -> tuple[Task, IssueEvent | None]:
    task = Task(chapter_id=chapter.id)
    _apply(session, task, data, membership)
    _require_consent(session, task)
    session.add(task)
    session.flush()
    notices.tasks_given(session, [(task, None)], membership)
    return task, apply_outcome(session, task, None, bool(data.get("champion")))


def update_task(session: Session, task: Task, data: dict, seen_version,
                membership: Membership) -> IssueEvent | None:
    """Save the typed values unless the task changed since the form showed
    ``seen_version``. Returns the stance-change event a committed outcome wrote, if any."""
    check_version(task, seen_version)
    before = (task.status, task.outcome)
    owner_before = task.owner_member_id
    _apply(session, task, data, membership)
    _require_consent(session, task)
    flush_or_conflict(session)
    notices.tasks_given(session, [(task, owner_before)], membership)
    return apply_outcome(session, task, before, bool(data.get("champion")))


# What each status's buttons on a task card offer: (new status, button label).
STATUS_MOVES = {
    "planned": [("in_progress", "Start"), ("done", "Mark done")],
    "in_progress": [("done", "Mark done"), ("planned", "Back to planned")],
    "done": [("planned", "Reopen")],
    "cancelled": [("planned", "Reopen")],
}


def change_status(session: Session, task: Task, status: str, seen_version,
                  membership: Membership) -> IssueEvent | None:
    """Move ``task`` to ``status`` (the task board's buttons and drag) unless it changed
    since the board showed ``seen_version``. The same status again writes nothing."""
    if status not in TASK_STATUSES:
        raise TaskError("Choose a status from the list.", "status")
    check_version(task, seen_version)
    if task.status == status:
        return None
    before = (task.status, task.outcome)
    task.status = status
    flush_or_conflict(session)
    return apply_outcome(session, task, before, False)


def apply_outcome(session: Session, task: Task, before: tuple | None,
                  champion: bool) -> IssueEvent | None:
    """A task done with the outcome "committed" makes its ally a supporter of the issue (a
    champion if asked), recorded in the issue's history. Does nothing for contacts, for
    other outcomes, or when the ally already stands there."""
    if task.status != "done" or task.outcome != "committed" or not task.ally_id:
        return None
    wanted = "champion" if champion else "supporter"
    if before == ("done", "committed") and not champion:
        return None
    stance = session.scalar(select(Stance).where(
        Stance.chapter_id == task.chapter_id, Stance.ally_id == task.ally_id,
        Stance.issue_id == task.issue_id))
    old = stance.stance if stance else None
    if old == wanted or (old == "champion" and wanted == "supporter"):
        return None  # never lower a champion to a supporter
    if stance is None:
        stance = Stance(chapter_id=task.chapter_id, ally_id=task.ally_id,
                        issue_id=task.issue_id)
        session.add(stance)
    stance.stance = wanted
    ally_name = session.scalar(select(Ally.name).where(Ally.id == task.ally_id))
    old_label = STANCES.get(old, old) if old else "no stance"
    event = IssueEvent(
        chapter_id=task.chapter_id, issue_id=task.issue_id, occurred_on=date.today(),
        kind="stance_change",
        summary=f"{ally_name}: stance changed from {old_label} to {STANCES[wanted]}"[:300],
        details=f"Outcome of the task “{task.title}” ({task.kind_label.lower()}).")
    session.add(event)
    session.flush()
    return event


def delete_task(session: Session, task: Task) -> TrashEntry:
    return trash.discard(session, task)


def differences(session: Session, task: Task, data: dict) -> list[Difference]:
    """The saved values next to the typed ones, for the conflict message."""
    issues = dict(issue_choices(session, task.chapter_id))
    members = dict(member_choices(session, task.chapter_id))
    targets = dict(target_choices(session, task.chapter_id))
    fields = {
        "title": ("Title", None), "kind": ("Kind", TASK_KINDS),
        "issue_id": ("Issue", issues), "target": ("Target", targets),
        "owner_member_id": ("Owner", members), "due_on": ("Due on", None),
        "status": ("Status", TASK_STATUSES), "outcome": ("Outcome", TASK_OUTCOMES),
        "outcome_notes": ("What happened", None), "follow_up": ("Follow-up", None),
    }
    saved = {name: getattr(task, name, None) for name in fields}
    saved["target"] = target_key(task)
    return compare(fields, saved, data)


# --- lists -----------------------------------------------------------------------------

def _with_refs(stmt):
    return stmt.options(
        joinedload(Task.issue), joinedload(Task.ally),
        joinedload(Task.contact).joinedload(InsurerContact.insurer),
        joinedload(Task.owner).joinedload(Membership.user))


def _order(stmt):
    return stmt.order_by(Task.due_on.is_(None), Task.due_on, Task.id)


def my_tasks(session: Session, membership: Membership) -> list[Task]:
    return list(session.scalars(_order(_with_refs(select(Task).where(
        Task.chapter_id == membership.chapter_id, Task.owner_member_id == membership.id)))))


def board(session: Session, chapter: Chapter, issue_id: int | None = None,
          owner_id: int | None = None) -> dict[str, list[Task]]:
    """The chapter's tasks by status (every status present, in order)."""
    stmt = _with_refs(select(Task).where(Task.chapter_id == chapter.id))
    if issue_id:
        stmt = stmt.where(Task.issue_id == issue_id)
    if owner_id:
        stmt = stmt.where(Task.owner_member_id == owner_id)
    columns: dict[str, list[Task]] = {status: [] for status in TASK_STATUSES}
    for task in session.scalars(_order(stmt)):
        columns.setdefault(task.status, []).append(task)
    return columns


def for_issue(session: Session, issue: Issue) -> list[Task]:
    return list(session.scalars(_order(_with_refs(select(Task).where(
        Task.chapter_id == issue.chapter_id, Task.issue_id == issue.id)))))


def open_for_issue(session: Session, issue: Issue) -> list[Task]:
    return [t for t in for_issue(session, issue) if t.status in OPEN_STATUSES]


# --- a chain of tasks along an access path ---------------------------------------------

def _node(value: str | None) -> tuple[str, int] | None:
    if not value or ":" not in value:
        return None
    kind, _, ident = value.partition(":")
    try:
        return kind, int(ident)
    except ValueError:
        return None


def find_path(analysis: dict, target_node: str | None, index, key: str | None = None
              ) -> dict | None:
    """The path to ``target_node`` in a cached issue analysis that the form showed, or None.

    ``key`` (:func:`path_key` of the path shown) names it: once the chapter's data changed,
    the analysis the form posts to may order the paths differently from the one the page
    showed, and the path at ``index`` would be another one. Without a key (a page from
    before keys), the path at ``index``."""
    for target in analysis.get("targets") or []:
        if target.get("node") == target_node:
            paths = target.get("paths") or []
            if key:
                return next((p for p in paths if path_key(p) == key), None)
            try:
                index = int(index)
            except (TypeError, ValueError):
                return None
            if 0 <= index < len(paths):
                return paths[index]
    return None


def path_key(path: dict) -> str:
    hops = path.get("hops") or []
    return ">".join([path.get("member", "")] + [h["to_node"] for h in hops])[:400]


def tasks_from_path(session: Session, issue: Issue, path: dict,
                    today: date | None = None, by: Membership | None = None) -> list[Task]:
    """One task per hop of the path, for the member who owns that link (the path's
    starting member when a link has no owner). ``path`` comes from the cached analysis,
    never from the form. Owners other than ``by``, who plans them, are told."""
    today = today or date.today()
    key = path_key(path)
    exists = session.scalar(select(Task.id).where(
        Task.chapter_id == issue.chapter_id, Task.issue_id == issue.id, Task.path_key == key,
        Task.status.in_(OPEN_STATUSES)).limit(1))
    if exists is not None:
        raise TaskError("Tasks along this path are already planned.")
    active = set(session.scalars(select(Membership.id).where(
        Membership.chapter_id == issue.chapter_id, Membership.status == "active")))
    start = _node(path.get("member"))
    start_member = start[1] if start and start[0] == "member" and start[1] in active else None
    hops = path.get("hops") or []
    target_label = path.get("target_label") or (hops[-1]["to_label"] if hops else "")
    created = []
    for number, hop in enumerate(hops, start=1):
        to = _node(hop.get("to_node"))
        if to is None or to[0] not in ("ally", "contact"):
            continue
        owner = hop.get("owner_member_id")
        owner = owner if owner in active else start_member
        last = number == len(hops)
        if last:
            title = f"Reach {hop['to_label']} about “{issue.title}”"
        else:
            title = f"Ask {hop['to_label']} for an introduction towards {target_label}"
        task = Task(chapter_id=issue.chapter_id, issue_id=issue.id,
                    kind="meeting" if last else "call", title=title[:200],
                    owner_member_id=owner, due_on=today + timedelta(days=7 * number),
                    status="planned", path_key=key,
                    follow_up=f"Step {number} of {len(hops)} on the path from "
                              f"{path.get('member_label', 'a member')} to {target_label}.")
        if to[0] == "ally":
            task.ally_id = session.scalar(select(Ally.id).where(
                Ally.id == to[1], Ally.chapter_id == issue.chapter_id))
        else:
            task.contact_id = session.scalar(select(InsurerContact.id).where(
                InsurerContact.id == to[1], InsurerContact.chapter_id == issue.chapter_id))
        _require_consent(session, task)  # one ally on the path without consent stops it all
        session.add(task)
        created.append(task)
    if not created:
        raise TaskError("This path has no step to plan.")
    session.flush()
    notices.tasks_given(session, [(task, None) for task in created], by)
    return created
