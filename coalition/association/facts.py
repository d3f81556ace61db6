"""The one door between a chapter's data and the association: the shared facts.

Everything the association's pages, API answers and exports show about a chapter comes from
the functions of this module, and they return only

- numbers (a leverage score, path strengths, incident counts by kind and month),
- words chosen from fixed lists (a stage, the name of the score's largest gap, kinds of
  allies missing, kinds of history entries), and
- ids of association rows (shared contacts).

No ally, relationship or member row leaves this module, and no free text a chapter wrote
(history summaries, notes on allies) does: a chapter shares words on purpose through a
campaign note. ``tests/association/test_privacy.py`` checks this with generated chapters.

Per issue the facts are kept in ``shared_facts`` for the chapter's data version, so a warm
campaign page reads a handful of rows; a cold one derives them from each chapter's cached
leverage analysis (``coalition.leverage.analysis``), never from one graph of every chapter.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from coalition.models import ISSUE_STAGES, Chapter, Issue, IssueEvent
from coalition.models.association import ContactShare, ProfileLink, SharedFacts
from coalition.models.outreach import EVIDENCE_KINDS, EvidenceCount
from coalition.platform.templating import COMPONENT_LABELS

# History entries the association may count by kind and date (their summaries stay home).
SHARED_EVENT_KINDS = ("meeting", "letter", "call", "complaint", "testimony", "insurer_action",
                      "stage_change")
OPEN_STAGES = ("relationship_building", "preparation", "negotiation", "escalation")


DERIVED = "coalition.shared_facts_derived"


def kept(session: Session) -> bool:
    """True once, after facts were derived (and are waiting for a commit)."""
    return bool(session.info.pop(DERIVED, False))


def strength_word(strength: float | None) -> str:
    """How usable a chapter's best path is, in one word a volunteer reads at a glance."""
    if not strength:
        return "none"
    if strength >= 0.5:
        return "strong"
    if strength >= 0.2:
        return "medium"
    return "weak"


@dataclass(frozen=True)
class IssueFacts:
    chapter_id: int
    issue_id: int
    data_version: int
    stage: str
    opened_on: str | None
    closed_on: str | None
    score: float | None
    gap: str | None  # a COMPONENT_LABELS key
    missing_kinds: tuple[str, ...]  # ALLY_KINDS keys with nobody committed
    decision_makers: int  # decision makers and medical directors known for the insurer
    reachable: int  # of which a member can reach
    best_strength: float  # strongest path to any of them, 0.0 when none
    # {shared contact id: strength of the chapter's best path to its own record of them}
    paths: dict[int, float]
    evidence: dict[str, dict[str, int]]  # {kind: {"YYYY-MM": incidents}}
    events: tuple[tuple[str, str, str | None], ...]  # (ISO date, kind, new stage), oldest first
    stale: bool

    @property
    def gap_label(self) -> str | None:
        return COMPONENT_LABELS.get(self.gap, self.gap) if self.gap else None

    @property
    def reach_word(self) -> str:
        return strength_word(self.best_strength)

    def as_dict(self) -> dict:
        return {
            "stage": self.stage, "opened_on": self.opened_on, "closed_on": self.closed_on,
            "score": self.score, "gap": self.gap, "missing_kinds": list(self.missing_kinds),
            "decision_makers": self.decision_makers, "reachable": self.reachable,
            "best_strength": self.best_strength,
            "paths": {str(k): v for k, v in self.paths.items()},
            "evidence": self.evidence, "events": [list(e) for e in self.events],
            "stale": self.stale,
        }

    @classmethod
    def from_row(cls, row: SharedFacts) -> IssueFacts:
        f = row.facts
        return cls(
            chapter_id=row.chapter_id, issue_id=row.issue_id, data_version=row.data_version,
            stage=f["stage"], opened_on=f["opened_on"], closed_on=f["closed_on"],
            score=f["score"], gap=f["gap"], missing_kinds=tuple(f["missing_kinds"]),
            decision_makers=f["decision_makers"], reachable=f["reachable"],
            best_strength=f["best_strength"],
            paths={int(k): v for k, v in f["paths"].items()},
            evidence=f["evidence"], events=tuple(tuple(e) for e in f["events"]),
            stale=f["stale"],
        )


def issue_facts(session: Session, pairs: list[tuple[int, int]]) -> dict[tuple[int, int], IssueFacts]:
    """The facts of each (chapter id, issue id): stored ones at the chapter's current data
    version, the others derived now and stored. Issues in the Trash or gone are left out."""
    if not pairs:
        return {}
    chapter_ids = {c for c, _ in pairs}
    versions = dict(session.execute(
        select(Chapter.id, Chapter.data_version).where(Chapter.id.in_(chapter_ids))).all())
    stored = {(r.chapter_id, r.issue_id): r for r in session.scalars(
        select(SharedFacts).where(SharedFacts.chapter_id.in_(chapter_ids),
                                  SharedFacts.issue_id.in_({i for _, i in pairs})))}
    out: dict[tuple[int, int], IssueFacts] = {}
    missing = []
    for pair in pairs:
        row = stored.get(pair)
        if row is not None and row.data_version == versions.get(pair[0]) and not row.facts["stale"]:
            out[pair] = IssueFacts.from_row(row)
        else:
            missing.append(pair)
    # Every analysis is read before anything is written: a pending write would hold the
    # SQLite lock the analysis cache needs to store what it computes.
    derived = [(pair, _derive(session, *pair, versions.get(pair[0]))) for pair in missing]
    for pair, facts in derived:
        if facts is None:
            continue
        out[pair] = facts
        row = stored.get(pair)
        if row is None:
            row = SharedFacts(chapter_id=pair[0], issue_id=pair[1])
            session.add(row)
        row.data_version, row.facts = facts.data_version, facts.as_dict()
    if missing:
        session.flush()
        session.info[DERIVED] = True  # for the caller's commit (``kept``)
    return out


def _derive(session: Session, chapter_id: int, issue_id: int, version: int | None) -> IssueFacts | None:
    from coalition.leverage.analysis import cache

    issue = session.scalar(select(Issue).where(Issue.id == issue_id, Issue.chapter_id == chapter_id))
    if issue is None or version is None:
        return None
    analysis = cache.issue(chapter_id, issue_id)
    # Only numbers leave the analysis: target strengths by contact id, the score, the gap.
    strengths = {int(t["node"].split(":")[1]): float(t["best_strength"])
                 for t in analysis.get("targets", []) if t["node"].startswith("contact:")}
    shares = dict(session.execute(
        select(ContactShare.contact_id, ContactShare.shared_contact_id)
        .where(ContactShare.chapter_id == chapter_id)).all())
    components = analysis["score"]["components"]
    worst = max(components, key=lambda c: c["max_points"] - c["points"]) if components else None
    evidence: dict[str, dict[str, int]] = defaultdict(dict)
    for kind, observed_on, count in session.execute(
            select(EvidenceCount.kind, EvidenceCount.observed_on, EvidenceCount.count)
            .where(EvidenceCount.chapter_id == chapter_id, EvidenceCount.issue_id == issue_id)):
        if kind in EVIDENCE_KINDS:
            month = observed_on.strftime("%Y-%m")
            evidence[kind][month] = evidence[kind].get(month, 0) + int(count)
    events = tuple(
        # A stage change's summary is the stage's key (from a fixed list); other summaries
        # are a chapter's own words and stay home.
        (d.isoformat(), k, summary if k == "stage_change" and summary in ISSUE_STAGES else None)
        for d, k, summary in session.execute(
            select(IssueEvent.occurred_on, IssueEvent.kind, IssueEvent.summary)
            .where(IssueEvent.chapter_id == chapter_id, IssueEvent.issue_id == issue_id,
                   IssueEvent.kind.in_(SHARED_EVENT_KINDS))
            .order_by(IssueEvent.occurred_on, IssueEvent.id)))
    targets = [t for t in analysis.get("targets", [])
               if t.get("target_kind") in ("decision_maker", "medical_director")]
    return IssueFacts(
        chapter_id=chapter_id, issue_id=issue_id, data_version=version,
        stage=issue.stage,
        opened_on=issue.opened_on.isoformat() if issue.opened_on else None,
        closed_on=issue.closed_on.isoformat() if issue.closed_on else None,
        score=float(analysis["score"]["score"]),
        gap=worst["name"] if worst else None,
        missing_kinds=tuple(analysis["coverage"]["gaps"]),
        decision_makers=len(targets),
        reachable=sum(1 for t in targets if t["best_strength"] > 0),
        best_strength=round(max((t["best_strength"] for t in targets), default=0.0), 3),
        paths={shares[c]: round(s, 3) for c, s in strengths.items() if c in shares},
        evidence=dict(evidence), events=events,
        stale=analysis.get("stale") is not None,
    )


def open_issues_by_profile(session: Session) -> dict[int, list[tuple[int, int]]]:
    """{profile id: [(chapter id, issue id) of open issues with a linked insurer]}."""
    out: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for profile_id, chapter_id, issue_id in session.execute(
            select(ProfileLink.profile_id, Issue.chapter_id, Issue.id)
            .join(Issue, (Issue.insurer_id == ProfileLink.insurer_id)
                  & (Issue.chapter_id == ProfileLink.chapter_id))
            .where(Issue.stage.in_(OPEN_STAGES))
            .order_by(ProfileLink.profile_id, Issue.chapter_id, Issue.id)):
        out[profile_id].append((chapter_id, issue_id))
    return dict(out)


def chapter_names(session: Session, chapter_ids) -> dict[int, str]:
    ids = set(chapter_ids)
    if not ids:
        return {}
    return dict(session.execute(select(Chapter.id, Chapter.name).where(Chapter.id.in_(ids))).all())
