"""The API's description: the OpenAPI 3.1 document at ``/api/v1/openapi.json`` and its page
for people at ``/api/v1/docs`` (served by the app itself, no CDN).

flask-smorest makes the document (with apispec) from what the operations declare: the URL
rules give the paths and path parameters, the marshmallow schemas of ``@bp.arguments`` and
``@bp.response`` give the query, body and answers, the docstrings the summaries, and
``coalition.api.core`` adds the errors each operation can answer. It is made once per app,
on first use."""
from __future__ import annotations

import threading

import flask_smorest
from apispec import BasePlugin
from flask import Flask, current_app, jsonify, render_template
from werkzeug.routing import IntegerConverter

from coalition.api.core import ErrorSchema, bp, public
from coalition.api.fields import MAX_ID

TITLE = "Coalition API"
VERSION = "1.0.0"
TAGS = ["Chapters", "Allies", "Relationships", "Insurers", "Issues", "Tasks", "Graph",
        "Description"]
METHODS = ("get", "post", "put", "patch", "delete")
_KEY = "coalition-api-description"
_lock = threading.Lock()


class Api(flask_smorest.Api):
    """flask-smorest's ``Api``, used for the description only."""

    ERROR_SCHEMA = ErrorSchema
    DEFAULT_ERROR_RESPONSE_NAME = None  # each operation lists its own errors (core)

    def _register_error_handlers(self):
        """None app-wide: the API's blueprint answers its own errors in its own format
        (``coalition.api.core``) and the rest of the app keeps its error pages."""

    def _register_pagination_header(self):
        """None: lists page with a cursor in the body (core), not flask-smorest's headers."""

    def _register_etag_headers(self):
        """None: versions are checked by the operations (core.seen_version)."""


class OperationIds(BasePlugin):
    """Each operation's ``operationId`` is its view's name, as in ``url_for("api.<name>")``."""

    def operation_helper(self, path=None, operations=None, **kwargs):
        rule = kwargs.get("rule")
        if rule is not None:
            for operation in operations.values():
                operation.setdefault("operationId", rule.endpoint.removeprefix(bp.name + "."))


def _build(app: Flask) -> dict:
    api = Api(app, spec_kwargs={
        "title": TITLE, "version": VERSION, "openapi_version": "3.1.0",
        "extra_plugins": [OperationIds()],
        "info": {"description": "Coalition's chapter data for scripts and other tools. "
                                "Authenticate with a personal access token made on the "
                                "chapter's “API tokens” page."},
        "servers": [{"url": "/"}],
        "security": [{"bearerAuth": []}],
    })
    api.register_converter(IntegerConverter,
                           lambda converter: {"type": "integer", "minimum": 1, "maximum": MAX_ID})
    api.spec.components.security_scheme("bearerAuth", {
        "type": "http", "scheme": "bearer",
        "description": "A personal access token, `coal_…`, scoped to one chapter, read only "
                       "or read and write."})
    for tag in TAGS:
        api.spec.tag({"name": tag})
    app.extensions["flask-smorest"]["blp_name_to_api"][bp.name] = api
    bp.register_views_in_doc(api, app, api.spec, name=bp.name, parameters=None)
    return api.spec.to_dict()


def document(app: Flask) -> dict:
    """The OpenAPI document of ``app``'s API (made on first use, then kept)."""
    doc = app.extensions.get(_KEY)
    if doc is None:
        with _lock:
            doc = app.extensions.get(_KEY)
            if doc is None:
                doc = app.extensions[_KEY] = _build(app)
    return doc


def operations_by_tag(doc: dict) -> list[tuple[str, list[dict]]]:
    """The operations of ``doc`` grouped by tag, in the tags' order, for the docs page: each
    with its method and path, all its parameters and its body's schema looked up."""
    schemas = doc.get("components", {}).get("schemas", {})
    groups: dict[str, list[dict]] = {t["name"]: [] for t in doc.get("tags", [])}
    for path, item in doc["paths"].items():
        for method in (m for m in METHODS if m in item):
            op = item[method]
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            body = body.get("schema")
            if body and "$ref" in body:
                body = schemas.get(body["$ref"].rsplit("/", 1)[-1])
            groups.setdefault(op["tags"][0], []).append(dict(
                op, method=method.upper(), path=path, body=body,
                parameters=item.get("parameters", []) + op.get("parameters", [])))
    return [(tag, ops) for tag, ops in groups.items() if ops]


TAG = ["Description"]


@bp.route("/openapi.json", methods=["GET"], tags=TAG)
@bp.alt_response(200, success=True, schema={"type": "object"},
                 description="The OpenAPI 3.1 document.")
@public
def openapi():
    """This description (OpenAPI 3.1)"""
    return jsonify(document(current_app))


@bp.route("/docs", methods=["GET"], tags=TAG)
@bp.alt_response(200, success=True, schema={"type": "string"}, content_type="text/html",
                 description="A web page.")
@public
def docs():
    """This description for people (HTML)"""
    doc = document(current_app)
    return render_template("api/docs.html", doc=doc, groups=operations_by_tag(doc))
