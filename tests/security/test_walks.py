"""Walks over the URL map: another chapter's ids and query arguments answer 404 or leak
nothing, extra form fields are ignored, hostile text is escaped everywhere, and CSRF is
enforced with the protection switched on."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from coalition.models import (
    Ally,
    Chapter,
    Insurer,
    InsurerContact,
    Issue,
    IssueEvent,
    Relationship,
    Stance,
)
from coalition.models.outreach import Task, Touchpoint
from coalition.platform.extensions import db
from tests import factories
from tests.factories import PASSWORD
from tests.test_access import ROUTES, RULES, _url

PAYLOADS = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>',
            "javascript:alert(1)"]
RAW = [p for p in PAYLOADS if "<" in p]


def _login(client, email):
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302


QUERY_ONLY = [(e, r) for e, r, m, a, _ in ROUTES
              if m == "GET" and a == ("slug",) and e in RULES]


@pytest.mark.parametrize("endpoint,rule", QUERY_ONLY, ids=[q[0] for q in QUERY_ONLY])
def test_query_arguments_with_other_chapters_ids_leak_nothing(app, client, world,
                                                                endpoint, rule):
    """The beta coordinator on beta's pages, passing alpha's ids as query arguments."""
    alpha = world["alpha"]
    _login(client, world["beta"]["coordinator"])
    url = rule.replace("<slug>", "beta")
    query = {k: v for k, v in alpha.items() if k.endswith("_id")}
    query.update(issue=alpha["issue_id"], focus=f"ally:{alpha['ally_id']}",
                 ally=alpha["ally_id"], include_contact_details="1")
    response = client.get(url, query_string=query)
    assert response.status_code in (200, 302, 400, 404), f"{url}: {response.status_code}"
    body = response.get_data()
    for secret in (b"casey-alpha@example.org", b"Alpha Health Plan", b"Alpha Chapter"):
        assert secret not in body, f"{url} leaked {secret!r}"


PRIVATE_QUERY_ONLY = [(e, r) for e, r in QUERY_ONLY if RULES[e].other == 404]


@pytest.mark.parametrize("endpoint,rule", PRIVATE_QUERY_ONLY,
                         ids=[q[0] for q in PRIVATE_QUERY_ONLY])
def test_query_only_routes_of_another_chapter_answer_404(app, client, world, endpoint, rule):
    _login(client, world["beta"]["coordinator"])
    response = client.get(rule.replace("<slug>", "alpha"),
                          query_string={"issue_id": world["alpha"]["issue_id"]})
    assert response.status_code == 404


def test_extra_form_fields_are_ignored(app, client, world):
    alpha, beta = world["alpha"], world["beta"]
    _login(client, alpha["coordinator"])
    response = client.post(f"/c/alpha/allies/{alpha['ally_id']}/edit", data={
        "name": "Casey Renamed", "kind": "medical", "influence": 3, "version": 1,
        "chapter_id": beta["chapter_id"], "id": beta["ally_id"], "user_id": 1,
        "created_by_id": 1, "status": "active", "consent_notice_id": 99})
    assert response.status_code == 302
    response = client.post("/c/alpha/allies/new", data={
        "name": "Fresh Ally", "kind": "other", "influence": 2,
        "chapter_id": beta["chapter_id"], "id": 999})
    assert response.status_code == 302
    with app.app_context():
        casey = db.session.get(Ally, alpha["ally_id"])
        assert casey.name == "Casey Renamed" and casey.chapter_id == alpha["chapter_id"]
        assert casey.consent_notice_id is None
        fresh = db.session.scalar(select(Ally).where(Ally.name == "Fresh Ally"))
        assert fresh.chapter_id == alpha["chapter_id"] and fresh.id != 999
        assert db.session.get(Ally, beta["ally_id"]).name == "Casey Coordinator-Ally"


def test_insurer_website_accepts_only_http_and_https(client, world):
    _login(client, world["alpha"]["coordinator"])
    for bad in ("javascript:alert(1)", "javascript://example.org/%0Aalert(1)",
                "data:text/html,hi"):
        response = client.post("/c/alpha/insurers/new", data={"name": "Bad Site",
                                                               "website": bad})
        assert response.status_code == 200, bad
        assert b"http:// or https://" in response.data or b"Invalid URL" in response.data
    response = client.post("/c/alpha/insurers/new", data={"name": "Good Site",
                                                           "website": "https://good.example"})
    assert response.status_code == 302


# --- stored cross-site scripting --------------------------------------------------------------

def _hostile_world(app) -> dict:
    world = None
    with app.app_context():
        world = factories.build_world(db.session)
        alpha = world["alpha"]
        payload = " ".join(PAYLOADS)
        updates = [
            (Ally, alpha["ally_id"], ("name", "organisation", "title", "region", "notes",
                                      "tags", "phone", "consent_method")),
            (Ally, alpha["pending_ally_id"], ("name", "notes")),
            (Insurer, alpha["insurer_id"], ("name", "plan_types", "regions", "notes")),
            (InsurerContact, alpha["contact_id"], ("name", "title", "department", "notes")),
            (InsurerContact, alpha["boss_contact_id"], ("name",)),
            (Issue, alpha["issue_id"], ("title", "desired_outcome", "notes")),
            (IssueEvent, alpha["event_id"], ("summary", "details")),
            (Relationship, alpha["relationship_id"], ("notes",)),
            (Stance, alpha["stance_id"], ("notes",)),
            (Task, alpha["task_id"], ("title", "outcome_notes", "follow_up")),
            (Touchpoint, alpha["touchpoint_id"], ("summary",)),
        ]
        for model, ident, names in updates:
            row = db.session.get(model, ident)
            for name in names:
                if hasattr(row, name):
                    limit = getattr(model, name).property.columns[0].type.length
                    setattr(row, name, payload[:limit] if limit else payload)
        chapter = db.session.get(Chapter, alpha["chapter_id"])
        chapter.public_intro = payload
        db.session.commit()
    return world


def _unescaped(body: str) -> list[str]:
    return [p for p in RAW if p in body] + \
        (["javascript: link"] if re.search(r"""(href|src|action)\s*=\s*["']?\s*javascript:""",
                                           body, re.I) else [])


def test_hostile_values_are_escaped_on_every_page(app_factory):
    app = app_factory()
    world = _hostile_world(app)
    alpha = world["alpha"]
    client = app.test_client()
    _login(client, alpha["coordinator"])
    problems = []
    checked = 0
    for endpoint, _rule, method, arguments, _ in ROUTES:
        if method != "GET" or endpoint in ("static", "vendor", "auth.reset_password") \
                or endpoint.startswith(("api.", "admin.")):
            continue
        url = _url(app, endpoint, arguments, alpha)
        response = client.get(url)
        if response.status_code >= 400:
            continue
        checked += 1
        kind = response.mimetype
        body = response.get_data().decode("utf-8", "replace")
        if kind == "text/html" or kind.endswith("+xml") or kind in ("image/svg+xml",
                                                                     "application/xml"):
            found = _unescaped(body)
            if found:
                problems.append(f"{url} ({kind}): {found}")
        elif kind == "application/json":
            # JSON is safe as data, but must not carry a closing script tag into a page.
            assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert checked > 20
    assert not problems, "\n".join(problems)


def test_hostile_values_are_escaped_in_every_map_export(app_factory):
    app = app_factory()
    _hostile_world(app)
    client = app.test_client()
    _login(client, "coord-alpha@example.org")
    from coalition.leverage import map_exports as exports

    problems = []
    for fmt in exports.formats():
        response = client.get("/c/alpha/map/export", query_string={
            "format": fmt, "include_contact_details": "1"})
        assert response.status_code == 200, fmt
        if response.mimetype in ("text/html", "image/svg+xml", "application/xml",
                                 "text/xml") or response.mimetype.endswith("xml"):
            body = response.get_data().decode("utf-8", "replace")
            # Offline HTML embeds the data for its script: no raw closing tag in it.
            found = [p for p in RAW if p in body]
            if found:
                problems.append(f"{fmt}: {found}")
    assert not problems, problems


# --- CSRF with the protection on -----------------------------------------------------------

def _token(client, url):
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_csrf_is_enforced(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        factories.build_world(db.session)
    client = app.test_client()
    login = {"email": "coord-alpha@example.org", "password": PASSWORD}
    response = client.post("/login", data=login)
    assert response.status_code == 400
    assert b"Bad request" in response.data
    assert client.post("/login", data=dict(login, csrf_token=_token(client, "/login"))) \
        .status_code == 302

    ally = {"name": "CSRF Ally", "kind": "other", "influence": 3}
    assert client.post("/c/alpha/allies/new", data=ally).status_code == 400
    token = _token(client, "/c/alpha/allies/new")
    assert client.post("/c/alpha/allies/new", data=dict(ally, csrf_token=token)) \
        .status_code == 302
    assert client.post("/logout").status_code == 400

    public = app.test_client()
    join = {"name": "Pat", "email": "pat@example.org", "kind": "patient", "consent": "y"}
    assert public.post("/join/alpha", data=join).status_code == 400
    token = _token(public, "/join/alpha")
    assert public.post("/join/alpha", data=dict(join, csrf_token=token)).status_code == 302
    with app.app_context():
        names = db.session.scalars(select(Ally.name).where(
            Ally.name.in_(["CSRF Ally", "Pat"]))).all()
        assert sorted(names) == ["CSRF Ally", "Pat"]
