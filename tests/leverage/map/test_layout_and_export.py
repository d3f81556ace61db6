"""Saved layouts, exports and the vendor files."""
from __future__ import annotations

import json

import pytest

from coalition.leverage import map_exports as exports


def test_save_layout_roundtrip(client, auth, mapped):
    auth.login(mapped["alpha"]["coordinator"])
    olive = f"ally:{mapped['olive_id']}"
    response = client.post("/c/alpha/map/layout",
                           json={"positions": {olive: {"x": 12.5, "y": -40}}, "issue": None})
    assert response.status_code == 200
    assert response.get_json() == {"saved": 1, "issue": None}
    data = client.get("/c/alpha/map/data.json").get_json()
    node = next(n for n in data["elements"]["nodes"] if n["data"]["id"] == olive)
    assert node["position"] == {"x": 12.5, "y": -40.0}
    assert data["meta"]["saved_layout"] is True
    # saving again replaces; the issue map has a layout of its own
    client.post("/c/alpha/map/layout", json={"positions": {olive: {"x": 1, "y": 2}}})
    issue = mapped["alpha"]["issue_id"]
    client.post("/c/alpha/map/layout",
                json={"positions": {olive: {"x": 7, "y": 8}}, "issue": issue})
    chapter_map = client.get("/c/alpha/map/data.json").get_json()
    issue_map = client.get(f"/c/alpha/map/data.json?issue={issue}").get_json()
    pos = {n["data"]["id"]: n.get("position") for n in chapter_map["elements"]["nodes"]}
    assert pos[olive] == {"x": 1.0, "y": 2.0}
    pos = {n["data"]["id"]: n.get("position") for n in issue_map["elements"]["nodes"]}
    assert pos[olive] == {"x": 7.0, "y": 8.0}


@pytest.mark.parametrize("body", [
    {"positions": {"ally:1": {"x": "left", "y": 2}}},
    {"positions": {"<script>": {"x": 1, "y": 2}}},
    {"positions": {"ally:1": {"x": float("inf"), "y": 2}}},
    {"positions": []},
])
def test_save_layout_refuses_bad_positions(client, auth, mapped, body):
    auth.login(mapped["alpha"]["coordinator"])
    response = client.post("/c/alpha/map/layout", data=json.dumps(body),
                           content_type="application/json")
    assert response.status_code == 400


def test_members_cannot_save_a_layout(client, auth, mapped):
    auth.login(mapped["alpha"]["member"])
    response = client.post("/c/alpha/map/layout", json={"positions": {}})
    assert response.status_code == 403


def test_another_chapters_issue_layout_is_404(client, auth, mapped):
    auth.login(mapped["alpha"]["coordinator"])
    response = client.post("/c/alpha/map/layout",
                           json={"positions": {}, "issue": mapped["beta"]["issue_id"]})
    assert response.status_code == 404


def test_save_layout_needs_the_csrf_token(app_factory):
    from coalition.platform.extensions import db
    from tests import factories

    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        world = factories.build_world(db.session)
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post("/login", data={"email": world["alpha"]["coordinator"],
                                "password": factories.PASSWORD, "csrf_token": token})
    without = client.post("/c/alpha/map/layout", json={"positions": {}})
    assert without.status_code == 400
    html = client.get("/c/alpha/map/").get_data(as_text=True)
    meta = html.split('name="csrf-token" content="')[1].split('"')[0]
    with_token = client.post("/c/alpha/map/layout", json={"positions": {}},
                             headers={"X-CSRFToken": meta})
    assert with_token.status_code == 200


@pytest.mark.parametrize("fmt", sorted(exports.formats()))
def test_export_downloads(client, auth, mapped, fmt):
    auth.login(mapped["alpha"]["member"])
    response = client.get(f"/c/alpha/map/export?format={fmt}&kind=patient_org")
    assert response.status_code == 200
    assert response.data
    if fmt == "png":
        assert response.data[:8] == b"\x89PNG\r\n\x1a\n"
    elif fmt == "csv":
        import io
        import zipfile

        assert zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    elif fmt in ("cytoscape", "nodelink"):
        json.loads(response.data)
    elif fmt in ("graphml", "gexf", "svg"):
        from xml.etree import ElementTree

        ElementTree.fromstring(response.data)
    assert b"Olive Org" in response.data or fmt in ("png", "csv")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment") and "alpha-map." in disposition
    assert response.headers["Content-Type"].split(";")[0] == exports.content_type(fmt).split(";")[0]


def test_export_of_an_issue_map_is_named_after_it(client, auth, mapped):
    auth.login(mapped["alpha"]["member"])
    issue = mapped["alpha"]["issue_id"]
    response = client.get(f"/c/alpha/map/export?format=nodelink&issue={issue}")
    assert f"alpha-map-issue-{issue}.json" in response.headers["Content-Disposition"]


def test_unknown_export_format_is_404(client, auth, mapped):
    auth.login(mapped["alpha"]["member"])
    assert client.get("/c/alpha/map/export?format=exe").status_code == 404


def test_contact_details_only_for_coordinators(client, auth, mapped):
    query = "/c/alpha/map/export?format=nodelink&include_contact_details=1"
    auth.login(mapped["alpha"]["member"])
    assert client.get(query).status_code == 403
    plain = client.get("/c/alpha/map/export?format=nodelink").get_data(as_text=True)
    assert "olive@example.org" not in plain
    auth.logout()
    auth.login(mapped["alpha"]["coordinator"])
    body = client.get(query).get_data(as_text=True)
    assert "olive@example.org" in body            # Olive consented
    assert "casey-alpha@example.org" in body
    without = client.get("/c/alpha/map/export?format=nodelink").get_data(as_text=True)
    assert "olive@example.org" not in without     # only when asked for


def test_vendor_serves_the_allow_list_only(client):
    # before set-up too: the set-up gate lets /vendor through
    response = client.get("/vendor/cytoscape.min.js")
    assert response.status_code == 200
    assert response.cache_control.max_age == 365 * 24 * 3600
    assert b"cytoscape" in response.data[:2000]
    for name in ("layout-base.js", "cose-base.js", "cytoscape-fcose.js", "cytoscape-svg.js"):
        assert client.get(f"/vendor/{name}").status_code == 200, name
    for name in ("package.json", "cytoscape/package.json", "../package.json",
                 "axe-core/axe.min.js", "axe.min.js"):
        assert client.get(f"/vendor/{name}").status_code == 404, name


@pytest.mark.parametrize("fmt", ["graphml", "svg", "csv"])
def test_export_is_streamed_with_its_headers(client, auth, mapped, fmt):
    auth.login(mapped["alpha"]["member"])
    response = client.get(f"/c/alpha/map/export?format={fmt}")
    assert response.status_code == 200 and response.is_streamed
    assert response.headers["Content-Type"].split(";")[0] == exports.content_type(fmt).split(";")[0]
    assert response.headers["Content-Disposition"] == f"attachment; filename=alpha-map{exports.extension(fmt)}"
    assert "Content-Length" not in response.headers
    assert response.data


def test_exported_picture_is_titled_with_the_chapter(client, auth, mapped, world):
    from coalition.models import Chapter
    from coalition.platform.extensions import db

    auth.login(mapped["alpha"]["member"])
    body = client.get("/c/alpha/map/export?format=svg").get_data(as_text=True)
    with client.application.app_context():
        name = db.session.get(Chapter, world["alpha"]["chapter_id"]).name
    assert '<text id="heading" x="20" y="32"' in body and f"{name}: ally map - " in body


def test_export_that_cannot_start_says_so(client, auth, mapped, monkeypatch, tmp_path):
    from coalition.leverage.mapexport import html

    monkeypatch.setattr(html, "CYTOSCAPE_JS", tmp_path / "missing.js")
    auth.login(mapped["alpha"]["member"])
    response = client.get("/c/alpha/map/export?format=html")
    assert response.status_code == 503
    text = response.get_data(as_text=True)
    assert "Content-Disposition" not in response.headers and "<html" in text
    assert "“Stand-alone web page” cannot be made on this server at the moment" in text
    assert "missing.js" not in text  # the server's paths stay in the log
