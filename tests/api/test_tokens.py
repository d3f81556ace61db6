"""The browser page for tokens, and what the service stores."""
from __future__ import annotations

import hashlib
import re

from sqlalchemy import select

from coalition.models.tokens import PersonalAccessToken
from coalition.platform.extensions import db


def _make(client, name="CRM sync", scope="read_write"):
    response = client.post("/c/alpha/tokens/", data={"name": name, "scope": scope})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    found = re.search(r'value="(coal_[A-Za-z0-9_-]{40,})"', response.get_data(as_text=True))
    assert found, "the new token is shown once"
    return found.group(1)


def test_token_is_shown_once_and_stored_hashed(app, client, auth, world):
    auth.login(world["alpha"]["member"])
    secret = _make(client)
    assert secret not in client.get("/c/alpha/tokens/").get_data(as_text=True)
    with app.app_context():
        row = db.session.scalar(select(PersonalAccessToken))
        assert row.token_hash == hashlib.sha256(secret.encode()).hexdigest()
        assert row.scope == "read_write" and row.chapter_id == world["alpha"]["chapter_id"]
        assert row.last_used_at is None
    assert client.get("/api/v1/allies", headers={"Authorization": f"Bearer {secret}"}
                      ).status_code == 200
    with app.app_context():
        assert db.session.scalar(select(PersonalAccessToken)).last_used_at is not None


def test_revoke_own_token_then_it_is_refused(app, client, auth, world):
    auth.login(world["alpha"]["member"])
    secret = _make(client)
    with app.app_context():
        token_id = db.session.scalar(select(PersonalAccessToken.id))
    response = client.post("/c/alpha/tokens/revoke", data={"confirmed": "yes", "token_id": token_id})
    assert response.status_code == 302
    assert client.get("/api/v1/allies", headers={"Authorization": f"Bearer {secret}"}
                      ).status_code == 401


def test_who_may_revoke(app, client, auth, world):
    auth.login(world["alpha"]["coordinator"])
    _make(client, "coordinator's")
    with app.app_context():
        coordinator_token = db.session.scalar(select(PersonalAccessToken.id))
    auth.logout()
    auth.login(world["alpha"]["member"])
    assert client.post("/c/alpha/tokens/revoke",
                       data={"confirmed": "yes", "token_id": coordinator_token}).status_code == 403
    _make(client, "member's")
    with app.app_context():
        member_token = db.session.scalar(select(PersonalAccessToken.id).where(
            PersonalAccessToken.id != coordinator_token))
    auth.logout()
    auth.login(world["beta"]["coordinator"])
    assert client.post("/c/beta/tokens/revoke", data={"confirmed": "yes", "token_id": member_token}).status_code == 404
    auth.logout()
    auth.login(world["alpha"]["coordinator"])
    page = client.get("/c/alpha/tokens/").get_data(as_text=True)
    assert "member&#39;s" in page or "member's" in page
    assert client.post("/c/alpha/tokens/revoke", data={"confirmed": "yes", "token_id": member_token}).status_code == 302


def test_docs_page_renders_the_description(client, world):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200 and page.mimetype == "text/html"
    text = page.get_data(as_text=True)
    assert "GET /api/v1/allies" in text and "<script>" not in text
    assert "api-docs.js" in text
