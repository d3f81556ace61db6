"""The record of the chapter's issues: listing and filtering them, saving them (with the
stage history and the guard against overwriting someone else's change) and the dated
events that make up each issue's history."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from coalition.models import (
    EVENT_KINDS,
    ISSUE_CATEGORIES,
    ISSUE_STAGES,
    Chapter,
    Insurer,
    Issue,
    IssueEvent,
    User,
)
from coalition.models.trash import TrashEntry
from coalition.platform.rules import Difference, RuleBroken, check_version, flush_or_conflict
from coalition.platform.rules import differences as compare
from coalition.trash import service as trash

ISSUE_FIELDS = ("title", "category", "stage", "description", "desired_outcome", "fallback",
                "coverage_gap_regions", "unique_services", "opened_on", "closed_on")
EVENT_FIELDS = ("occurred_on", "kind", "summary", "details")
FINAL_STAGES = ("resolved_agreement", "resolved_partial", "resolved_lost", "withdrawn")


class IssueError(RuleBroken):
    """A rule was broken (see coalition.platform.rules)."""


# --- reading ---------------------------------------------------------------------------

@dataclass
class IssueFilters:
    status: str = "open"      # open | closed | all
    stage: str = ""
    category: str = ""
    insurer_id: int | None = None


def list_issues(session: Session, chapter: Chapter, filters: IssueFilters) -> list[Issue]:
    query = issues_query(chapter, filters).order_by(Issue.opened_on.desc(), Issue.id.desc())
    return list(session.scalars(query))


def issues_query(chapter: Chapter, filters: IssueFilters):
    """The chapter's issues matching ``filters``, unordered (the caller orders or pages)."""
    query = (select(Issue).options(joinedload(Issue.insurer))
             .where(Issue.chapter_id == chapter.id))
    if filters.status == "open":
        query = query.where(Issue.closed_on.is_(None))
    elif filters.status == "closed":
        query = query.where(Issue.closed_on.is_not(None))
    if filters.stage:
        query = query.where(Issue.stage == filters.stage)
    if filters.category:
        query = query.where(Issue.category == filters.category)
    if filters.insurer_id:
        query = query.where(Issue.insurer_id == filters.insurer_id)
    return query


def history(session: Session, issue: Issue) -> list[IssueEvent]:
    """The issue's events, newest first."""
    return list(session.scalars(
        select(IssueEvent)
        .where(IssueEvent.chapter_id == issue.chapter_id, IssueEvent.issue_id == issue.id)
        .order_by(IssueEvent.occurred_on.desc(), IssueEvent.id.desc())))


def author_names(session: Session, events: list[IssueEvent]) -> dict[int, str]:
    """Names of the people who recorded the events, in one query."""
    ids = {e.created_by_id for e in events if e.created_by_id}
    if not ids:
        return {}
    return dict(session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())


def chapter_insurer(session: Session, chapter: Chapter, insurer_id: int | None) -> Insurer:
    insurer = session.scalar(select(Insurer).where(
        Insurer.id == insurer_id, Insurer.chapter_id == chapter.id)) if insurer_id else None
    if insurer is None:
        raise IssueError("Choose one of the chapter's insurers.", "insurer_id")
    return insurer


# --- issues ----------------------------------------------------------------------------

def _clean(value):
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _apply(issue: Issue, data: dict) -> None:
    for name in ISSUE_FIELDS:
        if name in data:
            setattr(issue, name, _clean(data[name]))
    if issue.stage in FINAL_STAGES and issue.closed_on is None:
        issue.closed_on = date.today()


def create_issue(session: Session, chapter: Chapter, data: dict) -> Issue:
    insurer = chapter_insurer(session, chapter, data.get("insurer_id"))
    issue = Issue(chapter_id=chapter.id, insurer_id=insurer.id)
    _apply(issue, data)
    issue.opened_on = issue.opened_on or date.today()
    session.add(issue)
    return issue


def update_issue(session: Session, chapter: Chapter, issue: Issue, data: dict,
                 seen_version, why: str | None = None) -> IssueEvent | None:
    """Save the typed values unless the issue changed since the form showed version
    ``seen_version``. A stage change is written to the history with ``why`` as details.
    Returns the stage-change event, if any."""
    check_version(issue, seen_version)
    insurer = chapter_insurer(session, chapter, data.get("insurer_id"))
    old_stage = issue.stage
    issue.insurer_id = insurer.id
    _apply(issue, data)
    event = None
    if issue.stage != old_stage:
        event = IssueEvent(
            chapter_id=issue.chapter_id, issue_id=issue.id, occurred_on=date.today(),
            kind="stage_change",
            summary=f"Stage changed from {ISSUE_STAGES.get(old_stage, old_stage)} "
                    f"to {ISSUE_STAGES.get(issue.stage, issue.stage)}",
            details=_clean(why))
        session.add(event)
    flush_or_conflict(session)
    return event


def differences(issue: Issue, data: dict, insurer_names: dict[int, str]) -> list[Difference]:
    """The saved values next to the typed ones, for the conflict message."""
    fields = {"title": ("Title", None), "insurer_id": ("Insurer", insurer_names),
              "category": ("Category", ISSUE_CATEGORIES), "stage": ("Stage", ISSUE_STAGES),
              "description": ("Description", None), "desired_outcome": ("Desired outcome", None),
              "fallback": ("Fallback", None), "coverage_gap_regions": ("Coverage-gap regions", None),
              "unique_services": ("Unique services", None), "opened_on": ("Opened on", None),
              "closed_on": ("Closed on", None)}
    return compare(fields, {name: getattr(issue, name) for name in fields}, data)


def delete_issue(session: Session, issue: Issue) -> TrashEntry:
    """Move the issue to the Trash with its history, stances, tasks and evidence."""
    return trash.discard(session, issue)


# --- history ---------------------------------------------------------------------------

def _apply_event(event: IssueEvent, data: dict) -> None:
    for name in EVENT_FIELDS:
        setattr(event, name, _clean(data.get(name)))
    if event.kind not in EVENT_KINDS:
        raise IssueError("Choose a kind from the list.", "kind")


def add_event(session: Session, issue: Issue, data: dict) -> IssueEvent:
    event = IssueEvent(chapter_id=issue.chapter_id, issue_id=issue.id)
    _apply_event(event, data)
    session.add(event)
    return event


def update_event(event: IssueEvent, data: dict) -> IssueEvent:
    _apply_event(event, data)
    return event


def delete_event(session: Session, event: IssueEvent) -> TrashEntry:
    return trash.discard(session, event)
