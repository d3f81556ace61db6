from __future__ import annotations

import pytest

from coalition.leverage.mapexport.mapdata import MapFilters, build_map, clean_text, legend

from .conftest import CONTACT_DETAILS, TODAY


def ids(m):
    return sorted(n.id for n in m.nodes), sorted(e.id for e in m.edges)


def test_full_map_counts_and_edge_ids(rows):
    m = build_map(rows, TODAY)
    assert len(m.nodes) == 17
    assert sorted(e.id for e in m.edges) == sorted([
        "rel:1", "rel:2", "rel:3", "rel:4", "rel:6", "reports:2",
        "stance:1-1", "stance:2-1", "stance:3-1", "stance:5-2",
        "employ:1", "employ:2", "employ:3", "oversight:4-1",
    ])
    assert m.meta["node_count"] == 17 and m.meta["edge_count"] == 14


def test_node_style_and_edge_attributes(rows):
    m = build_map(rows, TODAY)
    by = {n.id: n for n in m.nodes}
    assert by["member:1"].shape == "diamond" and by["ally:1"].shape == "ellipse"
    assert by["contact:1"].shape == "round-rectangle" and by["insurer:1"].shape == "hexagon"
    assert by["issue:1"].shape == "star"
    assert by["ally:1"].colour == legend()["kinds"][2]["colour"]  # patient_org
    assert by["ally:3"].size > by["ally:1"].size  # influence 5 > 4
    assert by["contact:2"].role == "provider_relations"
    edges = {e.id: e for e in m.edges}
    r1, r2, r3, r6 = edges["rel:1"], edges["rel:2"], edges["rel:3"], edges["rel:6"]
    assert (r1.source, r1.target, r1.owner, r1.strength) == ("member:1", "ally:1", "member:1", 4)
    # 31 days old: 4 * 0.5 ** (31/180)
    assert r1.usable == pytest.approx(4 * 0.5 ** (31 / 180), abs=1e-3)
    assert r1.width > r2.width
    assert not r1.stale and r2.stale and r3.stale and not r6.stale
    assert edges["reports:2"].source == "contact:2" and edges["reports:2"].target == "contact:1"
    assert edges["stance:3-1"].kind == "opposed"
    assert edges["oversight:4-1"].source == "ally:4"


def test_allies_without_consent_are_pseudonymised(rows):
    m = build_map(rows, TODAY, include_contact_details=True, contact_details=CONTACT_DETAILS)
    by = {n.id: n for n in m.nodes}
    a2 = by["ally:2"]
    assert a2.pseudonymised and a2.label == "Patient 2"
    assert a2.region is None and a2.organisation is None
    assert a2.email is None and a2.phone is None  # never, even when asked
    assert by["ally:1"].email == "alice@example.org" and by["ally:1"].organisation == "Org A"
    assert by["member:1"].email == "mia@example.org" and by["member:1"].phone is None
    assert "script" not in repr(m.to_dict())
    assert m.meta["pseudonymised"] == 1


def test_no_contact_details_unless_asked(rows):
    m = build_map(rows, TODAY, contact_details=CONTACT_DETAILS)
    assert all("email" not in n.to_dict() and "phone" not in n.to_dict() for n in m.nodes)


def test_issue_filter(rows):
    m = build_map(rows, TODAY, filters=MapFilters(issue_id=1))
    nodes, edges = ids(m)
    assert nodes == sorted(["member:1", "ally:1", "ally:2", "ally:3", "contact:1", "contact:2",
                            "insurer:1", "issue:1"])
    assert len(edges) == 10
    assert {n.id: n.stance for n in m.nodes if n.type == "ally"} == {
        "ally:1": "champion", "ally:2": "supporter", "ally:3": "opposed"}
    m = build_map(rows, TODAY, filters=MapFilters(issue_id=1, stances=("champion",)))
    assert [n.id for n in m.nodes if n.type == "ally"] == ["ally:1"]
    with pytest.raises(ValueError):
        build_map(rows, TODAY, filters=MapFilters(issue_id=99))


def test_kind_region_and_strength_filters(rows):
    m = build_map(rows, TODAY, filters=MapFilters(kinds=("patient",)))
    assert len(m.nodes) == 9 and len(m.edges) == 7
    m = build_map(rows, TODAY, filters=MapFilters(regions=("north",)))
    assert [n.id for n in m.nodes if n.type == "ally"] == ["ally:1", "ally:3", "ally:4"]
    m = build_map(rows, TODAY, filters=MapFilters(min_strength=3))
    assert len(m.nodes) == 17 and len(m.edges) == 12
    m = build_map(rows, TODAY, filters=MapFilters(stances=("supporter",)))
    assert [n.id for n in m.nodes if n.type == "ally"] == ["ally:2", "ally:5"]


def test_search_keeps_matches_and_neighbours(rows):
    m = build_map(rows, TODAY, filters=MapFilters(search="alice"))
    nodes, edges = ids(m)
    assert nodes == sorted(["ally:1", "member:1", "ally:3", "issue:1"])
    assert edges == sorted(["rel:1", "rel:3", "stance:1-1", "stance:3-1"])
    # The real name of a pseudonymised ally is not searchable; its pseudonym is.
    assert build_map(rows, TODAY, filters=MapFilters(search="script")).nodes == []
    assert len(build_map(rows, TODAY, filters=MapFilters(search="Patient 2")).nodes) == 3


def test_strings_are_xml_clean_and_positions_used(rows):
    m = build_map(rows, TODAY, positions={"ally:5": (1.234, -5)})
    a5 = next(n for n in m.nodes if n.id == "ally:5")
    assert a5.label == 'Q "quote" & amp' and (a5.x, a5.y) == (1.23, -5.0)
    assert all(n.x is None for n in m.nodes if n.id != "ally:5")
    assert clean_text("a\x00b\x1bc\ud800\ufffe\td") == "abc\td"


def test_deterministic(rows):
    assert build_map(rows, TODAY).to_dict() == build_map(rows, TODAY).to_dict()


def test_the_map_has_the_graphs_edges_with_the_same_strengths():
    """The map is built from the rows without the chapter graph: on a generated chapter with
    repeated pairs (a weaker and a stronger row for the same two people, a relationship
    beside a reports-to link) it still has exactly the graph's edges, the same winning row
    for each pair and the same strengths."""
    from dataclasses import replace

    from coalition.leverage.network.graph import build_graph
    from coalition.leverage.network.rows import RelationshipRow
    from coalition.leverage.network.synthetic import TODAY as SYNTHETIC_TODAY
    from coalition.leverage.network.synthetic import synthetic_rows

    rows = synthetic_rows(200, seed=3)
    extra = [replace(r, id=r.id + 10_000, strength=6 - r.strength, last_contact=None)
             for r in rows.relationships[:30]]
    boss = next(c for c in rows.contacts if c.reports_to_id is not None)
    extra.append(RelationshipRow(20_000, "contact", boss.id, "contact", boss.reports_to_id, "knows", 5,
                                 None, SYNTHETIC_TODAY, None))
    rows = replace(rows, relationships=rows.relationships + tuple(extra))
    G = build_graph(rows, SYNTHETIC_TODAY)
    m = build_map(rows, SYNTHETIC_TODAY)
    assert {frozenset((e.source, e.target)) for e in m.edges} == {frozenset(p) for p in G.edges}
    for e in m.edges:
        d = G.edges[e.source, e.target]
        assert e.type == d["edge_type"]
        if e.type == "relationship":
            assert e.id == f"rel:{d['relationship_id']}" and e.source == d["a"]
            assert (e.strength, e.usable) == (d["strength"], round(d["usable"], 4))
    # the strength-5 row dated today beats the reports-to link (usable 4) for that pair
    pair = G.edges[f"contact:{boss.id}", f"contact:{boss.reports_to_id}"]
    assert pair["relationship_id"] == 20_000 and pair["links"] == 2
