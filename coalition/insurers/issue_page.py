"""What each part of an issue's page shows: the overview, Plan, Evidence, History and
Details. Each part reads only what it shows, so the overview stays short and quick; the
views in ``issue_views`` pick the part and hand this context to its template."""
from __future__ import annotations

from coalition.insurers import issue_record as record
from coalition.leverage import explain
from coalition.leverage.analysis import cache
from coalition.models import Issue, Membership, split_list
from coalition.outreach import panels
from coalition.platform.extensions import db
from coalition.trash import service as trash

#: (endpoint, tab name), in the order of the tabs.
PARTS = (
    ("issues.show", "Overview"),
    ("issues.plan", "Plan"),
    ("issues.evidence", "Evidence"),
    ("issues.history", "History"),
    ("issues.details", "Details"),
)
TEMPLATES = {
    "issues.show": "issues/show.html",
    "issues.plan": "issues/plan.html",
    "issues.evidence": "issues/evidence.html",
    "issues.history": "issues/history.html",
    "issues.details": "issues/details.html",
}
#: Access paths the overview shows before "show all".
TOP_PATHS = 3


def top_paths(analysis: dict, limit: int = TOP_PATHS) -> list[dict]:
    """The strongest paths to any target, one per target first, then the next ones."""
    targets = analysis.get("targets") or []
    firsts = [(t, t["paths"][0]) for t in targets if t.get("paths")]
    rest = [(t, p) for t in targets for p in (t.get("paths") or [])[1:]]
    ranked = sorted(firsts, key=lambda tp: -tp[1]["strength"]) + sorted(rest, key=lambda tp: -tp[1]["strength"])
    return [{"target": t, "path": p, "sentence": explain.path_sentence(p),
             "strength_words": explain.path_strength_words(p)} for t, p in ranked[:limit]]


def _said(analysis: dict) -> dict:
    """The analysis in sentences (``coalition.leverage.explain``)."""
    return {
        "score": explain.score_sentence(analysis.get("score") or {}),
        "points": explain.strengths_and_gaps(analysis.get("score") or {}, analysis),
        "facts": explain.key_facts(analysis),
        "moves": explain.next_moves(analysis),
        "targets": [explain.target_sentence(t, analysis.get("insurer_label"))
                    for t in analysis.get("targets") or []],
        "paths": [[explain.path_sentence(p) for p in t.get("paths") or []] for t in analysis.get("targets") or []],
        "strength": [[explain.path_strength_words(p) for p in t.get("paths") or []]
                     for t in analysis.get("targets") or []],
        "coverage": explain.coverage_sentence(analysis.get("coverage") or {}),
        "brokers": explain.broker_sentence(analysis.get("brokers")),
        "reach": explain.reach_sentence(analysis.get("reach") or {}),
    }


def context(issue: Issue, part: str, membership: Membership | None, **forms) -> dict:
    """The template context of one part (an endpoint of ``PARTS``); ``forms`` replaces the
    empty forms by the ones just posted (their errors and input are shown again)."""
    out = {"issue": issue, "part": part, "parts": PARTS}
    questions_of = [issue]
    if part in ("issues.show", "issues.plan", "issues.details"):
        analysis = cache.issue(issue.chapter_id, issue.id)
        out["leverage"] = analysis
        out["said"] = _said(analysis)
        out["top_paths"] = top_paths(analysis)
        out["path_count"] = sum(len(t.get("paths") or []) for t in analysis.get("targets") or [])
    if part == "issues.plan":
        out["outreach"] = panels.plan_panel(issue, membership)
        if "stage_form" in forms:
            out["outreach"]["stage_form"] = forms.pop("stage_form")
    if part == "issues.evidence":
        out["outreach"] = panels.evidence_panel(issue)
        if "evidence_form" in forms:
            out["outreach"]["evidence_form"] = forms.pop("evidence_form")
        questions_of += out["outreach"]["evidence"]
    if part == "issues.history":
        events = record.history(db.session, issue)
        out["events"] = events
        out["authors"] = record.author_names(db.session, events)
        questions_of += events
    if part == "issues.details":
        out["coverage_gaps"] = split_list(issue.coverage_gap_regions)
        out["unique_services"] = split_list(issue.unique_services)
    out["questions"] = trash.questions(db.session, questions_of)
    out.update(forms)
    return out
