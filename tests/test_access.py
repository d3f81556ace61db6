"""Every route of the URL map, for every kind of visitor.

Driven by the app's URL map: a route without an expected-access entry in
``tests/access_rules/`` fails here, so no page can be added without an access rule. Every
method of every route is tried (a form's POST as well as its GET). A logged-in visitor sent
to the log-in page has been refused, whatever the status code says.
"""
from __future__ import annotations

import importlib
import pkgutil

import pytest

import tests.access_rules as rules_pkg
from coalition import create_app
from tests.access_rules import ACTORS, LOGIN, OK, SIGNED_OUT
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
    """(endpoint, rule, method, arguments, primary) for every method of every route; the
    primary method is GET where there is one (the page), else the only one."""
    app = create_app(make_config(__import__("pathlib").Path("/tmp")))
    routes = []
    for rule in app.url_map.iter_rules():
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        primary = "GET" if "GET" in methods else methods[0]
        for method in methods:
            routes.append((rule.endpoint, rule.rule, method, tuple(sorted(rule.arguments)),
                           method == primary))
    return sorted(set(routes))


ROUTES = _routes()


def test_every_route_has_an_access_rule():
    missing = sorted({endpoint for endpoint, *_ in ROUTES} - set(RULES))
    assert not missing, f"routes without an access rule in tests/access_rules/: {missing}"


def test_every_method_of_every_route_is_walked():
    methods = {(endpoint, method) for endpoint, _, method, *_ in ROUTES}
    assert ("allies.edit", "POST") in methods and ("allies.edit", "GET") in methods
    assert len(methods) == len({(c[0], c[2]) for c in CASES})


def test_a_logged_in_visitor_sent_to_the_log_in_page_counts_as_refused():
    with pytest.raises(AssertionError, match="log-in page"):
        _check(302, "/login?next=%2Fc%2Falpha%2F", OK, "member GET /c/alpha/", logged_in=True)
    _check(302, "/login?next=%2Fc%2Falpha%2F", LOGIN, "anon GET /c/alpha/", logged_in=False)


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


def _status_and_location(response):
    return response.status_code, response.headers.get("Location")


def _sent_to_login(status, location) -> bool:
    return status in (302, 303, 401) and "/login" in (location or "")


def _check(status, location, expected, what, *, logged_in, primary=True):
    if expected == OK:
        assert not (logged_in and _sent_to_login(status, location)), \
            f"{what}: expected success, was sent to the log-in page"
        if primary:
            assert status < 400, f"{what}: expected success, got {status}"
        else:  # a form's POST without its fields: past the access rules, then refused as input
            assert status < 500 and status not in (401, 403, 404, 405), \
                f"{what}: expected to pass the access rules, got {status}"
    elif expected in (LOGIN, SIGNED_OUT):
        assert _sent_to_login(status, location), \
            f"{what}: expected the login page, got {status} {location}"
    else:
        assert status == expected, f"{what}: expected {expected}, got {status}"


CASES = [(endpoint, rule, method, args, primary, actor)
         for endpoint, rule, method, args, primary in ROUTES if endpoint in RULES for actor in ACTORS]


@pytest.mark.parametrize("endpoint,rule,method,arguments,primary,actor", CASES,
                         ids=[c[0] + ("" if c[4] else f"-{c[2]}") + f"-{c[5]}" for c in CASES])
def test_route_access(app, client, world, endpoint, rule, method, arguments, primary, actor):
    access = RULES[endpoint]
    alpha = world["alpha"]
    email = {"member": alpha["member"], "coordinator": alpha["coordinator"],
             "other": world["beta"]["coordinator"], "admin": world["admin"]}.get(actor)
    if email:
        _login(client, email)
    url = _url(app, endpoint, arguments, alpha)
    response = client.open(url, method=method, data=access.data if method == "POST" else None)
    expected = getattr(access, actor)
    _check(response.status_code, response.headers.get("Location"), expected,
           f"{actor} {method} {url}", logged_in=actor != "anon", primary=primary)
    if expected == SIGNED_OUT:  # and really out: the next page asks to log in
        assert _sent_to_login(*_status_and_location(client.get("/")))


ID_ROUTES = [(e, r, m, a) for e, r, m, a, _ in ROUTES
             if e in RULES and any(x.endswith("_id") for x in a) and "slug" in a]


@pytest.mark.parametrize("endpoint,rule,method,arguments", ID_ROUTES,
                         ids=[f"{r[0]}-{r[2]}" for r in ID_ROUTES])
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
