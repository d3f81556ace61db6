"""Brokers: betweenness restricted to member -> target best routes."""

from datetime import date

import networkx as nx
import pytest

from coalition.leverage.network import (
    AllyRow,
    ChapterRows,
    ContactRow,
    InsurerRow,
    MemberRow,
    RelationshipRow,
    build_network,
    insurer_brokers,
    people_graph,
)
from coalition.leverage.network.brokers import target_dependency
from coalition.leverage.network.synthetic import synthetic_rows

TODAY = date(2025, 1, 1)


def rel(id_, a, b, strength=5):
    (at, ai), (bt, bi) = a, b
    return RelationshipRow(id_, at, ai, bt, bi, "knows", strength, None, TODAY, None)


M1, M2, M3 = ("member", 1), ("member", 2), ("member", 3)
X, Y, Z = ("ally", 1), ("ally", 2), ("ally", 3)
DM, MD = ("contact", 1), ("contact", 2)


def broker_chapter():
    """All links strength 5 and fresh, so every hop costs the same.

        M1 -- X -- DM        M3 -- Y -- DM
        M2 -- X -- MD        M3 -- Y -- MD
        M3 -- X              Z -- M1 (a dead end)
    """
    return ChapterRows(
        chapter_id=1,
        members=(MemberRow(1, "Mia"), MemberRow(2, "Noa"), MemberRow(3, "Ola")),
        allies=(AllyRow(1, "Xu", "medical", 3, None), AllyRow(2, "Yan", "patient", 1, None),
                AllyRow(3, "Zed", "media", 1, None)),
        contacts=(ContactRow(1, 1, "Dana", None, "decision_maker", None),
                  ContactRow(2, 1, "Max", None, "medical_director", None)),
        insurers=(InsurerRow(1, "Acme", ()),),
        issues=(),
        stances=(),
        relationships=(
            rel(1, M1, X), rel(2, M2, X), rel(3, X, DM), rel(4, X, MD),
            rel(5, M3, Y), rel(6, Y, DM), rel(7, Y, MD), rel(8, M3, X), rel(9, Z, M1),
        ),
    )


def test_broker_scores_by_hand():
    # Pairs (member, target), best routes all two hops:
    #   M1-DM: via X             -> X 1
    #   M2-DM: via X             -> X 1
    #   M3-DM: via X or via Y    -> X 1/2, Y 1/2
    #   same three for MD        -> X 1 + 1 + 1/2, Y 1/2
    # X = 5, Y = 1, out of 6 connected pairs; Z is on no best route.
    report = insurer_brokers(build_network(broker_chapter(), TODAY), 1)
    got = [(b.node, b.label, b.type, b.kind, b.score, b.share) for b in report.brokers]
    assert got == [
        ("ally:1", "Xu", "ally", "medical", pytest.approx(5.0), pytest.approx(5 / 6)),
        ("ally:2", "Yan", "ally", "patient", pytest.approx(1.0), pytest.approx(1 / 6)),
    ]
    assert report.connected_pairs == 6 and report.targets == ["contact:1", "contact:2"]
    assert (report.sampled, report.sample_size, report.population) == (False, 2, 2)


def test_members_and_targets_are_not_brokers():
    # With a DM - MD link the decision maker lies on routes to the medical
    # director, and X routes pass through members: neither is ever listed.
    rows = broker_chapter()
    rows = ChapterRows(**{**rows.__dict__, "relationships": rows.relationships + (rel(10, DM, MD),)})
    report = insurer_brokers(build_network(rows, TODAY), 1)
    assert {b.type for b in report.brokers} <= {"ally", "contact"}
    assert not {b.node for b in report.brokers} & {"contact:1", "contact:2", "member:1", "member:2", "member:3"}


def test_sampling_is_reported_and_scaled():
    # Sample 1 of the 2 targets (seed 0): the one target's routes count double.
    report = insurer_brokers(build_network(broker_chapter(), TODAY), 1, broker_sample=1, seed=0)
    assert (report.sampled, report.sample_size, report.population, report.seed) == (True, 1, 2, 0)
    # Either target alone: X carries 2.5 of 3 pairs -> scaled score 5, share 2.5/3.
    assert [(b.node, b.score, b.share) for b in report.brokers] == [
        ("ally:1", pytest.approx(5.0), pytest.approx(2.5 / 3)),
        ("ally:2", pytest.approx(1.0), pytest.approx(0.5 / 3)),
    ]


def test_no_targets_no_brokers():
    rows = broker_chapter()
    report = insurer_brokers(build_network(rows, TODAY), 2)
    assert report.brokers == [] and report.connected_pairs == 0 and report.notes


@pytest.mark.parametrize("seed", [4, 5])
def test_dependency_agrees_with_networkx_subset_betweenness(seed):
    rows = synthetic_rows(200, seed)
    net = build_network(rows, TODAY)
    targets = [n for n, d in net.graph.nodes(data=True) if d.get("role") in ("decision_maker", "medical_director")]
    ref = nx.betweenness_centrality_subset(people_graph(net.graph), sources=sorted(net.members), targets=targets,
                                           weight="cost")
    total = {}
    for t in targets:
        dep, _ = target_dependency(net.people, t, net.members)
        for v, x in dep.items():
            total[v] = total.get(v, 0.0) + x
    # networkx halves undirected subset betweenness
    assert {v: x for v, x in total.items()} == pytest.approx({v: 2 * x for v, x in ref.items() if x > 0})
