"""A session or remember-me cookie captured before logout, a password change or a
deactivation is refused afterwards."""
from __future__ import annotations

import pytest

from coalition.models import User
from coalition.platform.extensions import db
from tests.factories import PASSWORD

NEW_PASSWORD = "a fresh passphrase for 2026"


def _login(client, email, remember=True):
    data = {"email": email, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    response = client.post("/login", data=data)
    assert response.status_code == 302
    return {name: client.get_cookie(name).value for name in ("session", "remember_token")
            if client.get_cookie(name) is not None}


def _replay(app, name, value):
    """A fresh browser holding only this one captured cookie."""
    thief = app.test_client()
    thief.set_cookie(name, value)
    return thief.get("/c/alpha/")


def _ok(response):
    return response.status_code == 200


def _refused(response):
    return response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.fixture
def captured(app, client, world):
    cookies = _login(client, world["alpha"]["member"])
    assert set(cookies) == {"session", "remember_token"}
    for name, value in cookies.items():
        assert _ok(_replay(app, name, value)), f"{name} should work before"
    return cookies


@pytest.mark.parametrize("cookie", ["session", "remember_token"])
def test_logout_ends_captured_cookies(app, client, captured, cookie):
    client.post("/logout")
    assert _refused(_replay(app, cookie, captured[cookie]))


@pytest.mark.parametrize("cookie", ["session", "remember_token"])
def test_password_change_ends_other_sessions(app, client, captured, cookie):
    response = client.post("/account/password", data={
        "current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert _refused(_replay(app, cookie, captured[cookie]))
    # The person who changed it stays logged in.
    assert client.get("/c/alpha/").status_code == 200


@pytest.mark.parametrize("cookie", ["session", "remember_token"])
def test_deactivation_ends_every_session(app, client, world, captured, cookie):
    admin = app.test_client()
    _login(admin, world["admin"], remember=False)
    with app.app_context():
        user_id = db.session.scalar(db.select(User.id).where(
            User.email == world["alpha"]["member"]))
    assert admin.get("/admin/users").status_code == 200
    assert admin.post(f"/admin/users/{user_id}/deactivate", data={"confirmed": "yes"}).status_code == 302
    assert _refused(_replay(app, cookie, captured[cookie]))
    assert _refused(client.get("/c/alpha/"))
    # Reactivated: the old cookies stay dead, a new login works.
    assert admin.post(f"/admin/users/{user_id}/reactivate").status_code == 302
    assert _refused(_replay(app, cookie, captured[cookie]))
    fresh = app.test_client()
    _login(fresh, world["alpha"]["member"])
    assert _ok(fresh.get("/c/alpha/"))


def test_change_password_needs_the_current_one(client, world):
    _login(client, world["alpha"]["member"])
    response = client.post("/account/password", data={
        "current": "not my password at all", "password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD})
    assert response.status_code == 200
    assert b"This is not your current password." in response.data
    assert b"a fresh passphrase" not in response.data  # passwords are never echoed


def test_admin_cannot_deactivate_themselves(app, client, world):
    _login(client, world["admin"], remember=False)
    with app.app_context():
        admin_id = db.session.scalar(db.select(User.id).where(User.email == world["admin"]))
    client.post(f"/admin/users/{admin_id}/deactivate", data={"confirmed": "yes"})
    with app.app_context():
        assert db.session.get(User, admin_id).active
