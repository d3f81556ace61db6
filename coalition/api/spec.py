"""The OpenAPI 3.1 description, generated from the code: the URL map gives the paths,
methods and path parameters (from the rule converters); each view's ``api_doc`` (set by
``coalition.api.core.operation``) gives its query, body, responses and role."""
from __future__ import annotations

import re

from flask import Flask
from werkzeug.routing import Rule

from coalition.api import bp
from coalition.api.core import MESSAGES, PAGE_ARGS, OperationDoc
from coalition.api.resources import SCHEMAS
from coalition.api.schema import Boolean, Integer

TITLE = "Coalition API"
VERSION = "1.0.0"
CONVERTERS = {"int": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
              "default": {"type": "string"}, "string": {"type": "string"}}


def api_rules(app: Flask) -> list[Rule]:
    return sorted((r for r in app.url_map.iter_rules() if r.endpoint.startswith(bp.name + ".")),
                  key=lambda r: (r.rule, r.endpoint))


def methods_of(rule: Rule) -> list[str]:
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


def openapi_path(rule: Rule) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)


PATH_PARAM = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


def _path_params(rule: Rule) -> list[dict]:
    """One parameter per ``<converter:name>`` of the rule, typed by its converter."""
    return [{"name": name, "in": "path", "required": True,
             "schema": dict(CONVERTERS.get(converter or "default", {"type": "string"}))}
            for converter, name in PATH_PARAM.findall(rule.rule)]


def _query_params(doc: OperationDoc) -> list[dict]:
    fields = dict(doc.query.fields) if doc.query is not None else {}
    if doc.paged:
        fields.update(PAGE_ARGS)
    params = []
    for name, field in fields.items():
        schema = field.json_schema()
        description = schema.pop("description", "")
        param = {"name": name, "in": "query", "required": False, "schema": schema}
        if description:
            param["description"] = description
        if isinstance(field, (Integer, Boolean)):
            param["style"] = "form"
        params.append(param)
    return params


def _responses(doc: OperationDoc, method: str) -> dict:
    ok: dict = {"description": "Success"}
    if doc.status == 204:
        ok = {"description": "Done; no content."}
    elif doc.raw is not None:
        ok = doc.raw
    elif doc.paged:
        ok["content"] = {"application/json": {"schema": {
            "type": "object", "required": ["items", "next_cursor"],
            "properties": {
                "items": {"type": "array",
                          "items": {"$ref": f"#/components/schemas/{doc.response.name}"}},
                "next_cursor": {"type": ["string", "null"],
                                "description": "Pass as `cursor` for the next page; "
                                               "null on the last page."}}}}}
    elif doc.response is not None:
        ok["content"] = {"application/json": {
            "schema": {"$ref": f"#/components/schemas/{doc.response.name}"}}}
    responses = {str(doc.status): ok}
    if doc.public:
        return responses
    codes = {400, 401, 404, 405, 429, 500}
    if method in ("POST", "PATCH", "PUT", "DELETE"):
        codes |= {403, 409}
    if doc.query is not None or doc.paged or doc.body is not None or doc.versioned:
        codes.add(422)
    if doc.body is not None:
        codes |= {413, 415}
    if doc.role == "coordinator":
        codes.add(403)
    codes |= set(doc.errors)
    for code in sorted(codes):
        responses[str(code)] = {"description": MESSAGES.get(code, "Error"),
                                "content": {"application/json": {
                                    "schema": {"$ref": "#/components/schemas/Error"}}}}
    return responses


def _operation(app: Flask, rule: Rule, method: str) -> dict:
    doc: OperationDoc = app.view_functions[rule.endpoint].api_doc
    description = doc.description
    if doc.role == "coordinator":
        description = (description + "\n\n" if description else "") + \
            "Coordinators only (403 for members)."
    op: dict = {"operationId": rule.endpoint.removeprefix(bp.name + "."),
                "summary": doc.summary, "tags": [doc.tag]}
    if description:
        op["description"] = description
    params = _path_params(rule) + _query_params(doc)
    if doc.versioned:
        params.append({"name": "If-Match", "in": "header", "required": False,
                       "description": "The row's `version` as you read it (or send "
                                      "`version` in the body). 409 if it changed since.",
                       "schema": {"type": "string", "pattern": "^\"?[0-9]{1,9}\"?$"}})
    if params:
        op["parameters"] = params
    if doc.body is not None:
        op["requestBody"] = {"required": True, "content": {"application/json": {
            "schema": doc.body.json_schema(partial=doc.partial)}}}
    op["responses"] = _responses(doc, method)
    if doc.public:
        op["security"] = []
    return op


def build(app: Flask) -> dict:
    paths: dict = {}
    for rule in api_rules(app):
        item = paths.setdefault(openapi_path(rule), {})
        for method in methods_of(rule):
            item[method.lower()] = _operation(app, rule, method)
    schemas = {s.name: s.json_schema() for s in SCHEMAS}
    schemas["Error"] = {
        "type": "object", "required": ["error"], "additionalProperties": False,
        "properties": {"error": {
            "type": "object", "required": ["code", "message"],
            "properties": {
                "code": {"type": "integer"}, "message": {"type": "string"},
                "fields": {"type": "object", "additionalProperties": {"type": "string"},
                           "description": "A message per field that was not valid."}}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": TITLE, "version": VERSION,
                 "description": "Coalition's chapter data for scripts and other tools. "
                                "Authenticate with a personal access token made on the "
                                "chapter's “API tokens” page."},
        "servers": [{"url": "/"}],
        "security": [{"bearerAuth": []}],
        "tags": [{"name": t} for t in ("Chapters", "Allies", "Relationships", "Insurers",
                                        "Issues", "Tasks", "Graph", "Description")],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearerAuth": {
                "type": "http", "scheme": "bearer",
                "description": "A personal access token, `coal_…`, scoped to one chapter, "
                               "read only or read and write."}},
            "schemas": schemas,
            "responses": {"Error": {"description": "An error", "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}},
        },
    }


def by_tag(doc: dict) -> list[tuple[str, list[dict]]]:
    """The operations of ``doc`` grouped by tag, in the tags' order, for the docs page."""
    groups: dict[str, list[dict]] = {t["name"]: [] for t in doc.get("tags", [])}
    for path, item in doc["paths"].items():
        for method, op in item.items():
            groups.setdefault(op["tags"][0], []).append(dict(op, method=method.upper(),
                                                             path=path))
    return [(tag, ops) for tag, ops in groups.items() if ops]


def schema_name(schema: dict | None) -> str | None:
    """The component name a ``$ref`` points at, for links on the docs page."""
    if not schema:
        return None
    ref = schema.get("$ref") or (schema.get("items") or {}).get("$ref")
    return ref.rsplit("/", 1)[-1] if ref else None
