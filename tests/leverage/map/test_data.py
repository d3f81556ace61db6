"""network.data: the JSON the map page draws, filtered and scoped to the chapter."""
from __future__ import annotations

import pytest

from coalition.platform.extensions import db
from tests import factories
from tests.leverage.map.conftest import add_extras


def _data(client, query: str = "", slug: str = "alpha"):
    response = client.get(f"/c/{slug}/map/data.json{query}")
    assert response.status_code == 200, response.data[:300]
    return response.get_json()


def _labels(payload) -> set[str]:
    return {n["data"]["label"] for n in payload["elements"]["nodes"]}


def test_full_map_of_the_chapter(client, auth, mapped):
    auth.login(mapped["alpha"]["member"])
    payload = _data(client)
    assert payload["mode"] == "full"
    assert len(payload["elements"]["nodes"]) == 10
    assert len(payload["elements"]["edges"]) == 9
    assert {"Olive Org", "Wendy West", "Casey Coordinator-Ally", "Dana Decider"} <= _labels(payload)
    # Morgan gave no consent: shown by kind and number, never by name
    assert "Morgan Member" not in _labels(payload)
    assert f"Ally {mapped['alpha']['own_ally_id']}" in _labels(payload)
    # the pending sign-up is not part of the map
    assert "Sam Signup" not in _labels(payload)
    assert payload["legend"]["kinds"] and payload["paths"] == []
    assert payload["can_save_layout"] is False
    node = next(n for n in payload["elements"]["nodes"] if n["data"]["label"] == "Olive Org")
    assert node["data"]["shape"] == "ellipse" and node["data"]["kind"] == "patient_org"
    assert "email" not in node["data"]


@pytest.mark.parametrize("query,nodes", [
    ("?kind=patient_org", 7),           # Olive, both members, 2 contacts, insurer, issue
    ("?kind=patient", 6),               # Wendy, the member (Wendy, Reggie), 2 contacts, ...
    ("?kind=patient&kind=patient_org", 8),
    ("?region=Washington", 6),          # Wendy alone among the allies
    ("?stance=champion", 7),            # Olive is the only champion
    ("?issue={issue}", 8),              # Casey and Olive have a stance on the issue
    ("?issue={issue}&stance=supporter", 7),
    ("?min_strength=4", 10),            # links go, nodes stay
    ("?q=Olive", 3),                    # Olive, the coordinator, the issue
    ("?kind=nonsense", 10),             # unknown kinds are ignored
])
def test_each_filter(client, auth, mapped, query, nodes):
    auth.login(mapped["alpha"]["member"])
    payload = _data(client, query.format(issue=mapped["alpha"]["issue_id"]))
    assert len(payload["elements"]["nodes"]) == nodes


def test_min_strength_drops_weak_links(client, auth, mapped):
    auth.login(mapped["alpha"]["member"])
    payload = _data(client, "?min_strength=4")
    # the strength-3 and strength-1 relationships go; Olive's 5 and the structure stay
    assert len(payload["elements"]["edges"]) == 6


def test_issue_map_offers_access_paths(client, auth, mapped):
    auth.login(mapped["alpha"]["member"])
    a = mapped["alpha"]
    payload = _data(client, f"?issue={a['issue_id']}")
    # the member knows Reggie, who reports to the decision maker Dana
    dana = f"contact:{a['boss_contact_id']}"
    paths = [p for p in payload["paths"] if p["target"] == dana]
    assert paths, payload["paths"]
    best = paths[0]
    assert best["nodes"] == [f"member:{a['membership_id']}", f"contact:{a['contact_id']}", dana]
    assert best["edges"] == [f"rel:{a['own_relationship_id']}", f"reports:{a['contact_id']}"]
    edge_ids = {e["data"]["id"] for e in payload["elements"]["edges"]}
    assert set(best["edges"]) <= edge_ids
    assert all("label" not in p for p in payload["paths"])  # names come from the map only


def test_scoped_to_the_chapter(client, auth, mapped):
    auth.login(mapped["alpha"]["coordinator"])
    payload = _data(client)
    assert "Bea Betaonly" not in _labels(payload)
    text = str(payload)
    assert "Beta Health Plan" not in text and "beta" not in text.lower().replace("betaonly", "")
    # beta's issue id in alpha's map: 404, like any other chapter's id
    assert client.get(f"/c/alpha/map/data.json?issue={mapped['beta']['issue_id']}").status_code == 404
    assert client.get("/c/alpha/map/?issue=nope").status_code == 404
    # and beta's map is not alpha's coordinator's to see
    assert client.get("/c/beta/map/data.json").status_code == 404


def test_links_to_the_rows_pages(client, auth, mapped):
    auth.login(mapped["alpha"]["member"])
    payload = _data(client)
    by_id = {n["data"]["id"]: n["data"] for n in payload["elements"]["nodes"]}
    a = mapped["alpha"]
    if "href" in by_id[f"ally:{mapped['olive_id']}"]:
        assert by_id[f"ally:{mapped['olive_id']}"]["href"] == f"/c/alpha/allies/{mapped['olive_id']}"
    contact = by_id[f"contact:{a['contact_id']}"]
    if "href" in contact:  # a contact links to its insurer's page
        assert contact["href"] == f"/c/alpha/insurers/{a['insurer_id']}"


def test_overview_above_the_threshold(app_factory, mapped_large):
    client, world = mapped_large
    payload = _data(client)
    assert payload["mode"] == "overview"
    nodes = payload["elements"]["nodes"]
    # groups: members 2, contacts 2, insurer 1, issue 1, and the allies by kind:
    # medical 1, other 1, patient_org 1, patient 1
    counts = {n["data"]["group"]: n["data"]["count"] for n in nodes}
    assert counts == {"type:member": 2, "type:contact": 2, "type:insurer": 1, "type:issue": 1,
                      "kind:medical": 1, "kind:other": 1, "kind:patient_org": 1,
                      "kind:patient": 1}
    assert all(n["data"]["type"] == "group" for n in nodes)
    assert payload["meta"]["node_count"] == 10
    summary = {e["data"]["id"]: e["data"]["count"] for e in payload["elements"]["edges"]}
    # the two members' four relationships go to four different groups
    assert summary["summary:group:kind:patient_org|group:type:member"] == 1
    assert summary["summary:group:type:contact|group:type:member"] == 1
    assert summary["summary:group:type:contact|group:type:insurer"] == 2  # employment


def test_expand_a_group(app_factory, mapped_large):
    client, world = mapped_large
    payload = _data(client, "?group=type:member")
    assert payload["mode"] == "group"
    ids = {n["data"]["id"] for n in payload["elements"]["nodes"]}
    a = world["alpha"]
    # threshold 5: both members drawn, the 7 other groups stay summaries
    assert {f"member:{a['coordinator_membership_id']}", f"member:{a['membership_id']}"} <= ids
    assert len(ids) == 9
    assert payload["meta"]["hidden"] == 0
    # a link from a drawn member to a summary group
    assert any(e["data"]["source"].startswith("member:") or e["data"]["target"].startswith("member:")
               for e in payload["elements"]["edges"])


@pytest.fixture
def mapped_large(app_factory):
    """The same chapter as ``mapped`` in an app whose MAP_MAX_NODES is 5."""
    app = app_factory(MAP_MAX_NODES=5)
    with app.app_context():
        world = factories.build_world(db.session)
        add_extras(db.session, world)
    client = app.test_client()
    client.post("/login", data={"email": world["alpha"]["member"], "password": factories.PASSWORD})
    return client, world


def test_server_places_large_maps(client, auth, mapped, monkeypatch):
    from coalition.leverage import auto_layout

    monkeypatch.setattr(auto_layout, "SERVER_LAYOUT_NODES", 5)
    auth.login(mapped["alpha"]["coordinator"])
    olive = f"ally:{mapped['olive_id']}"
    client.post("/c/alpha/map/layout", json={"positions": {olive: {"x": -5, "y": 6}}})
    payload = _data(client)
    assert payload["meta"]["server_layout"] is True
    positions = {n["data"]["id"]: n.get("position") for n in payload["elements"]["nodes"]}
    assert all(p is not None for p in positions.values())
    assert positions[olive] == {"x": -5.0, "y": 6.0}  # the saved position wins
    assert len({(p["x"], p["y"]) for p in positions.values()}) == len(positions)


def test_small_maps_are_laid_out_in_the_browser(client, auth, mapped):
    auth.login(mapped["alpha"]["member"])
    payload = _data(client)
    assert payload["meta"]["server_layout"] is False
    assert not any("position" in n for n in payload["elements"]["nodes"])
