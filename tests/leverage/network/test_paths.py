"""Access paths: the three strongest simple paths from any member to a target.

All links are fresh (last contact today), so usable = strength and a path's
strength is the product of strength/6 over its hops.
"""

import itertools
import random
from datetime import date

import networkx as nx
import pytest

from coalition.leverage.network import (
    AllyRow,
    ChapterRows,
    ContactRow,
    InsurerRow,
    IssueRow,
    MemberRow,
    RelationshipRow,
    build_network,
    insurer_access,
    insurer_targets,
    people_graph,
)
from coalition.leverage.network.paths import (
    k_strongest_paths,
    members_dijkstra,
    people_adjacency,
)
from coalition.leverage.network.synthetic import synthetic_rows

TODAY = date(2025, 1, 1)


def rel(id_, a, b, strength, owner=None, kind="knows", last=TODAY):
    (at, ai), (bt, bi) = a, b
    return RelationshipRow(id_, at, ai, bt, bi, kind, strength, None, last, owner)


M1, M2 = ("member", 1), ("member", 2)
A, B = ("ally", 1), ("ally", 2)
DM, PR = ("contact", 1), ("contact", 2)


def paths_chapter(extra=()):
    """
        M1 --5-- A --4-- DM --5-- B --3-- M2
        M1 --2-- PR ==reports-to (4)== DM
                 A --1-- B
    """
    return ChapterRows(
        chapter_id=1,
        members=(MemberRow(1, "Mia"), MemberRow(2, "Noa")),
        allies=(AllyRow(1, "Dr Ash", "medical", 3, "north"), AllyRow(2, "Bo", "patient", 2, "north")),
        contacts=(
            ContactRow(1, 1, "Dana", "VP", "decision_maker", None),
            ContactRow(2, 1, "Rui", None, "provider_relations", 1),
        ),
        insurers=(InsurerRow(1, "Acme", ("south",)),),
        issues=(IssueRow(1, 1, "Visit cap"),),
        stances=(),
        relationships=(
            rel(1, M1, A, 5, owner=1, kind="refers_to"),
            rel(2, A, DM, 4),
            rel(3, M2, B, 3, owner=2),
            rel(4, B, DM, 5),
            rel(5, M1, PR, 2, owner=1),
            rel(6, A, B, 1),
        )
        + tuple(extra),
    )


def test_three_strongest_paths_in_order():
    net = build_network(paths_chapter(), TODAY)
    (target,) = insurer_access(net, 1).targets
    assert target.node == "contact:1" and target.target_kind == "decision_maker"
    got = [([h.from_node for h in p.hops] + [p.target], p.cost, p.strength) for p in target.paths]
    assert got == [
        # M1-A-DM: ln(6/5) + ln(6/4) = 0.18232 + 0.40547; strength 5/6 * 4/6 = 20/36
        (["member:1", "ally:1", "contact:1"], pytest.approx(0.5877867), pytest.approx(20 / 36)),
        # M2-B-DM: ln 2 + ln(6/5) = 0.69315 + 0.18232; strength 3/6 * 5/6 = 15/36
        (["member:2", "ally:2", "contact:1"], pytest.approx(0.8754687), pytest.approx(15 / 36)),
        # M1-PR-DM (reports-to, fixed 4): ln 3 + ln 1.5 = 1.09861 + 0.40547; 2/6 * 4/6 = 8/36
        (["member:1", "contact:2", "contact:1"], pytest.approx(1.5040774), pytest.approx(8 / 36)),
    ]
    # Not in the top 3: M1-A-B-DM (5/6 * 1/6 * 5/6 = 25/216 = 0.116) and
    # M2-B-A-DM (3/6 * 1/6 * 4/6 = 12/216 = 0.056).
    assert target.best_strength == pytest.approx(20 / 36)


def test_hops_say_who_owns_each_link_and_how_usable_it_is():
    net = build_network(paths_chapter(), TODAY)
    best = insurer_access(net, 1).targets[0].paths[0]
    first, second = best.hops
    assert (first.from_label, first.to_label, first.kind, first.owner_member_id, first.owner_label) == (
        "Mia", "Dr Ash", "refers_to", 1, "Mia",
    )
    assert (first.strength, first.usable, first.age_days, first.last_contact) == (5, 5.0, 0.0, "2025-01-01")
    assert (second.from_label, second.to_label, second.owner_member_id) == ("Dr Ash", "Dana", None)
    reports = insurer_access(net, 1).targets[0].paths[2].hops[1]
    assert (reports.edge_type, reports.kind, reports.usable, reports.age_days, reports.relationship_id) == (
        "reports_to", "reports_to", 4.0, None, None,
    )


def test_faded_link_changes_the_order():
    # A-DM last spoken to two half-lives ago: 4 * 0.25 = 1, so M1-A-DM = 5/6 * 1/6 = 5/36
    # and M1-A-B-DM = 5/6 * 1/6 * 5/6 = 25/216; M2-B-DM (15/36) is now the best.
    rows = paths_chapter()
    rows = ChapterRows(**{**rows.__dict__, "relationships": tuple(
        rel(2, A, DM, 4, last=date(2024, 1, 7)) if r.id == 2 else r for r in rows.relationships)})
    net = build_network(rows, TODAY)
    got = [(p.member, round(p.strength, 6)) for p in insurer_access(net, 1).targets[0].paths]
    assert got == [("member:2", round(15 / 36, 6)), ("member:1", round(8 / 36, 6)), ("member:1", round(5 / 36, 6))]


def test_paths_never_pass_through_another_member():
    """
        M1 --5-- A --5-- M2 --5-- DM      A --1-- DM
    M1-A-M2-DM is never listed: its tail M2-DM is always stronger.
    """
    rows = ChapterRows(
        chapter_id=1,
        members=(MemberRow(1, "Mia"), MemberRow(2, "Noa")),
        allies=(AllyRow(1, "Ash", "medical", 1, None),),
        contacts=(ContactRow(1, 1, "Dana", None, "decision_maker", None),),
        insurers=(InsurerRow(1, "Acme", ()),),
        issues=(),
        stances=(),
        relationships=(rel(1, M1, A, 5), rel(2, A, M2, 5), rel(3, M2, DM, 5), rel(4, A, DM, 1)),
    )
    net = build_network(rows, TODAY)
    paths = insurer_access(net, 1).targets[0].paths
    got = [([h.from_node for h in p.hops] + [p.target], round(p.strength, 6)) for p in paths]
    assert got == [
        (["member:2", "contact:1"], round(5 / 6, 6)),
        # 5/6 * 1/6 = 5/36 twice: equal cost, ties go by node ids (member:1 < member:2)
        (["member:1", "ally:1", "contact:1"], round(5 / 36, 6)),
        (["member:2", "ally:1", "contact:1"], round(5 / 36, 6)),
    ]


def test_structural_edges_are_no_shortcut():
    # The ally and the decision maker are both tied to the insurer (oversight,
    # employment) but have no people link: no path.
    rows = ChapterRows(
        chapter_id=1,
        members=(MemberRow(1, "Mia"),),
        allies=(AllyRow(1, "Commissioner", "regulator", 5, "north"),),
        contacts=(ContactRow(1, 1, "Dana", None, "decision_maker", None),),
        insurers=(InsurerRow(1, "Acme", ("north",)),),
        issues=(IssueRow(1, 1, "Cap"),),
        stances=(),
        relationships=(rel(1, M1, ("ally", 1), 5),),
    )
    net = build_network(rows, TODAY)
    targets = {t.node: t for t in insurer_access(net, 1).targets}
    assert targets["contact:1"].paths == [] and targets["contact:1"].best_strength == 0.0
    assert [p.strength for p in targets["ally:1"].paths] == [pytest.approx(5 / 6)]


def test_targets_are_decision_makers_medical_directors_and_overseeing_regulators():
    rows = ChapterRows(
        chapter_id=1,
        members=(),
        allies=(
            AllyRow(3, "Commissioner", "regulator", 5, "north"),
            AllyRow(1, "Deputy", "regulator", 5, "east"),
            AllyRow(2, "Elsewhere", "regulator", 5, "west"),
            AllyRow(4, "Nowhere", "regulator", 5, None),
            AllyRow(5, "Patient", "patient", 5, "north"),
        ),
        contacts=(
            ContactRow(1, 1, "MD", None, "medical_director", None),
            ContactRow(2, 1, "Rep", None, "provider_relations", None),
            ContactRow(3, 1, "DM", None, "decision_maker", None),
            ContactRow(4, 2, "Other insurer's DM", None, "decision_maker", None),
        ),
        insurers=(InsurerRow(1, "Acme", ("north", "east")), InsurerRow(2, "Bolt", ("west",))),
        issues=(),
        stances=(),
        relationships=(),
    )
    net = build_network(rows, TODAY)
    assert insurer_targets(net, 1) == [
        ("contact:3", "decision_maker"),
        ("contact:1", "medical_director"),
        ("ally:1", "regulator"),
        ("ally:3", "regulator"),
    ]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_k_strongest_paths_agree_with_networkx_yen(seed):
    """Cross-check against nx.shortest_simple_paths from a virtual source."""
    rows = synthetic_rows(150, seed)
    net = build_network(rows, TODAY)
    padj = people_adjacency(net.graph)
    members = set(net.members)
    mp = members_dijkstra(padj, members)
    H = people_graph(net.graph).copy()
    H.add_edges_from(("source", m, {"cost": 0.0}) for m in members)
    rng = random.Random(seed)
    targets = rng.sample(sorted(n for n in mp.dist if n not in members), 10)
    for t in targets:
        mine = k_strongest_paths(padj, members, mp, t, 3)
        ref = (p[1:] for p in nx.shortest_simple_paths(H, "source", t, weight="cost"))
        ref = itertools.islice((p for p in ref if not members.intersection(p[1:])), 3)
        ref_costs = [sum(H[u][v]["cost"] for u, v in zip(p, p[1:], strict=False)) for p in ref]
        assert [c for c, _ in mine] == pytest.approx(ref_costs)
        for _c, p in mine:
            assert p[0] in members and not members.intersection(p[1:]) and len(set(p)) == len(p)
