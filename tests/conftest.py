"""Fixtures in the flaskr style: app -> client -> runner -> auth, plus a ``world`` of two
chapters with one row of every kind, used by the access tests.

The database is SQLite in a temporary folder unless COALITION_TEST_DATABASE_URL names a
server (``make test-postgres`` does): then the schema is created once and every table is
emptied after each test.
"""
from __future__ import annotations

import os

import pytest
from sqlalchemy import text

from coalition import create_app
from coalition.platform.extensions import db
from tests import factories

SERVER_URL = os.environ.get("COALITION_TEST_DATABASE_URL")


def make_config(tmp_path, **overrides) -> dict:
    url = SERVER_URL or "sqlite:///" + str(tmp_path / "test.db")
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "WTF_CSRF_ENABLED": False,
        "DATABASE_URL": url,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "SERVER_NAME": None,
        # Fast hashing keeps fixtures cheap; production uses scrypt's full cost.
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    }
    config.update(overrides)
    return config


@pytest.fixture(scope="session")
def _server_schema():
    """On a database server, build the schema once for the whole run."""
    if not SERVER_URL:
        yield
        return
    import tempfile

    app = create_app(make_config(_tmp := __import__("pathlib").Path(tempfile.mkdtemp())))
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield
    with app.app_context():
        db.drop_all()


def _empty_tables() -> None:
    names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    db.session.commit()


@pytest.fixture
def app_factory(tmp_path, _server_schema):
    """Build an app from a fresh mapping; tests that need other settings use this."""
    made = []

    def build(**overrides):
        app = create_app(make_config(tmp_path, **overrides))
        with app.app_context():
            if not SERVER_URL:
                db.create_all()
        made.append(app)
        return app

    yield build
    for app in made:
        with app.app_context():
            db.session.remove()
            if SERVER_URL:
                _empty_tables()
            db.engine.dispose()


@pytest.fixture
def app(app_factory):
    return app_factory()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, email: str, password: str = factories.PASSWORD):
        return self._client.post("/login", data={"email": email, "password": password})

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def world(app):
    """Two chapters, alpha and beta, each with a coordinator, a member and one row of
    every kind; returns plain ids (see ``factories.build_world``)."""
    with app.app_context():
        return factories.build_world(db.session)
