"""Who gets what through the API, walked over the URL map: every ``api.`` operation with
alpha's ids, for beta's token (404), a read-only token (403 on writes), a revoked token and
a deactivated user's token (401). And the description lists exactly the API's routes."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from coalition import create_app
from coalition.models import User
from coalition.models.tokens import PersonalAccessToken
from coalition.platform.extensions import db
from tests.conftest import make_config

PUBLIC = {"api.openapi", "api.docs"}


def _api_rules(app):
    return sorted((r for r in app.url_map.iter_rules() if r.endpoint.startswith("api.")),
                  key=lambda r: (r.rule, r.endpoint))


def _methods(rule) -> list[str]:
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


def _openapi_path(rule) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)


def _operations():
    import pathlib
    import tempfile

    app = create_app(make_config(pathlib.Path(tempfile.mkdtemp())))
    return [(rule.endpoint, rule.rule, method, tuple(sorted(rule.arguments)))
            for rule in _api_rules(app) for method in _methods(rule)]


OPERATIONS = _operations()
PRIVATE = [op for op in OPERATIONS if op[0] not in PUBLIC]
WRITES = [op for op in PRIVATE if op[2] != "GET"]
BY_ID = [op for op in PRIVATE if op[3]]


def _url(app, endpoint, arguments, ids):
    from flask import url_for

    with app.test_request_context():
        return url_for(endpoint, **{name: ids[name] for name in arguments})


def _call(app, client, token, endpoint, method, arguments, ids, json=None):
    return client.open(_url(app, endpoint, arguments, ids), method=method,
                       headers={"Authorization": f"Bearer {token}"},
                       json=json if json is not None else ({} if method in ("POST", "PATCH")
                                                           else None))


def test_description_lists_exactly_the_api_routes(app, client, world):
    doc = client.get("/api/v1/openapi.json").get_json()
    described = {(path, method.upper(), op["operationId"]) for path, item in doc["paths"].items()
                 for method, op in item.items() if method != "parameters"}
    routed = {(_openapi_path(rule), method, rule.endpoint.removeprefix("api."))
              for rule in _api_rules(app) for method in _methods(rule)}
    assert described == routed
    assert doc["openapi"] == "3.1.0"
    assert doc["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    public = {op["operationId"] for item in doc["paths"].values()
              for method, op in item.items() if method != "parameters" and op.get("security") == []}
    assert public == {endpoint.removeprefix("api.") for endpoint in PUBLIC}


@pytest.mark.parametrize("endpoint,rule,method,arguments", BY_ID, ids=[f"{o[0]}-{o[2]}" for o in BY_ID])
def test_other_chapters_token_gets_404(app, client, world, make_token, endpoint, rule,
                                       method, arguments):
    token = make_token("beta", "coordinator", "read_write")
    response = _call(app, client, token, endpoint, method, arguments, world["alpha"])
    assert response.status_code == 404, f"{method} {rule}: {response.status_code}"
    assert response.get_json()["error"]["code"] == 404


@pytest.mark.parametrize("endpoint,rule,method,arguments", WRITES, ids=[f"{o[0]}-{o[2]}" for o in WRITES])
def test_read_only_token_cannot_write(app, client, world, make_token, endpoint, rule, method,
                                      arguments):
    token = make_token("alpha", "coordinator", "read")
    response = _call(app, client, token, endpoint, method, arguments, world["alpha"])
    assert response.status_code == 403, f"{method} {rule}: {response.status_code}"


@pytest.mark.parametrize("endpoint,rule,method,arguments", PRIVATE, ids=[f"{o[0]}-{o[2]}" for o in PRIVATE])
def test_revoked_and_deactivated_tokens_get_401(app, client, world, make_token, endpoint,
                                                rule, method, arguments):
    revoked = make_token("alpha", "coordinator", "read_write")
    disabled = make_token("alpha", "member", "read_write")
    with app.app_context():
        from coalition.accounts import tokens

        tokens.revoke(db.session.scalar(select(PersonalAccessToken).where(
            PersonalAccessToken.token_hash == tokens.hash_token(revoked))))
        db.session.scalar(select(User).where(User.email == world["alpha"]["member"])).active = False
        db.session.commit()
    for token in (revoked, disabled, "coal_not-a-real-token"):
        response = _call(app, client, token, endpoint, method, arguments, world["alpha"])
        assert response.status_code == 401, f"{method} {rule}: {response.status_code}"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


COORDINATOR_ONLY = [("POST", "/insurers", {"name": "X"}),
                    ("PATCH", "/insurers/{insurer_id}", {"name": "X"}),
                    ("DELETE", "/insurers/{insurer_id}", None),
                    ("POST", "/contacts", {"insurer_id": "{insurer_id}", "name": "X"}),
                    ("PATCH", "/contacts/{contact_id}", {"name": "X"}),
                    ("DELETE", "/contacts/{contact_id}", None),
                    ("POST", "/issues", {"title": "X", "insurer_id": "{insurer_id}"}),
                    ("PATCH", "/issues/{issue_id}", {"title": "X", "version": 1}),
                    ("DELETE", "/issues/{issue_id}", None),
                    # Rows the coordinator owns: the member may read, not change them.
                    ("PATCH", "/allies/{ally_id}", {"notes": "X", "version": 1}),
                    ("DELETE", "/allies/{ally_id}", None),
                    ("PATCH", "/relationships/{relationship_id}", {"strength": 1, "version": 1}),
                    ("PATCH", "/events/{event_id}", {"summary": "X"}),
                    ("PATCH", "/tasks/{task_id}", {"title": "X", "version": 1}),
                    ("DELETE", "/tasks/{task_id}", None),
                    ("DELETE", "/stances/{stance_id}", None)]


@pytest.mark.parametrize("method,path,body", COORDINATOR_ONLY)
def test_members_token_follows_the_browsers_rules(client, world, make_token, method, path,
                                                  body):
    token = make_token("alpha", "member", "read_write")
    alpha = world["alpha"]
    if isinstance(body, dict):
        body = {k: (alpha[v[1:-1]] if isinstance(v, str) and v.startswith("{") else v)
                for k, v in body.items()}
    response = client.open("/api/v1" + path.format(**alpha), method=method, json=body,
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403, f"{method} {path}: {response.status_code}"


def test_members_token_changes_what_the_member_owns(client, world, make_token):
    token = make_token("alpha", "member", "read_write")
    headers = {"Authorization": f"Bearer {token}"}
    alpha = world["alpha"]
    own = client.get(f"/api/v1/allies/{alpha['own_ally_id']}", headers=headers).get_json()
    response = client.patch(f"/api/v1/allies/{alpha['own_ally_id']}", headers=headers,
                            json={"notes": "Happy to testify", "version": own["version"]})
    assert response.status_code == 200
    task = client.get(f"/api/v1/tasks/{alpha['own_task_id']}", headers=headers).get_json()
    response = client.patch(f"/api/v1/tasks/{alpha['own_task_id']}", headers=headers,
                            json={"status": "done", "version": task["version"]})
    assert response.status_code == 200
    listed = client.get("/api/v1/tasks", headers=headers).get_json()["items"]
    assert [t["id"] for t in listed] == [alpha["own_task_id"]]
    # A member cannot record a relationship in someone else's name.
    response = client.post("/api/v1/relationships", headers=headers, json={
        "a": f"member:{alpha['membership_id']}", "b": f"ally:{alpha['ally_id']}",
        "owner_member_id": alpha["coordinator_membership_id"]})
    assert response.status_code == 403
