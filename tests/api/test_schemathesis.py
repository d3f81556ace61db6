"""Schemathesis against the API's own description: every operation, a bounded and
deterministic number of generated requests (valid and invalid ones), sent in-process to the
Flask app with a read-write token of alpha's coordinator. No answer may be a server error,
use an undocumented status or content type, or break its documented schema.

Path ids are replaced by the ids of alpha's rows in the world fixture, so the generated
bodies and queries reach the real rows instead of stopping at 404."""
from __future__ import annotations

import pathlib
import tempfile

import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from coalition import create_app
from coalition.api.description import document
from tests.conftest import make_config

MAX_EXAMPLES = 20
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


def _description() -> dict:
    app = create_app(make_config(pathlib.Path(tempfile.mkdtemp())))
    with app.app_context():
        return document(app)


CONFIG = schemathesis.Config.from_dict({
    "generation": {"mode": "all", "max-examples": MAX_EXAMPLES, "deterministic": True,
                   "database": "none"},
    "suppress-health-check": ["all"],
})
schema = schemathesis.openapi.from_dict(_description(), config=CONFIG)


@schema.parametrize()
def test_no_server_errors_and_schema_conformance(case, app, world, make_token):
    token = make_token("alpha", "coordinator", "read_write")
    ids = world["alpha"]
    for name in list(case.path_parameters or {}):
        if name in ids:
            case.path_parameters[name] = ids[name]
    case.call_and_validate(app=app, headers={"Authorization": f"Bearer {token}"},
                           checks=CHECKS)
