"""Leverage of a chapter on each of its issues.

Entry points
    ``build_network(rows, today, half_life_days=180)`` -> ``ChapterNetwork``:
        the graph plus everything derived from it that does not depend on an
        issue (people adjacency, one Dijkstra pass from all members, best paths
        into each insurer, memoised on first use).
    ``chapter_parts(network, broker_sample=100, seed=0)`` -> ``ChapterParts``:
        the expensive chapter-wide parts (communities, brokers per insurer).
    ``analyse_issue(network, issue_id, parts=None)`` -> ``IssueAnalysis``.
    ``analyse_chapter(rows, today, ...)`` -> ``ChapterAnalysis``: all of it,
        with a ``summary`` per issue for the dashboard.
    ``what_if(network, issue_id, ally_ids)`` -> ``LeverageScore``: the score if
        these allies committed.

A caller that caches keeps the ``ChapterNetwork`` and the ``ChapterParts`` per
data version (and per ``today``: fading depends on it); per-issue analyses are
cheap on top of them.

Targets of an issue: the contacts of the issue's insurer whose role is
decision_maker or medical_director, and the regulator allies overseeing the
insurer (kind regulator, region among the insurer's regions). Targets depend
only on the insurer, so their paths and brokers are shared by its issues.

Per issue (``IssueAnalysis``)
    coverage: for each kind in ``scoring.COVERAGE_KINDS`` the committed allies
        (stance champion or supporter), champions, summed and highest
        influence; kinds with nobody committed are the ``gaps``. Committed
        employers and "other" allies count in the totals, not as a kind.
    targets: the up to three strongest simple paths from any member to each
        target (``paths.k_strongest_paths``), hop by hop.
    brokers: the insurer's ``BrokerReport`` from the chapter parts.
    reach, cut_off, committed_by_community: see ``clusters``.
    score: ``scoring.score`` (components and formulas there). Access does not
        depend on stances, so only coverage and commitment move when an ally
        commits.
    next_moves: see below.

Next moves: the allies whose commitment would raise the score most. An ally
is a candidate unless it is already committed (champion or supporter) or
opposed (winning over an opponent is not a next move); neutral, unknown and
allies without a stance on the issue are candidates. Each candidate is
re-scored with ``scoring.score`` as if it were a supporter: only the
``Commitment`` summary changes, the access and structural inputs are reused.
The score depends on the ally only through its kind and influence, so the
re-score is done once per (kind, influence) and shared. Candidates whose
gain is not above 1e-9 are left out. Order: gain (highest first), then the strength of the
warm introduction path (strongest first, unreachable last), then influence
(highest first), then ally id (lowest first). Consent is reported, not
filtered on: the introduction goes through someone who knows the ally.
Each move carries its warm ``introduction`` (the strongest path from any
member, None when nobody can reach the ally) and ``known_by``: the members
with a direct link to the ally, most usable link first.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

import networkx as nx

from . import kernels
from .brokers import BrokerReport, broker_report, sample_targets
from .clusters import communities, two_hop_reach
from .graph import build_graph, collector_paused, node_id, path_strength
from .paths import MemberPaths, k_strongest_paths, members_dijkstra, people_adjacency
from .results import (
    AccessPath,
    AllyRef,
    ChapterAnalysis,
    ChapterParts,
    CommunityCount,
    Coverage,
    Hop,
    IssueAnalysis,
    IssueSummary,
    KindCoverage,
    KnownBy,
    NextMove,
    TargetAccess,
)
from .rows import COMMITTED_STANCES, AllyRow, ChapterRows, IssueRow
from .scoring import (
    COVERAGE_KINDS,
    AccessInputs,
    Commitment,
    KindTally,
    LeverageScore,
    StructuralInputs,
    score,
    tally,
)

#: Contact roles that make a contact a target ("decision makers").
TARGET_ROLES = ("decision_maker", "medical_director")
PATHS_PER_TARGET = 3
NEXT_MOVES = 5


@dataclass
class InsurerAccess:
    targets: list[TargetAccess]
    inputs: AccessInputs


@dataclass(eq=False)
class ChapterNetwork:
    """One chapter's graph and what is derived from it, built lazily, once."""

    rows: ChapterRows
    today: date
    half_life_days: float
    graph: nx.Graph
    _access: dict[int, InsurerAccess] = field(default_factory=dict, repr=False)

    @cached_property
    def people(self) -> dict[str, dict[str, float]]:
        """``{person: {neighbour: cost}}`` over people links only."""
        return people_adjacency(self.graph)

    @cached_property
    def kernel(self) -> kernels.PeopleGraph:
        """The people links as a compiled graph, for communities and brokers."""
        return kernels.people_graph(self.graph)

    @cached_property
    def members(self) -> frozenset[str]:
        return frozenset(node_id("member", m.id) for m in self.rows.members)

    @cached_property
    def member_paths(self) -> MemberPaths:
        """One multi-source Dijkstra pass from all members."""
        return members_dijkstra(self.people, self.members)

    @cached_property
    def allies(self) -> dict[int, AllyRow]:
        return {a.id: a for a in self.rows.allies}

    @cached_property
    def issues(self) -> dict[int, IssueRow]:
        return {i.id: i for i in self.rows.issues}

    @cached_property
    def stances(self) -> dict[int, dict[int, str]]:
        """``{issue_id: {ally_id: stance}}``; unknown ids ignored, last row wins."""
        out: dict[int, dict[int, str]] = {i: {} for i in self.issues}
        allies = self.allies
        for s in self.rows.stances:
            if s.ally_id in allies and s.issue_id in out:
                out[s.issue_id][s.ally_id] = s.stance
        return out

    def label(self, node: str) -> str:
        return self.graph.nodes[node].get("label", node)

    def insurer_ids(self) -> list[int]:
        return sorted({i.id for i in self.rows.insurers} | {i.insurer_id for i in self.rows.issues})


def build_network(
    rows: ChapterRows, today: date, half_life_days: float = 180.0, graph: nx.Graph | None = None
) -> ChapterNetwork:
    """Wrap ``build_graph(rows, today, half_life_days)``.

    ``graph`` may be one built before by ``build_graph`` from the same rows
    (e.g. from a cache); it must have been built for the same ``today`` and
    half-life, else ``ValueError``.
    """
    if graph is None:
        graph = build_graph(rows, today, half_life_days)
    elif (graph.graph.get("today"), graph.graph.get("half_life_days")) != (today.isoformat(), float(half_life_days)):
        raise ValueError("graph was built for another day or half-life")
    return ChapterNetwork(rows=rows, today=today, half_life_days=float(half_life_days), graph=graph)


# --- targets and access -------------------------------------------------------------------------


def insurer_targets(network: ChapterNetwork, insurer_id: int) -> list[tuple[str, str]]:
    """``[(node, target_kind)]``: decision makers, then medical directors, then
    overseeing regulators, each by id."""
    contacts = sorted(
        (TARGET_ROLES.index(c.role), c.id)
        for c in network.rows.contacts
        if c.insurer_id == insurer_id and c.role in TARGET_ROLES
    )
    out = [(node_id("contact", cid), TARGET_ROLES[r]) for r, cid in contacts]
    regions: set[str] = set()
    for ins in network.rows.insurers:
        if ins.id == insurer_id:
            regions.update(ins.regions)
    out += [
        (node_id("ally", aid), "regulator")
        for aid in sorted(a.id for a in network.allies.values() if a.kind == "regulator" and a.region in regions)
    ]
    seen: set[str] = set()
    return [t for t in out if not (t[0] in seen or seen.add(t[0]))]


def _hop(network: ChapterNetwork, u: str, v: str) -> Hop:
    d = network.graph._adj[u][v]  # noqa: SLF001
    owner = d.get("owner_member_id")
    owner_node = node_id("member", owner) if owner is not None else None
    return Hop(
        from_node=u,
        from_label=network.label(u),
        to_node=v,
        to_label=network.label(v),
        edge_type=d["edge_type"],
        kind=d["kind"],
        relationship_id=d.get("relationship_id"),
        owner_member_id=owner,
        owner_label=network.label(owner_node) if owner_node in network.graph else None,
        strength=d["strength"],
        usable=d["usable"],
        age_days=d.get("age_days"),
        last_contact=d.get("last_contact"),
        cost=d["cost"],
    )


def _access_path(network: ChapterNetwork, nodes: list[str], cost: float) -> AccessPath:
    return AccessPath(
        member=nodes[0],
        member_label=network.label(nodes[0]),
        target=nodes[-1],
        target_label=network.label(nodes[-1]),
        hops=[_hop(network, u, v) for u, v in zip(nodes, nodes[1:], strict=False)],
        cost=cost,
        strength=path_strength(cost),
    )


def insurer_access(network: ChapterNetwork, insurer_id: int, k: int = PATHS_PER_TARGET) -> InsurerAccess:
    """The ``k`` strongest paths from members to every target of the insurer (memoised)."""
    if k == PATHS_PER_TARGET and insurer_id in network._access:
        return network._access[insurer_id]
    targets = []
    for node, target_kind in insurer_targets(network, insurer_id):
        found = k_strongest_paths(network.people, network.members, network.member_paths, node, k)
        paths = [_access_path(network, p, c) for c, p in found]
        targets.append(
            TargetAccess(
                node=node,
                label=network.label(node),
                target_kind=target_kind,
                paths=paths,
                best_strength=paths[0].strength if paths else 0.0,
            )
        )

    def best(kinds):
        chosen = [t for t in targets if t.target_kind in kinds]
        top = max(chosen, key=lambda t: t.best_strength, default=None)  # first of equals wins
        if top is None or not top.paths:
            return len(chosen), 0.0, None, 0, None
        return len(chosen), top.best_strength, top.label, len(top.paths[0].hops), top.paths[0].member_label

    dm = best(TARGET_ROLES)
    reg = best(("regulator",))
    inputs = AccessInputs(
        decision_maker_strength=dm[1],
        decision_maker_label=dm[2],
        decision_maker_hops=dm[3],
        decision_maker_from=dm[4],
        decision_makers_known=dm[0],
        regulator_strength=reg[1],
        regulator_label=reg[2],
        regulator_hops=reg[3],
        regulator_from=reg[4],
        regulators_known=reg[0],
    )
    result = InsurerAccess(targets=targets, inputs=inputs)
    if k == PATHS_PER_TARGET:
        network._access[insurer_id] = result
    return result


# --- chapter-wide parts ------------------------------------------------------------------------


def insurer_brokers(
    network: ChapterNetwork, insurer_id: int, broker_sample: int = 100, seed: int = 0, _deps=None
) -> BrokerReport:
    """Brokers between the members and the targets of one insurer (see brokers.py)."""
    deps = {} if _deps is None else _deps
    targets = [n for n, _ in insurer_targets(network, insurer_id)]
    chosen, _ = sample_targets(targets, broker_sample, seed)
    for t in chosen:
        if t not in deps:
            deps[t] = kernels.dependency(network.kernel, t, network.members)
    return broker_report(
        insurer_id, targets, deps, network.graph.nodes, network.members, sample=broker_sample, seed=seed
    )


def chapter_parts(network: ChapterNetwork, broker_sample: int = 100, seed: int = 0) -> ChapterParts:
    """Communities of the people graph and brokers of every insurer."""
    with collector_paused():  # the compiled graph's edge lists: see graph.collector_paused
        return _chapter_parts(network, broker_sample, seed)


def _chapter_parts(network: ChapterNetwork, broker_sample: int, seed: int) -> ChapterParts:
    comms, isolated = communities(network.graph, seed=seed, people=network.kernel)
    deps: dict = {}  # a regulator overseeing several insurers is searched from once
    brokers = {i: insurer_brokers(network, i, broker_sample, seed, deps) for i in network.insurer_ids()}
    return ChapterParts(
        communities=comms, isolated=isolated, brokers=brokers, seed=seed, broker_sample=broker_sample
    )


# --- one issue ----------------------------------------------------------------------------------


def _issue(network: ChapterNetwork, issue_id: int) -> IssueRow:
    issue = network.issues.get(issue_id)
    if issue is None:
        raise LookupError(f"issue {issue_id} is not in chapter {network.rows.chapter_id}")
    return issue


def _commitment(network: ChapterNetwork, stances: dict[int, str]) -> Commitment:
    allies = network.allies
    return tally(
        (allies[aid].kind, allies[aid].influence, st)
        for aid, st in sorted(stances.items())
        if st in COMMITTED_STANCES
    )


def _structural(issue: IssueRow) -> StructuralInputs:
    return StructuralInputs(tuple(issue.coverage_gap_regions), tuple(issue.unique_services))


def _ally_ref(a: AllyRow) -> AllyRef:
    return AllyRef(node=node_id("ally", a.id), ally_id=a.id, label=a.name, kind=a.kind, influence=a.influence)


def what_if(
    network: ChapterNetwork, issue_id: int, ally_ids=(), stance: str = "supporter"
) -> LeverageScore:
    """Score of the issue if the given allies took ``stance`` (unknown ids ignored).

    A full re-score from a modified stance set, the same path ``analyse_issue``
    takes.
    """
    issue = _issue(network, issue_id)
    stances = dict(network.stances[issue_id])
    for aid in ally_ids:
        if aid in network.allies:
            stances[aid] = stance
    access = insurer_access(network, issue.insurer_id).inputs
    return score(_commitment(network, stances), access, _structural(issue))


def _coverage(c: Commitment) -> Coverage:
    kinds = []
    for k in COVERAGE_KINDS:
        t = c.by_kind.get(k, KindTally())
        kinds.append(KindCoverage(k, t.committed, t.champions, t.influence_sum, t.influence_max))
    return Coverage(
        kinds=kinds,
        gaps=[k.kind for k in kinds if k.committed == 0],
        committed=c.committed,
        champions=sum(t.champions for t in c.by_kind.values()),
    )


def _known_by(network: ChapterNetwork, ally_node: str) -> list[KnownBy]:
    adj = network.graph._adj[ally_node]  # noqa: SLF001
    out = []
    for v in network.people[ally_node]:
        if v in network.members:
            d = adj[v]
            out.append(KnownBy(int(v.partition(":")[2]), v, network.label(v), d["kind"], d["usable"]))
    out.sort(key=lambda k: (-k.usable, k.member_id))
    return out


def _next_moves(network, stances, commitment, access, structural, base_total, count) -> list[NextMove]:
    if count <= 0:  # the dashboard's summaries ask for none: skip scoring every ally
        return []
    memo: dict[tuple[str, int], float] = {}
    dist = network.member_paths.dist
    candidates = []
    for a in network.allies.values():
        st = stances.get(a.id)
        if st in COMMITTED_STANCES or st == "opposed":
            continue
        key = (a.kind, a.influence)
        new_total = memo.get(key)
        if new_total is None:
            new_total = memo[key] = score(commitment.adding(a.kind, a.influence, "supporter"), access, structural).total
        gain = new_total - base_total
        if gain <= 1e-9:
            continue
        d = dist.get(node_id("ally", a.id))
        strength = math.exp(-d) if d is not None else 0.0
        candidates.append((-gain, -strength, -a.influence, a.id))
    moves = []
    for neg_gain, _, _, aid in heapq.nsmallest(count, candidates):
        a = network.allies[aid]
        node = node_id("ally", aid)
        path = network.member_paths.path_to(node)
        intro = None
        if path is not None and len(path) > 1:
            intro = _access_path(network, path, network.member_paths.dist[node])
        moves.append(
            NextMove(
                ally=_ally_ref(a),
                stance=stances.get(aid),
                consent=a.consent,
                gain=-neg_gain,
                score_after=round(base_total - neg_gain, 1),
                introduction=intro,
                known_by=_known_by(network, node),
            )
        )
    return moves


def analyse_issue(
    network: ChapterNetwork, issue_id: int, parts: ChapterParts | None = None, next_move_count: int = NEXT_MOVES
) -> IssueAnalysis:
    """Coverage, access paths, reach, cut-off allies, score and next moves of one issue.

    With ``parts`` (from ``chapter_parts``) the insurer's brokers and the
    committed allies per community are filled in; without them they are None.
    Raises ``LookupError`` for an issue that is not in the rows.
    """
    issue = _issue(network, issue_id)
    stances = network.stances[issue_id]
    commitment = _commitment(network, stances)
    access = insurer_access(network, issue.insurer_id)
    structural = _structural(issue)
    lev = score(commitment, access.inputs, structural)

    committed = [network.allies[aid] for aid, st in sorted(stances.items()) if st in COMMITTED_STANCES]
    committed_nodes = [node_id("ally", a.id) for a in committed]
    reached = network.member_paths.dist
    cut_off = [_ally_ref(a) for a, n in zip(committed, committed_nodes, strict=False) if n not in reached]

    by_community = None
    brokers = None
    if parts is not None:
        brokers = parts.brokers.get(issue.insurer_id)
        where = parts.community_of()
        counts: dict[int, int] = {}
        for n in committed_nodes:
            if n in where:
                counts[where[n]] = counts.get(where[n], 0) + 1
        by_community = [CommunityCount(c, n) for c, n in sorted(counts.items(), key=lambda cn: (-cn[1], cn[0]))]

    insurer_node = node_id("insurer", issue.insurer_id)
    return IssueAnalysis(
        issue_id=issue.id,
        node=node_id("issue", issue.id),
        title=issue.title,
        insurer_id=issue.insurer_id,
        insurer_label=network.label(insurer_node) if insurer_node in network.graph else None,
        coverage=_coverage(commitment),
        targets=access.targets,
        brokers=brokers,
        reach=two_hop_reach(network.people, committed_nodes),
        cut_off=cut_off,
        committed_by_community=by_community,
        score=lev,
        next_moves=_next_moves(network, stances, commitment, access.inputs, structural, lev.total, next_move_count),
    )


# --- the whole chapter --------------------------------------------------------------------------


def summarise(analysis: IssueAnalysis) -> IssueSummary:
    """Score and largest gap (the component with most points missing; first on ties)."""
    worst = max(analysis.score.components, key=lambda c: c.max_points - c.points)
    return IssueSummary(
        issue_id=analysis.issue_id,
        title=analysis.title,
        insurer_id=analysis.insurer_id,
        score=analysis.score.score,
        largest_gap=worst.name,
        largest_gap_missing=round(worst.max_points - worst.points, 2),
        largest_gap_explanation=worst.explanation,
        missing_kinds=list(analysis.coverage.gaps),
        committed=analysis.coverage.committed,
        champions=analysis.coverage.champions,
        insurer_label=analysis.insurer_label,
        gap_target=_gap_target(analysis, worst.name),
    )


# The target kinds each access component of the score is about.
_GAP_TARGET_KINDS = {"decision_maker_access": ("decision_maker", "medical_director"),
                     "regulator_access": ("regulator",)}


def _gap_target(analysis: IssueAnalysis, component: str) -> dict | None:
    """The person an access gap is about: someone nobody can reach, else the best-reached
    one (whose path sets the points), with the member the path starts from."""
    kinds = _GAP_TARGET_KINDS.get(component)
    targets = [t for t in analysis.targets if kinds and t.target_kind in kinds]
    if not targets:
        return None
    unreached = [t for t in targets if not t.paths]
    if unreached:
        t = unreached[0]
        return {"label": t.label, "kind": t.target_kind, "strength": 0.0, "via": None, "through": []}
    t = max(targets, key=lambda t: t.best_strength)
    path = t.paths[0]
    return {"label": t.label, "kind": t.target_kind, "strength": round(t.best_strength, 3),
            "via": path.member_label, "through": [hop.to_label for hop in path.hops[:-1]]}


def analyse_chapter(
    rows: ChapterRows,
    today: date,
    half_life_days: float = 180.0,
    broker_sample: int = 100,
    seed: int = 0,
    next_move_count: int = NEXT_MOVES,
    network: ChapterNetwork | None = None,
    parts: ChapterParts | None = None,
) -> ChapterAnalysis:
    """Analyse every issue of the chapter (issues in id order).

    Pass a cached ``network`` and/or ``parts`` to skip rebuilding them.
    """
    if network is None:
        network = build_network(rows, today, half_life_days)
    if parts is None:
        parts = chapter_parts(network, broker_sample=broker_sample, seed=seed)
    issues = [analyse_issue(network, i, parts, next_move_count) for i in sorted(network.issues)]
    return ChapterAnalysis(
        chapter_id=rows.chapter_id,
        today=network.today.isoformat(),
        half_life_days=network.half_life_days,
        parts=parts,
        issues=issues,
        summary=[summarise(a) for a in issues],
    )
