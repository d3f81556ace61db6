"""Logging, set up by the factory.

The level comes from ``LOG_LEVEL``. Every line says which request it belongs to: the id a
trusted proxy sent in ``X-Request-ID`` when it looks like one, else a new one; the response
carries it back, so a person's error report can be matched with the server's lines. Lines
name rows by type and id and requests by method and path, never a person's name or e-mail
address (the product stores patients' contact details; logs are kept and copied elsewhere).
"""
from __future__ import annotations

import logging
import re
import uuid

from flask import Flask, g, has_request_context, request
from flask.logging import default_handler

FORMAT = "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


class RequestId(logging.Filter):
    """Adds ``request_id`` to every record ("-" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


def init_app(app: Flask) -> None:
    app.logger.setLevel(str(app.config["LOG_LEVEL"]).upper())
    app.logger.removeHandler(default_handler)
    # The logger is per name, so per process: apps built later (tests) must not add a second
    # handler that would print every line twice.
    if not any(isinstance(h, _Handler) for h in app.logger.handlers):
        handler = _Handler()
        handler.setFormatter(logging.Formatter(FORMAT))
        handler.addFilter(RequestId())
        app.logger.addHandler(handler)
    app.before_request(_assign_request_id)
    app.after_request(_echo_request_id)


class _Handler(logging.StreamHandler):
    """The app's own handler (to find it again); writes to stderr like Flask's default."""


def _assign_request_id() -> None:
    sent = request.headers.get("X-Request-ID", "")
    g.request_id = sent if _REQUEST_ID.fullmatch(sent) else uuid.uuid4().hex


def _echo_request_id(response):
    if "request_id" in g:
        response.headers["X-Request-ID"] = g.request_id
    return response
