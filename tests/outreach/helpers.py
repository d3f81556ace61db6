"""Shared helpers for the outreach tests."""
from __future__ import annotations

from coalition.platform.extensions import db
from tests.factories import PASSWORD


def login(client, email):
    client.post("/logout")
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302


def get(app, model, ident):
    with app.app_context():
        obj = db.session.get(model, ident)
        if obj is not None:
            db.session.expunge(obj)
        return obj


def base(world, slug="alpha"):
    return f"/c/{slug}/outreach"
