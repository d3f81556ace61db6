"""The access matrix for association staff who are not the administrator (the matrix's
``admin`` actor covers the administrator): every association page opens, every chapter's
page answers 404, whatever the chapter."""
from __future__ import annotations

import pytest

from coalition import create_app
from coalition.platform.extensions import db
from tests.conftest import make_config
from tests.factories import PASSWORD

STAFF = "policy@example.org"


def _routes():
    import pathlib
    import tempfile

    app = create_app(make_config(pathlib.Path(tempfile.mkdtemp())))
    out = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api.") or rule.endpoint == "static":
            continue
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        method = "GET" if "GET" in methods else methods[0]
        if rule.endpoint.startswith("association.") or "slug" in rule.arguments:
            out.append((rule.endpoint, method, tuple(sorted(rule.arguments))))
    return sorted(set(out))


ROUTES = _routes()


@pytest.fixture
def staff(app, client, world):
    from coalition.accounts import service as accounts

    with app.app_context():
        accounts.create_user(db.session, STAFF, "Pat Policy", PASSWORD).is_association_staff = True
        db.session.commit()
    assert client.post("/login", data={"email": STAFF, "password": PASSWORD}).status_code == 302
    return client


@pytest.mark.parametrize("endpoint,method,arguments", ROUTES, ids=[f"{r[0]}-{r[1]}" for r in ROUTES])
def test_association_staff(app, staff, world, endpoint, method, arguments):
    from flask import url_for

    ids = dict(world["alpha"], filename="app.css")
    with app.test_request_context():
        url = url_for(endpoint, **{name: ids[name] for name in arguments})
    response = staff.open(url, method=method)
    if endpoint.startswith("association."):
        assert response.status_code < 400 and "/login" not in response.headers.get("Location", ""), \
            f"{method} {url}: {response.status_code}"
    elif endpoint.startswith("public."):  # a chapter's public page is public
        assert response.status_code < 500
    else:
        assert response.status_code == 404, f"{method} {url}: {response.status_code}"
