"""Schemathesis against the API's own description: every operation, a bounded and
deterministic number of generated requests (valid and invalid ones), sent in-process to the
Flask app with a read-write token of alpha's coordinator. No answer may be a server error,
use an undocumented status or content type, or break its documented schema.

Path ids are replaced by the ids of alpha's rows, so the generated bodies and queries reach
the real rows instead of stopping at 404. Each operation has its own app and database, and
every example meets a world whose rows are all there, at the version it sends:

* after a DELETE that went through, the tables are emptied and the world is built again,
  so one early DELETE does not turn the operation's other examples into 404s;
* a PATCH that sends a valid ``version`` (or ``If-Match``) sends the row's current one,
  so an earlier PATCH that went through does not turn the others into 409s (the 409 itself
  is tested in ``test_basics``). Invalid versions are left as generated.

Other writes leave the world usable as it is; rebuilding it after each of them would double
the run's time for no more coverage."""
from __future__ import annotations

import pathlib
import re
import tempfile

import pytest
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from coalition import create_app
from coalition.api.description import document
from tests.api.conftest import fresh_world
from tests.conftest import make_config

MAX_EXAMPLES = 20
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


def _description() -> dict:
    app = create_app(make_config(pathlib.Path(tempfile.mkdtemp())))
    with app.app_context():
        return document(app)


DESCRIPTION = _description()
CONFIG = schemathesis.Config.from_dict({
    "generation": {"mode": "all", "max-examples": MAX_EXAMPLES, "deterministic": True,
                   "database": "none"},
    "suppress-health-check": ["all"],
})
schema = schemathesis.openapi.from_dict(DESCRIPTION, config=CONFIG)


class Worlds:
    """The world the next example meets: built on first use and again once spoiled."""

    def __init__(self, app):
        self.app = app
        self.current: tuple[dict, str] | None = None

    def get(self) -> tuple[dict, str]:
        if self.current is None:
            self.current = fresh_world(self.app)
        return self.current

    def spoil(self) -> None:
        self.current = None


@pytest.fixture
def worlds(app):
    return Worlds(app)


VERSION = re.compile(r'^"?[0-9]{1,9}"?$')


def _send_current_version(case, client, headers: dict) -> None:
    """A PATCH with a valid version (body or If-Match) gets the row's current version."""
    body = case.body if isinstance(case.body, dict) else {}
    in_body = type(body.get("version")) is int and body["version"] >= 1
    in_header = bool(case.headers) and VERSION.match(str(case.headers.get("If-Match", "")))
    if case.method.upper() != "PATCH" or not (in_body or in_header):
        return
    current = client.get(case.formatted_path, headers=headers).get_json()["version"]
    if in_body:
        case.body = {**body, "version": current}
    if in_header:
        case.headers["If-Match"] = f'"{current}"'


@schema.parametrize()
def test_no_server_errors_and_schema_conformance(case, app, worlds):
    world, token = worlds.get()
    headers = {"Authorization": f"Bearer {token}"}
    ids = world["alpha"]
    for name in list(case.path_parameters or {}):
        if name in ids:
            case.path_parameters[name] = ids[name]
    _send_current_version(case, app.test_client(), headers)
    deleting = case.method.upper() == "DELETE"
    try:
        response = case.call_and_validate(app=app, headers=headers, checks=CHECKS)
        deleting = deleting and response.status_code < 400  # a refused DELETE removed nothing
    finally:
        if deleting:
            worlds.spoil()


def test_every_operation_is_exercised():
    """The parametrized test above covers every operation of the description."""
    described = {(method.upper(), path) for path, item in DESCRIPTION["paths"].items()
                 for method in item if method in ("get", "post", "put", "patch", "delete")}
    covered = {(op.method.upper(), op.path) for op in
               (result.ok() for result in schema.get_all_operations())}
    assert covered == described and len(described) == 56
