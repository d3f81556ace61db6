"""The API's behaviour in plain cases: reading, writing, versions, errors, paging."""
from __future__ import annotations

from sqlalchemy import select

from coalition.models import Ally, User
from coalition.platform.extensions import db


def test_lists_and_reads_allies(api, world):
    response = api.get("/allies")
    assert response.status_code == 200
    body = response.get_json()
    names = {a["name"] for a in body["items"]}
    assert names == {"Casey Coordinator-Ally", "Morgan Member"}  # pending sign-ups left out
    assert body["next_cursor"] is None
    one = api.get(f"/allies/{world['alpha']['ally_id']}").get_json()
    assert one["email"] == "casey-alpha@example.org" and one["version"] >= 1


def test_filters_like_the_browser(api, world):
    body = api.get("/allies?kind=medical").get_json()
    assert [a["name"] for a in body["items"]] == ["Casey Coordinator-Ally"]
    body = api.get(f"/allies?issue={world['alpha']['issue_id']}&stance=supporter").get_json()
    assert [a["name"] for a in body["items"]] == ["Casey Coordinator-Ally"]
    assert api.get("/allies?q=morgan").get_json()["items"][0]["name"] == "Morgan Member"


def test_create_records_the_tokens_owner(app, api, world):
    response = api.post("/allies", json={"name": "Riley Regulator", "kind": "regulator",
                                         "influence": 5})
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    with app.app_context():
        ally = db.session.get(Ally, created["id"])
        owner = db.session.scalar(select(User).where(User.email == world["alpha"]["coordinator"]))
        assert ally.created_by_id == owner.id and ally.chapter_id == world["alpha"]["chapter_id"]
    assert "Set-Cookie" not in response.headers


def test_validation_errors_name_the_fields(api):
    response = api.post("/allies", json={"kind": "wizard", "influence": 9, "extra": 1})
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert set(fields) == {"name", "kind", "influence", "extra"}


def test_stale_version_answers_409(api, world):
    ally_id = world["alpha"]["ally_id"]
    version = api.get(f"/allies/{ally_id}").get_json()["version"]
    first = api.patch(f"/allies/{ally_id}", json={"notes": "first", "version": version})
    assert first.status_code == 200 and first.get_json()["version"] == version + 1
    stale = api.patch(f"/allies/{ally_id}", json={"notes": "second"},
                      headers={"If-Match": f'"{version}"'})
    assert stale.status_code == 409
    assert stale.get_json()["error"]["code"] == 409
    assert api.get(f"/allies/{ally_id}").get_json()["notes"] == "first"
    missing = api.patch(f"/allies/{ally_id}", json={"notes": "third"})
    assert missing.status_code == 422 and "version" in missing.get_json()["error"]["fields"]


def test_stale_versions_of_issues_relationships_and_tasks(api, world):
    alpha = world["alpha"]
    for path, change in ((f"/issues/{alpha['issue_id']}", {"title": "New title"}),
                         (f"/relationships/{alpha['relationship_id']}", {"strength": 5}),
                         (f"/tasks/{alpha['task_id']}", {"title": "Call Casey today"})):
        version = api.get(path).get_json()["version"]
        assert api.patch(path, json={**change, "version": version}).status_code == 200, path
        assert api.patch(path, json={**change, "version": version}).status_code == 409, path


def test_errors_are_json_never_html(api, client):
    for response, code in ((api.get("/nowhere"), 404), (api.open("PUT", "/allies"), 405),
                           (client.get("/api/v1/allies"), 401),
                           (api.post("/allies", data="not json",
                                     headers={"Content-Type": "application/json"}), 400),
                           (api.post("/allies", data="x", content_type="text/plain"), 415)):
        assert response.status_code == code
        assert response.mimetype == "application/json"
        assert response.get_json()["error"]["code"] == code


def test_session_cookie_does_not_authenticate(client, auth, world):
    auth.login(world["alpha"]["coordinator"])
    assert client.get("/api/v1/allies").status_code == 401
    assert client.post("/api/v1/allies", json={"name": "X"}).status_code == 401


def test_cursor_paging_returns_every_row_once(app, api, world):
    for n in range(23):
        assert api.post("/allies", json={"name": f"Ally {n:02d}"}).status_code == 201
    seen, cursor, pages = [], None, 0
    while True:
        path = "/allies?limit=5" + (f"&cursor={cursor}" if cursor else "")
        body = api.get(path).get_json()
        seen += [a["id"] for a in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 25 and pages == 5
    assert api.get("/allies?limit=1000").status_code == 200
    assert api.get("/allies?cursor=@@@").status_code == 422


def test_graph_and_leverage(api, world):
    graph = api.get("/graph").get_json()
    assert {"nodes", "edges"} <= set(graph)
    assert any(n.get("id", "").startswith("ally:") for n in graph["nodes"])
    leverage = api.get(f"/issues/{world['alpha']['issue_id']}/leverage")
    assert leverage.status_code == 200 and isinstance(leverage.get_json(), dict)


def test_chapters_lists_the_callers_chapters(api, world):
    items = api.get("/chapters").get_json()["items"]
    assert [(c["slug"], c["role"], c["token_chapter"]) for c in items] == \
        [("alpha", "coordinator", True)]
