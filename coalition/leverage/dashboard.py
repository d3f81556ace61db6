"""What the chapter dashboard shows: counts, open issues and the newest activity."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from coalition.models import ALLY_KINDS, Ally, Chapter, Issue, IssueEvent, Membership, Relationship, Stance


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
