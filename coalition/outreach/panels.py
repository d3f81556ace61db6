"""What outreach adds to other areas' pages: the issue page's outreach part (stage,
checklist, tasks, evidence) and the dashboard's "cultivate before you need it" list. The
views of those pages call these and hand the result to their templates."""
from __future__ import annotations

from flask import current_app

from coalition.leverage.analysis import cache, computer
from coalition.models import Chapter, Issue, Membership
from coalition.models.outreach import OPEN_STATUSES
from coalition.outreach import evidence, preparation, tasks, touchpoints
from coalition.outreach.forms import EvidenceForm, stage_form
from coalition.platform.extensions import db


def plan_panel(issue: Issue, membership: Membership | None) -> dict:
    """The issue's Plan part: stage, checklist, tasks and the paths to plan them along."""
    issue_tasks = tasks.for_issue(db.session, issue)
    return {
        "tasks": issue_tasks,
        "checklist": preparation.checklist(db.session, issue),
        "stage_form": stage_form(issue, formdata=None),
        "analysis": cache.issue(issue.chapter_id, issue.id),
        "can_change": lambda task: tasks.can_change(task, membership),
        "open_statuses": OPEN_STATUSES,
        "path_key": tasks.path_key,  # names the path a "plan the chain" button shows
        # Paths whose tasks are still open are shown as planned, not as a button again.
        "planned_paths": {t.path_key for t in issue_tasks
                          if t.path_key and t.status in OPEN_STATUSES},
    }


def evidence_panel(issue: Issue) -> dict:
    """The issue's Evidence part: the counts, their chart and the form to add one."""
    rows = evidence.counts(db.session, issue)
    return {"evidence": rows, "chart": evidence.chart(rows), "evidence_form": EvidenceForm(formdata=None)}


def issue_panel(issue: Issue, membership: Membership | None) -> dict:
    """Everything outreach adds to an issue (both parts)."""
    return plan_panel(issue, membership) | evidence_panel(issue)


def cultivate_panel(chapter: Chapter, limit: int = 8) -> dict:
    days = touchpoints.configured_days(current_app.config)
    found = cache.get(cache.key(chapter.id), f"cultivate:{days}:{limit}")
    return {"rows": [touchpoints.Cultivate.from_dict(row) for row in found["rows"]],
            "total": found["total"], "days": days, "stale": found["stale"]}


@computer("cultivate")
def _cultivate(key, subject: str, args: dict) -> dict:
    """``cultivate:<days>:<limit>``: ~0.1 s at 10,000 allies, once per data version."""
    _, days, limit = subject.split(":")
    rows, total = touchpoints.cultivate_page(db.session, key.chapter_id, int(days), int(limit))
    return {"rows": [row.to_dict() for row in rows], "total": total}
