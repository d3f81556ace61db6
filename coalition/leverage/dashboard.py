"""What the chapter dashboard shows: counts, open issues and the newest activity."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from coalition.models import (
    ALLY_KINDS,
    STANCES,
    Ally,
    Chapter,
    Issue,
    IssueEvent,
    Membership,
    Relationship,
    Stance,
)
from coalition.models.outreach import OPEN_STATUSES, Task


@dataclass
class Activity:
    when: object
    text: str
    issue: Issue | None = None


def counts(session: Session, chapter: Chapter) -> dict[str, int]:
    def count(model, *where):
        return select(func.count(model.id)).where(model.chapter_id == chapter.id, *where) \
            .scalar_subquery()

    asked = {
        "allies": count(Ally, Ally.status == "active"),
        "pending_allies": count(Ally, Ally.status == "pending"),
        "committed": select(func.count(func.distinct(Stance.ally_id))).where(
            Stance.chapter_id == chapter.id, Stance.stance.in_(("champion", "supporter"))
        ).scalar_subquery(),
        "relationships": count(Relationship),
        "issues_open": count(Issue, Issue.closed_on.is_(None)),
        "members": count(Membership, Membership.status == "active"),
        "pending_members": count(Membership, Membership.status == "pending"),
    }
    # One round trip: the dashboard asks on every fresh render.
    answers = session.execute(select(*(q.label(key) for key, q in asked.items()))).one()
    return {key: int(value or 0) for key, value in zip(asked, answers, strict=True)}


def issues(session: Session, chapter: Chapter) -> list[Issue]:
    return session.scalars(
        select(Issue).where(Issue.chapter_id == chapter.id)
        .options(joinedload(Issue.insurer))  # the table shows each issue's insurer
        .order_by(Issue.closed_on.is_not(None), Issue.opened_on.desc(), Issue.id.desc())
    ).all()


def recent_activity(session: Session, chapter: Chapter, limit: int = 10) -> list[Activity]:
    events = session.scalars(
        select(IssueEvent).where(IssueEvent.chapter_id == chapter.id)
        .options(joinedload(IssueEvent.issue))  # each entry names its issue
        .order_by(IssueEvent.occurred_on.desc(), IssueEvent.id.desc()).limit(limit)
    ).all()
    allies = session.scalars(
        select(Ally).where(Ally.chapter_id == chapter.id)
        .order_by(Ally.created_at.desc(), Ally.id.desc()).limit(limit)
    ).all()
    items = [Activity(e.occurred_on, f"{e.kind_label}: {e.summary}", e.issue) for e in events]
    items += [Activity(a.created_at.date(), f"New ally: {a.name} ({a.kind_label})")
              for a in allies]
    items.sort(key=lambda item: item.when, reverse=True)
    return items[:limit]


# --- what changed and what is due -------------------------------------------------------------

CHANGES_DAYS = 7
SHOWN = 5  # names listed per kind of change; the rest are counted


@dataclass
class Change:
    """One kind of change of the last days: how many, and the first few in words."""

    key: str
    heading: str
    count: int
    lines: list[str] = field(default_factory=list)


def changes(session: Session, chapter: Chapter, today: date | None = None,
            days: int = CHANGES_DAYS) -> list[Change]:
    """What changed in the chapter in the last ``days`` days (the same for every viewer, so
    the cached dashboard stays one page per chapter and day): stances recorded or changed,
    new allies, tasks done and issues moved to another stage. Kinds with nothing are left out."""
    since_day = (today or date.today()) - timedelta(days=days)
    since = datetime.combine(since_day, time.min)
    cid = chapter.id

    def newest(stmt, order):
        # The newest few and how many in all, in one query (the count rides on each row).
        found = session.execute(stmt.add_columns(func.count().over().label("total"))
                                .order_by(order.desc()).limit(SHOWN)).all()
        return (found[0][-1] if found else 0), [tuple(row)[:-1] for row in found]

    found = []
    total, rows = newest(select(Ally.name, Stance.stance, Issue.title)
                         .join(Ally, Ally.id == Stance.ally_id).join(Issue, Issue.id == Stance.issue_id)
                         .where(Stance.chapter_id == cid, Stance.updated_at >= since), Stance.updated_at)
    found.append(Change("stances", "Stances recorded", total,
                        [f"{name}: {STANCES.get(st, st).lower()} on {title}" for name, st, title in rows]))
    total, rows = newest(select(Ally.name, Ally.kind).where(
        Ally.chapter_id == cid, Ally.status == "active", Ally.created_at >= since), Ally.created_at)
    found.append(Change("allies", "New allies", total,
                        [f"{name} ({ALLY_KINDS.get(kind, kind).lower()})" for name, kind in rows]))
    # A done task's last change is, as a rule, the one that marked it done.
    total, rows = newest(select(Task.title).where(
        Task.chapter_id == cid, Task.status == "done", Task.updated_at >= since), Task.updated_at)
    found.append(Change("tasks", "Tasks done", total, [title for title, in rows]))
    total, rows = newest(select(Issue.title, IssueEvent.summary)
                         .join(Issue, Issue.id == IssueEvent.issue_id)
                         .where(IssueEvent.chapter_id == cid, IssueEvent.kind == "stage_change",
                                IssueEvent.occurred_on >= since_day), IssueEvent.occurred_on)
    found.append(Change("stages", "Issues moved to another stage", total,
                        [f"{title}: {summary}" for title, summary in rows]))
    return [c for c in found if c.count]


@dataclass
class Due:
    overdue: list[Task]
    soon: list[Task]  # due within CHANGES_DAYS days
    signups: int  # ally sign-ups waiting for a coordinator
    members: int  # members waiting for approval


def due(session: Session, membership: Membership, counted: dict[str, int],
        today: date | None = None) -> Due:
    """The viewer's open tasks that are overdue or due this week, and (for coordinators)
    the sign-ups and members waiting for them."""
    today = today or date.today()
    rows = session.scalars(
        select(Task).where(Task.chapter_id == membership.chapter_id,
                           Task.owner_member_id == membership.id,
                           Task.status.in_(OPEN_STATUSES), Task.due_on.is_not(None),
                           Task.due_on <= today + timedelta(days=CHANGES_DAYS))
        .options(joinedload(Task.issue))  # each line names its issue
        .order_by(Task.due_on, Task.id)).all()
    coordinator = membership.is_coordinator
    return Due(overdue=[t for t in rows if t.due_on < today],
               soon=[t for t in rows if t.due_on >= today],
               signups=counted["pending_allies"] if coordinator else 0,
               members=counted["pending_members"] if coordinator else 0)


# --- the "largest gap" of each issue, said in a sentence ------------------------------------

_TARGET_WORDS = {"decision_maker": "decision maker", "medical_director": "medical director",
                 "regulator": "regulator"}


def _kinds(kinds: list[str]) -> str:
    names = [ALLY_KINDS.get(k, k).lower() for k in kinds]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _committed(s: dict) -> str:
    committed, champions = s.get("committed", 0), s.get("champions", 0)
    if not committed:
        return "No ally has said they support this issue yet."
    return (f"{committed} {'ally supports' if committed == 1 else 'allies support'} this issue"
            f" ({champions} {'champion' if champions == 1 else 'champions'}).")


def gap_sentence(s: dict) -> str:
    """The largest gap of one issue in plain words, naming its own missing piece: the person
    nobody reaches (with who comes closest), the kinds of allies missing, the stance count.
    ``s`` is a stored issue summary (coalition.leverage.network.results.IssueSummary)."""
    gap, missing, target = s.get("largest_gap"), s.get("missing_kinds") or [], s.get("gap_target")
    insurer = s.get("insurer_label") or "the insurer"
    parts = []
    if gap in ("decision_maker_access", "regulator_access") and target:
        who = f"{target['label']} ({_TARGET_WORDS.get(target['kind'], target['kind'])}"
        who += f" at {insurer})" if target["kind"] != "regulator" else ")"
        if not target.get("via"):
            parts.append(f"Nobody in the chapter can reach {who}.")
        elif not target.get("through"):
            parts.append(f"Only {target['via']} knows {who}, and not closely.")
        else:
            parts.append(f"Nobody knows {who} well: {target['via']} comes closest, through "
                         f"{', then '.join(target['through'])}.")
        if missing:
            parts.append(f"No {_kinds(missing)} supports this issue yet.")
        else:
            parts.append(_committed(s))
    elif gap == "kind_coverage" and missing:
        parts.append(f"No {_kinds(missing)} supports this issue yet.")
        parts.append(_committed(s))
    elif gap == "structural":
        parts.append("No coverage-gap region or unique service is recorded for this issue.")
        parts.append(_committed(s))
    else:  # commitment, or an access gap without a known target
        parts.append(_committed(s))
        if missing:
            parts.append(f"No {_kinds(missing)} supports it yet.")
    return " ".join(parts)
