"""Graph building: nodes, edge layers, fading, cost, collapsing, dangling rows.

Every expected number is worked out by hand in the comments (half-life 180
days, today 2025-01-01, cost = -ln(usable / 6)).
"""

from datetime import date, timedelta

import pytest

from coalition.leverage.network import (
    AllyRow,
    ChapterRows,
    ContactRow,
    InsurerRow,
    IssueRow,
    MemberRow,
    RelationshipRow,
    StanceRow,
    build_graph,
    link_cost,
    node_id,
    parse_node_id,
    people_graph,
    usable_strength,
)

TODAY = date(2025, 1, 1)


def days_ago(n):
    return TODAY - timedelta(days=n)


def rel(id_, a, b, strength, last=None, since=None, kind="knows", owner=None):
    (at, ai), (bt, bi) = a, b
    return RelationshipRow(id_, at, ai, bt, bi, kind, strength, since, last, owner)


def chapter(**kw):
    base = dict(
        chapter_id=1, members=(), allies=(), contacts=(), insurers=(), issues=(), stances=(), relationships=()
    )
    base.update(kw)
    return ChapterRows(**base)


def test_node_ids_round_trip():
    assert node_id("ally", 5) == "ally:5"
    assert parse_node_id("contact:12") == ("contact", 12)


@pytest.mark.parametrize(
    "strength, age, expected",
    [
        (4, 0, 4.0),  # fresh: no fading
        (4, 180, 2.0),  # one half-life: 4 * 0.5
        (3, 360, 0.75),  # two half-lives: 3 * 0.25
        (5, 90, 3.5355339),  # 5 * 0.5 ** 0.5 = 5 / sqrt(2)
    ],
)
def test_fading_formula(strength, age, expected):
    assert usable_strength(strength, age, 180) == pytest.approx(expected)


@pytest.mark.parametrize(
    "usable, expected",
    [
        (6.0, 0.0),  # -ln(1)
        (5.0, 0.1823216),  # ln(6/5), the cheapest possible hop
        (4.0, 0.4054651),  # ln(1.5)
        (3.0, 0.6931472),  # ln 2
        (2.0, 1.0986123),  # ln 3
        (1.0, 1.7917595),  # ln 6
    ],
)
def test_cost_formula(usable, expected):
    assert link_cost(usable) == pytest.approx(expected)


def fading_chapter():
    return chapter(
        members=(MemberRow(1, "Mia"),),
        allies=tuple(AllyRow(i, f"Ally {i}", "patient", 1, None) for i in range(1, 7)),
        relationships=(
            rel(1, ("member", 1), ("ally", 1), 4, last=days_ago(180), owner=1),
            rel(2, ("member", 1), ("ally", 2), 5, last=TODAY),
            # no last contact: age from since, 360 days
            rel(3, ("member", 1), ("ally", 3), 3, since=days_ago(360)),
            # no dates at all: treated as one half-life old
            rel(4, ("member", 1), ("ally", 4), 2),
            # last contact in the future counts as today
            rel(5, ("member", 1), ("ally", 5), 5, last=TODAY + timedelta(days=3)),
            # last contact wins over since
            rel(6, ("member", 1), ("ally", 6), 4, last=days_ago(0), since=days_ago(900)),
        ),
    )


def test_relationship_edges_fade_with_age():
    G = build_graph(fading_chapter(), TODAY, half_life_days=180)
    e = G.edges["member:1", "ally:1"]
    # 180 days old: usable = 4 * 0.5 = 2, cost = -ln(2/6) = ln 3
    assert e["edge_type"] == "relationship" and e["layer"] == "people"
    assert e["age_days"] == 180 and e["usable"] == pytest.approx(2.0) and e["cost"] == pytest.approx(1.0986123)
    assert e["owner_member_id"] == 1 and e["last_contact"] == "2024-07-05" and e["strength"] == 4
    e = G.edges["member:1", "ally:2"]
    assert e["usable"] == pytest.approx(5.0) and e["cost"] == pytest.approx(0.1823216)  # ln(6/5)
    e = G.edges["member:1", "ally:3"]
    # since 360 days: 3 * 0.25 = 0.75, cost = -ln(0.75/6) = ln 8
    assert e["age_days"] == 360 and e["usable"] == pytest.approx(0.75) and e["cost"] == pytest.approx(2.0794415)
    e = G.edges["member:1", "ally:4"]
    # undated: one half-life, 2 * 0.5 = 1, cost ln 6
    assert e["age_days"] == 180 and e["usable"] == pytest.approx(1.0) and e["cost"] == pytest.approx(1.7917595)
    assert G.edges["member:1", "ally:5"]["age_days"] == 0
    assert G.edges["member:1", "ally:6"]["usable"] == pytest.approx(4.0)


def test_half_life_is_a_parameter():
    G = build_graph(fading_chapter(), TODAY, half_life_days=90)
    # 180 days is two half-lives of 90: 4 * 0.25 = 1
    assert G.edges["member:1", "ally:1"]["usable"] == pytest.approx(1.0)
    with pytest.raises(ValueError):
        build_graph(fading_chapter(), TODAY, half_life_days=0)


def org_chapter():
    return chapter(
        members=(MemberRow(1, "Mia"), MemberRow(2, "Noa")),
        allies=(
            AllyRow(1, "Commissioner", "regulator", 5, "north"),
            AllyRow(2, "Deputy south", "regulator", 3, "south"),
            AllyRow(3, "Pat", "patient", 2, None, "Back pain group", True),
        ),
        insurers=(InsurerRow(1, "Acme", ("north", "east")), InsurerRow(2, "Bolt", ("west",))),
        contacts=(
            ContactRow(1, 1, "Dana", "VP Network", "decision_maker", None),
            ContactRow(2, 1, "Rui", None, "provider_relations", 1),
            ContactRow(3, 1, "Lee", "Analyst", "other", 99),  # reports to a stranger
            ContactRow(4, 77, "Kim", None, "other", None),  # insurer not in the rows
        ),
        issues=(IssueRow(1, 1, "12-visit cap", ("north",), ("vestibular",)),),
        stances=(
            StanceRow(3, 1, "unknown"),
            StanceRow(3, 1, "supporter"),  # last row for the pair wins
            StanceRow(99, 1, "champion"),  # unknown ally
            StanceRow(1, 42, "champion"),  # unknown issue
        ),
        relationships=(
            # two links between the same people: the more usable one stays
            rel(1, ("member", 1), ("ally", 3), 2, last=TODAY),  # usable 2
            rel(2, ("ally", 3), ("member", 1), 5, last=days_ago(360)),  # 5 * 0.25 = 1.25
            rel(3, ("member", 2), ("contact", 2), 1, last=TODAY, owner=2),  # usable 1
            rel(4, ("contact", 2), ("contact", 1), 5, last=TODAY),  # usable 5 beats reports-to 4
            rel(5, ("member", 1), ("contact", 99), 5, last=TODAY),  # dangling
            rel(6, ("ally", 1), ("insurer", 1), 5, last=TODAY),  # not a person: ignored
            rel(7, ("member", 2), ("member", 2), 5, last=TODAY),  # self loop: ignored
        ),
    )


def test_nodes_carry_their_attributes_and_dangling_rows_create_nothing():
    G = build_graph(org_chapter(), TODAY)
    assert sorted(G.nodes) == sorted(
        ["member:1", "member:2", "ally:1", "ally:2", "ally:3", "contact:1", "contact:2", "contact:3", "contact:4",
         "insurer:1", "insurer:2", "issue:1"]
    )
    assert G.nodes["ally:3"] == {
        "type": "ally", "label": "Pat", "kind": "patient", "influence": 2,
        "organisation": "Back pain group", "consent": True,
    }  # region None is left out
    assert G.nodes["contact:1"]["role"] == "decision_maker" and G.nodes["contact:1"]["insurer"] == "insurer:1"
    assert "insurer" not in G.nodes["contact:4"]
    assert G.nodes["issue:1"]["coverage_gap_regions"] == ("north",)
    assert G.nodes["insurer:1"]["regions"] == ("north", "east")


def test_edge_types_and_layers():
    G = build_graph(org_chapter(), TODAY)
    types = {tuple(sorted((u, v))): d["edge_type"] for u, v, d in G.edges(data=True)}
    assert types == {
        ("ally:3", "member:1"): "relationship",
        ("contact:2", "member:2"): "relationship",
        ("contact:1", "contact:2"): "relationship",
        ("ally:3", "issue:1"): "stance",
        ("contact:1", "insurer:1"): "employment",
        ("contact:2", "insurer:1"): "employment",
        ("contact:3", "insurer:1"): "employment",
        ("ally:1", "insurer:1"): "oversight",  # north is one of Acme's regions; the south deputy oversees nobody
    }
    assert G.edges["ally:3", "issue:1"]["stance"] == "supporter"
    assert all((d["layer"] == "people") == (d["edge_type"] in ("relationship", "reports_to"))
               for _, _, d in G.edges(data=True))


def test_parallel_links_collapse_to_the_most_usable():
    G = build_graph(org_chapter(), TODAY)
    e = G.edges["member:1", "ally:3"]
    # rel 1: usable 2; rel 2: 5 * 0.5 ** 2 = 1.25 -> rel 1 stays, standing for 2 rows
    assert e["relationship_id"] == 1 and e["usable"] == pytest.approx(2.0) and e["links"] == 2
    e = G.edges["contact:1", "contact:2"]
    # the reports-to link (fixed 4) loses against a fresh strength-5 relationship
    assert e["edge_type"] == "relationship" and e["usable"] == pytest.approx(5.0) and e["links"] == 2


def test_reports_to_has_a_fixed_strength_that_does_not_fade():
    rows = chapter(
        contacts=(ContactRow(1, 1, "Boss", None, "decision_maker", None), ContactRow(2, 1, "Rep", None, "other", 1)),
    )
    for today in (TODAY, TODAY + timedelta(days=3000)):
        e = build_graph(rows, today).edges["contact:1", "contact:2"]
        # strength 4, cost = -ln(4/6) = ln 1.5
        assert e["edge_type"] == "reports_to" and e["usable"] == 4.0 and e["cost"] == pytest.approx(0.4054651)
        assert e["a"] == "contact:2"  # the subordinate


def test_people_graph_has_only_people_and_people_links():
    G = build_graph(org_chapter(), TODAY)
    P = people_graph(G)
    assert {d["type"] for _, d in P.nodes(data=True)} == {"member", "ally", "contact"}
    assert {d["edge_type"] for _, _, d in P.edges(data=True)} == {"relationship"}
    assert P.number_of_edges() == 3
