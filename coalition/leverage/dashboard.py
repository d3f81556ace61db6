"""What the chapter dashboard shows: counts, open issues and the newest activity."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from coalition.models import Ally, Chapter, Issue, IssueEvent, Membership, Relationship, Stance


@dataclass
class Activity:
    when: object
    text: str
    issue: Issue | None = None


def counts(session: Session, chapter: Chapter) -> dict[str, int]:
    def count(model, *where):
        return session.scalar(
            select(func.count(model.id)).where(model.chapter_id == chapter.id, *where)) or 0

    return {
        "allies": count(Ally, Ally.status == "active"),
        "pending_allies": count(Ally, Ally.status == "pending"),
        "committed": session.scalar(
            select(func.count(func.distinct(Stance.ally_id))).where(
                Stance.chapter_id == chapter.id, Stance.stance.in_(("champion", "supporter"))
            )) or 0,
        "relationships": count(Relationship),
        "issues_open": count(Issue, Issue.closed_on.is_(None)),
        "members": count(Membership, Membership.status == "active"),
        "pending_members": count(Membership, Membership.status == "pending"),
    }


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
