"""The leverage score of one issue: 0-100, always with its breakdown.

The score is the sum of five components. Their inputs are small summaries
(``Commitment``, ``AccessInputs``, ``StructuralInputs``), so a what-if
("what if this ally committed?") is a real re-score that only swaps the
``Commitment`` and reuses the access and structural inputs.

1. ``kind_coverage`` (max 30): the points of every ally kind with at least one
   committed ally (stance champion or supporter)::

       patient 6, regulator 6, patient_org 4, support_group 4, medical 4,
       legislator 3, media 3                                   (sum 30)

   Patients and the regulator weigh most: they are the voices an insurer and
   a commissioner cannot ignore. Employers and "other" add no coverage.

2. ``commitment`` (max 20, approached but never reached)::

       W = sum over committed allies of max(0, influence) * (2 if champion else 1)
       points = 20 * W / (W + 20)

   e.g. W = 20 gives 10 points, W = 60 gives 15. Every kind counts here.

3. ``decision_maker_access`` (max 25)::

       s = strength of the strongest path from any member to a decision maker
           or medical director of the issue's insurer   (exp(-cost), graph.py)
       points = 25 * min(1, s / (5/6))

   5/6 is the strength of one fresh strength-5 link, so a member who knows a
   decision maker well and spoke to them today earns the full 25; two such
   hops earn 25 * 5/6 = 20.83. No path (or no such contact known): 0.

4. ``regulator_access`` (max 15): the same with the regulator allies overseeing
   the insurer (kind regulator, region among the insurer's regions)::

       points = 15 * min(1, s_regulator / (5/6))

5. ``structural`` (max 10)::

       points = 5 * min(1, g / 2) + 5 * min(1, u / 2)

   with g the number of distinct coverage-gap regions and u the number of
   distinct unique services recorded on the issue (network adequacy and
   irreplaceable services are leverage of their own).

``score = round(sum of the component points, 1)``; each component's ``points``
is rounded to 2 decimals for display, the total is summed before rounding.
Every component only grows when an ally commits, so committing an extra ally
never lowers the score.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

#: Ally kinds that make up coverage, in display order.
COVERAGE_KINDS = ("patient", "regulator", "patient_org", "support_group", "medical", "media", "legislator")
KIND_POINTS = {
    "patient": 6.0,
    "regulator": 6.0,
    "patient_org": 4.0,
    "support_group": 4.0,
    "medical": 4.0,
    "legislator": 3.0,
    "media": 3.0,
}
COVERAGE_MAX = 30.0
COMMITMENT_MAX = 20.0
#: Weighted influence at which commitment earns half its points.
COMMITMENT_HALF = 20.0
CHAMPION_FACTOR = 2
DECISION_MAKER_MAX = 25.0
REGULATOR_MAX = 15.0
STRUCTURAL_MAX = 10.0
GAP_POINTS = 5.0
SERVICE_POINTS = 5.0
#: Strength of the best possible single hop: one fresh strength-5 link.
BEST_HOP_STRENGTH = 5.0 / 6.0

assert sum(KIND_POINTS.values()) == COVERAGE_MAX


@dataclass(frozen=True)
class KindTally:
    committed: int = 0
    champions: int = 0
    influence_sum: int = 0
    influence_max: int = 0


@dataclass(frozen=True)
class Commitment:
    """Summary of the committed allies of one issue (all the scoring needs)."""

    by_kind: dict[str, KindTally] = field(default_factory=dict)
    weighted_influence: float = 0.0

    def adding(self, kind: str, influence: int, stance: str = "supporter") -> Commitment:
        """The summary with one more committed ally (a real, exact update)."""
        champion = stance == "champion"
        t = self.by_kind.get(kind, KindTally())
        t = KindTally(
            committed=t.committed + 1,
            champions=t.champions + (1 if champion else 0),
            influence_sum=t.influence_sum + influence,
            influence_max=max(t.influence_max, influence) if t.committed else influence,
        )
        by_kind = dict(self.by_kind)
        by_kind[kind] = t
        w = max(0, influence) * (CHAMPION_FACTOR if champion else 1)
        return replace(self, by_kind=by_kind, weighted_influence=self.weighted_influence + w)

    @property
    def committed(self) -> int:
        return sum(t.committed for t in self.by_kind.values())


def tally(committed) -> Commitment:
    """``Commitment`` of an iterable of ``(kind, influence, stance)``."""
    c = Commitment()
    for kind, influence, stance in committed:
        c = c.adding(kind, influence, stance)
    return c


@dataclass(frozen=True)
class AccessInputs:
    """Best paths into the insurer, computed once per insurer and reused."""

    decision_maker_strength: float = 0.0
    decision_maker_label: str | None = None  # target of the best path
    decision_maker_from: str | None = None  # member it starts from
    decision_maker_hops: int = 0
    decision_makers_known: int = 0
    regulator_strength: float = 0.0
    regulator_label: str | None = None
    regulator_from: str | None = None
    regulator_hops: int = 0
    regulators_known: int = 0


@dataclass(frozen=True)
class StructuralInputs:
    coverage_gap_regions: tuple[str, ...] = ()
    unique_services: tuple[str, ...] = ()


@dataclass
class ScoreComponent:
    name: str
    points: float
    max_points: float
    explanation: str


@dataclass
class LeverageScore:
    score: float  # 0-100, 1 decimal
    components: list[ScoreComponent]
    total: float  # unrounded sum of the component points
    max_score: float = 100.0


def _n(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"


def _names(kinds) -> str:
    return ", ".join(k.replace("_", " ") for k in kinds) or "none"


def coverage_points(c: Commitment) -> ScoreComponent:
    covered = [k for k in COVERAGE_KINDS if c.by_kind.get(k, KindTally()).committed > 0]
    missing = [k for k in COVERAGE_KINDS if k not in covered]
    points = sum(KIND_POINTS[k] for k in covered)
    return ScoreComponent(
        "kind_coverage",
        points,
        COVERAGE_MAX,
        f"{len(covered)} of {len(COVERAGE_KINDS)} ally kinds committed ({_names(covered)}); "
        f"missing: {_names(missing)}. Patient and regulator count 6 points, patient org, support group "
        "and medical 4, legislator and media 3.",
    )


def commitment_points(c: Commitment) -> ScoreComponent:
    w = c.weighted_influence
    points = COMMITMENT_MAX * w / (w + COMMITMENT_HALF) if w > 0 else 0.0
    champions = sum(t.champions for t in c.by_kind.values())
    return ScoreComponent(
        "commitment",
        points,
        COMMITMENT_MAX,
        f"{_n(c.committed, 'committed ally', 'committed allies')}, {_n(champions, 'champion')}; "
        f"summed influence W = {w:g} (champions count double) gives 20 x W / (W + 20).",
    )


def _access(
    name: str, max_points: float, strength: float, source, label, hops: int, known: int, what: tuple[str, str]
) -> ScoreComponent:
    if known == 0:
        return ScoreComponent(name, 0.0, max_points, f"No {what[1]} known for this insurer.")
    if strength <= 0.0:
        return ScoreComponent(name, 0.0, max_points, f"No member can reach the {_n(known, *what)} known.")
    ratio = min(1.0, strength / BEST_HOP_STRENGTH)
    return ScoreComponent(
        name,
        max_points * ratio,
        max_points,
        f"The strongest path runs from {source} to {label} in {_n(hops, 'hop')}: strength {strength:.3f}, "
        f"{ratio:.0%} of one fresh strength-5 link ({_n(known, *what)} known).",
    )


def structural_points(s: StructuralInputs) -> ScoreComponent:
    g = len(set(s.coverage_gap_regions))
    u = len(set(s.unique_services))
    points = GAP_POINTS * min(1.0, g / 2) + SERVICE_POINTS * min(1.0, u / 2)
    return ScoreComponent(
        "structural",
        points,
        STRUCTURAL_MAX,
        f"{g} coverage-gap region{'s' if g != 1 else ''} ({', '.join(sorted(set(s.coverage_gap_regions))) or 'none'}) "
        f"and {u} unique service{'s' if u != 1 else ''} ({', '.join(sorted(set(s.unique_services))) or 'none'}); "
        "2.5 points each, at most 5 for each factor.",
    )


def score(commitment: Commitment, access: AccessInputs, structural: StructuralInputs) -> LeverageScore:
    """Score one issue from its summaries (formulas in the module doc)."""
    components = [
        coverage_points(commitment),
        commitment_points(commitment),
        _access(
            "decision_maker_access",
            DECISION_MAKER_MAX,
            access.decision_maker_strength,
            access.decision_maker_from,
            access.decision_maker_label,
            access.decision_maker_hops,
            access.decision_makers_known,
            ("decision maker or medical director", "decision makers or medical directors"),
        ),
        _access(
            "regulator_access",
            REGULATOR_MAX,
            access.regulator_strength,
            access.regulator_from,
            access.regulator_label,
            access.regulator_hops,
            access.regulators_known,
            ("overseeing regulator", "overseeing regulators"),
        ),
        structural_points(structural),
    ]
    total = sum(c.points for c in components)
    for c in components:
        c.points = round(c.points, 2)
    return LeverageScore(score=round(total, 1), components=components, total=total)
