"""Tokens for the API tests: ``make_token`` makes one for any user of the world's chapters;
``fresh_world`` builds the world again on an app's emptied database."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from coalition.accounts import tokens as token_service
from coalition.models import Membership, User
from coalition.platform.extensions import db
from tests import factories


def token_for(world: dict, slug: str = "alpha", who: str = "coordinator",
              scope: str = "read_write") -> str:
    """A new token of ``world[slug][who]`` (in an app context)."""
    email = world[slug][who]
    membership = db.session.scalar(
        select(Membership).join(User, User.id == Membership.user_id)
        .where(User.email == email, Membership.chapter_id == world[slug]["chapter_id"]))
    _row, secret = token_service.create(db.session, membership, f"{who} {scope}", scope)
    db.session.commit()
    return secret


def fresh_world(app) -> tuple[dict, str]:
    """Every table of ``app``'s database emptied and the world built again, with a
    read-write token of alpha's coordinator."""
    with app.app_context():
        db.session.remove()
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()
        world = factories.build_world(db.session)
        return world, token_for(world)


@pytest.fixture
def make_token(app, world):
    def make(slug: str = "alpha", who: str = "coordinator", scope: str = "read_write") -> str:
        with app.app_context():
            return token_for(world, slug, who, scope)

    return make


@pytest.fixture
def api(client, make_token):
    """A client for alpha's coordinator with a read-write token."""
    return ApiClient(client, make_token())


class ApiClient:
    def __init__(self, client, token: str):
        self.client = client
        self.token = token

    def open(self, method: str, path: str, json=None, headers=None, **kw):
        headers = {"Authorization": f"Bearer {self.token}", **(headers or {})}
        return self.client.open("/api/v1" + path, method=method, json=json, headers=headers, **kw)

    def get(self, path, **kw):
        return self.open("GET", path, **kw)

    def post(self, path, json=None, **kw):
        return self.open("POST", path, json=json, **kw)

    def patch(self, path, json=None, **kw):
        return self.open("PATCH", path, json=json, **kw)

    def delete(self, path, **kw):
        return self.open("DELETE", path, **kw)
