"""Every route of the URL map, for every kind of visitor.

Driven by the app's URL map: a route without an expected-access entry in
``tests/access_rules/`` fails here, so no page can be added without an access rule.
"""
from __future__ import annotations

import importlib
import pkgutil

import pytest

import tests.access_rules as rules_pkg
from coalition import create_app
from tests.access_rules import ACTORS, LOGIN, OK
from tests.conftest import make_config


def _load_rules() -> dict:
    merged = {}
    for info in pkgutil.iter_modules(rules_pkg.__path__):
        module = importlib.import_module(f"{rules_pkg.__name__}.{info.name}")
        for endpoint, rule in module.RULES.items():
            assert endpoint not in merged, f"{endpoint} has two access rules"
            merged[endpoint] = rule
    return merged


RULES = _load_rules()


def _routes():
    app = create_app(make_config(__import__("pathlib").Path("/tmp")))
    routes = []
    for rule in app.url_map.iter_rules():
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        method = "GET" if "GET" in methods else methods[0]
        routes.append((rule.endpoint, rule.rule, method, tuple(sorted(rule.arguments))))
    return sorted(set(routes))


ROUTES = _routes()


def test_every_route_has_an_access_rule():
    missing = sorted({endpoint for endpoint, *_ in ROUTES} - set(RULES))
    assert not missing, f"routes without an access rule in tests/access_rules/: {missing}"


def _url(app, endpoint, arguments, ids):
    values = {}
    for name in arguments:
        if name == "filename":
            values[name] = "app.css"
        else:
            assert name in ids, f"{endpoint}: the world fixture has no id for <{name}>"
            values[name] = ids[name]
    with app.test_request_context():
        from flask import url_for

        return url_for(endpoint, **values)


def _login(client, email):
    from tests.factories import PASSWORD

    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, f"could not log in {email}"


def _check(status, location, expected, what):
    if expected == OK:
        assert status < 400, f"{what}: expected success, got {status}"
    elif expected == LOGIN:
        assert status in (302, 401) and "/login" in (location or ""), \
            f"{what}: expected the login page, got {status} {location}"
    else:
        assert status == expected, f"{what}: expected {expected}, got {status}"


CASES = [(endpoint, rule, method, args, actor)
         for endpoint, rule, method, args in ROUTES if endpoint in RULES for actor in ACTORS]


@pytest.mark.parametrize("endpoint,rule,method,arguments,actor", CASES,
                         ids=[f"{c[0]}-{c[4]}" for c in CASES])
def test_route_access(app, client, world, endpoint, rule, method, arguments, actor):
    access = RULES[endpoint]
    alpha = world["alpha"]
    email = {"member": alpha["member"], "coordinator": alpha["coordinator"],
             "other": world["beta"]["coordinator"], "admin": world["admin"]}.get(actor)
    if email:
        _login(client, email)
    url = _url(app, endpoint, arguments, alpha)
    response = client.open(url, method=method, data=access.data if method == "POST" else None)
    _check(response.status_code, response.headers.get("Location"), getattr(access, actor),
           f"{actor} {method} {url}")


ID_ROUTES = [(e, r, m, a) for e, r, m, a in ROUTES
             if e in RULES and any(x.endswith("_id") for x in a) and "slug" in a]


@pytest.mark.parametrize("endpoint,rule,method,arguments", ID_ROUTES,
                         ids=[r[0] for r in ID_ROUTES])
def test_other_chapters_ids_answer_404(app, client, world, endpoint, rule, method, arguments):
    """The beta coordinator, in beta's own pages, asking for alpha's rows."""
    _login(client, world["beta"]["coordinator"])
    ids = dict(world["alpha"], slug="beta")
    url = _url(app, endpoint, arguments, ids)
    response = client.open(url, method=method,
                           data=RULES[endpoint].data if method == "POST" else None)
    assert response.status_code == 404, f"{method} {url} answered {response.status_code}"


@pytest.mark.parametrize("url", ["/c/alpha/allies/99999999999", "/c/alpha/issues/2147483648",
                                 "/api/v1/allies/99999999999"])
def test_ids_beyond_what_the_database_stores_answer_404(client, auth, world, url):
    """On PostgreSQL such a number compared with an INTEGER column raises an error; it must
    be a plain 404 instead."""
    auth.login(world["alpha"]["coordinator"])
    assert client.get(url).status_code == 404
