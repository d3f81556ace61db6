"""Preparing an issue: the six-item checklist (partly ticked from the data, the rest by a
coordinator's hand) and moving the issue from stage to stage with a dated, reasoned entry
in its history."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coalition.leverage.network.scoring import COVERAGE_KINDS
from coalition.models import (
    ALLY_KINDS,
    COMMITTED_STANCES,
    ISSUE_STAGES,
    Ally,
    InsurerContact,
    Issue,
    IssueEvent,
    Stance,
)
from coalition.models.outreach import EvidenceCount, PreparationTick
from coalition.platform.rules import RuleBroken

FINAL_STAGES = ("resolved_agreement", "resolved_partial", "resolved_lost", "withdrawn")
DECISION_ROLES = ("decision_maker", "medical_director")
STRUCTURE_CONTACTS = 3
HISTORY_EVENTS = 3

ITEMS = {
    "structure": "Insurer structure mapped",
    "decision_makers": "Decision makers identified",
    "history": "History of the issue written up",
    "evidence": "Evidence gathered",
    "allies": "Allies of each needed kind committed",
    "ask": "The ask and the fallback defined",
}


class PreparationError(RuleBroken):
    """A rule was broken (see coalition.platform.rules)."""


@dataclass
class Item:
    key: str
    label: str
    automatic: bool  # met by the data
    ticked: bool  # ticked by hand
    explanation: str

    @property
    def done(self) -> bool:
        return self.automatic or self.ticked


@dataclass
class Checklist:
    items: list[Item]

    @property
    def done(self) -> int:
        return sum(1 for i in self.items if i.done)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def checklist(session: Session, issue: Issue) -> Checklist:
    chapter_id = issue.chapter_id
    contacts = session.execute(
        select(InsurerContact.role, InsurerContact.reports_to_id).where(
            InsurerContact.chapter_id == chapter_id,
            InsurerContact.insurer_id == issue.insurer_id)).all()
    structured = sum(1 for _, boss in contacts if boss is not None)
    deciders = sum(1 for role, _ in contacts if role in DECISION_ROLES)
    events = session.scalar(select(func.count(IssueEvent.id)).where(
        IssueEvent.chapter_id == chapter_id, IssueEvent.issue_id == issue.id)) or 0
    evidence = session.scalar(select(func.count(EvidenceCount.id)).where(
        EvidenceCount.chapter_id == chapter_id, EvidenceCount.issue_id == issue.id)) or 0
    committed_kinds = set(session.scalars(
        select(Ally.kind).join(Stance, Stance.ally_id == Ally.id).where(
            Stance.chapter_id == chapter_id, Stance.issue_id == issue.id,
            Stance.stance.in_(COMMITTED_STANCES), Ally.status == "active").distinct()))
    missing = [k for k in COVERAGE_KINDS if k not in committed_kinds]
    ticks = set(session.scalars(select(PreparationTick.item).where(
        PreparationTick.chapter_id == chapter_id, PreparationTick.issue_id == issue.id)))
    has_ask = bool((issue.desired_outcome or "").strip())
    has_fallback = bool((issue.fallback or "").strip())

    def item(key, automatic, explanation):
        return Item(key, ITEMS[key], automatic, key in ticks, explanation)

    return Checklist([
        item("structure", structured >= STRUCTURE_CONTACTS,
             f"{_plural(structured, 'contact')} with “reports to” set "
             f"(at least {STRUCTURE_CONTACTS} tick this automatically)."),
        item("decision_makers", deciders > 0,
             f"{_plural(deciders, 'decision maker or medical director')} on record."),
        item("history", events >= HISTORY_EVENTS,
             f"{events} {'history entry' if events == 1 else 'history entries'} "
             f"(at least {HISTORY_EVENTS} tick this automatically)."),
        item("evidence", evidence > 0, f"{_plural(evidence, 'evidence count')} recorded."),
        item("allies", not missing,
             "Every needed kind has a committed ally." if not missing else
             "Still missing: " + ", ".join(ALLY_KINDS.get(k, k).lower() for k in missing) + "."),
        item("ask", has_ask and has_fallback,
             "Desired outcome and fallback are filled in." if has_ask and has_fallback else
             "Missing: " + " and ".join(n for n, ok in (("desired outcome", has_ask),
                                                         ("fallback", has_fallback)) if not ok)
             + "."),
    ])


def set_tick(session: Session, issue: Issue, item: str, done: bool) -> None:
    if item not in ITEMS:
        raise PreparationError("Choose an item of the checklist.", "item")
    existing = session.scalar(select(PreparationTick).where(
        PreparationTick.chapter_id == issue.chapter_id, PreparationTick.issue_id == issue.id,
        PreparationTick.item == item))
    if done and existing is None:
        session.add(PreparationTick(chapter_id=issue.chapter_id, issue_id=issue.id, item=item))
    elif not done and existing is not None:
        session.delete(existing)


def change_stage(session: Session, issue: Issue, stage: str, reason: str,
                 today: date | None = None) -> IssueEvent:
    """Move the issue to ``stage`` and write the change, with its reason, to the history.
    A resolution stage closes the issue; leaving one reopens it."""
    today = today or date.today()
    reason = (reason or "").strip()
    if stage not in ISSUE_STAGES:
        raise PreparationError("Choose a stage from the list.", "stage")
    if stage == issue.stage:
        raise PreparationError(f"The issue is already at the stage "
                               f"“{ISSUE_STAGES[stage]}”.", "stage")
    if not reason:
        raise PreparationError("Say why the stage changes.", "reason")
    old = issue.stage
    issue.stage = stage
    if stage in FINAL_STAGES:
        issue.closed_on = issue.closed_on or today
    elif old in FINAL_STAGES:
        issue.closed_on = None
    event = IssueEvent(
        chapter_id=issue.chapter_id, issue_id=issue.id, occurred_on=today, kind="stage_change",
        summary=f"Stage changed from {ISSUE_STAGES.get(old, old)} to {ISSUE_STAGES[stage]}",
        details=reason)
    session.add(event)
    session.flush()
    return event
