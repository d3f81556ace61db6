"""Log lines carry the request's id; the response gives it back."""
from __future__ import annotations

import io

from flask import current_app

from coalition.platform.extensions import db
from coalition.platform.log import _Handler
from tests import factories


def _app_with_a_logging_route(app_factory):
    app = app_factory(LOG_LEVEL="info")
    with app.app_context():
        factories.build_world(db.session)  # past the set-up page

    @app.route("/_log")
    def log_something():
        current_app.logger.info("ally %s changed", 7)
        return "ok"

    return app


def test_each_request_gets_an_id_that_its_log_lines_carry(app_factory):
    app = _app_with_a_logging_route(app_factory)
    handler = next(h for h in app.logger.handlers if isinstance(h, _Handler))
    stream = io.StringIO()
    old = handler.setStream(stream)
    try:
        response = app.test_client().get("/_log")
    finally:
        handler.setStream(old)
    request_id = response.headers["X-Request-ID"]
    assert len(request_id) == 32
    line = stream.getvalue().strip()
    assert f"INFO [{request_id}] coalition: ally 7 changed" in line
    # One handler however many apps were built in this process: no line printed twice.
    assert sum(isinstance(h, _Handler) for h in app.logger.handlers) == 1


def test_a_proxy_id_is_kept_only_when_it_looks_like_one(app_factory):
    client = _app_with_a_logging_route(app_factory).test_client()
    assert client.get("/_log", headers={"X-Request-ID": "edge-4f2a9c01"}).headers["X-Request-ID"] \
        == "edge-4f2a9c01"
    forged = client.get("/_log", headers={"X-Request-ID": "bad id; <script>"})
    assert forged.headers["X-Request-ID"] != "bad id; <script>"
    assert len(forged.headers["X-Request-ID"]) == 32


def test_the_level_comes_from_the_configuration(app_factory):
    assert app_factory(LOG_LEVEL="warning").logger.level == 30
