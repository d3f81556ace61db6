"""What every API operation shares: the blueprint, token authentication, JSON errors,
access checks, row versions and cursor paging.

The blueprint is flask-smorest's: each operation declares its input and output with
marshmallow schemas (``@bp.arguments``, ``@bp.response``), webargs checks the request against
them, and the OpenAPI document is generated from the same declarations
(``coalition.api.description``). This module only adapts the library to the API's contract:
errors answer ``{"error": {"code", "message", "fields"?}}``, each operation's description
lists the errors it can give, and a JSON body is checked for its content type before it is
read."""
from __future__ import annotations

import base64
import binascii
from copy import deepcopy
from dataclasses import dataclass
from functools import wraps

import flask_smorest
import marshmallow as ma
from flask import Flask, Response, abort, current_app, g, jsonify, request
from flask_login import AnonymousUserMixin
from sqlalchemy import select
from sqlalchemy.exc import DataError
from sqlalchemy.orm.exc import StaleDataError
from webargs.flaskparser import FlaskParser
from werkzeug.exceptions import HTTPException

from coalition.accounts import tokens
from coalition.api.fields import Input, Output, Text, number
from coalition.platform import ratelimit
from coalition.platform.extensions import csrf, db
from coalition.platform.ids import is_id
from coalition.platform.rules import RuleBroken, VersionConflict

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
MAX_LIMIT = 200
DEFAULT_LIMIT = 50

MESSAGES = {
    400: "The request could not be understood.",
    401: "Send a valid personal access token as 'Authorization: Bearer coal_…'.",
    403: "The token or your role in this chapter does not allow this.",
    404: "There is nothing here, or it belongs to another chapter.",
    405: "This address does not accept that method.",
    409: "The row changed since you read it; nothing was written. Read it again.",
    413: "The request body is too large.",
    415: "Send the body as application/json.",
    422: "Some values are not valid.",
    429: "Too many requests; wait a moment before trying again.",
    500: "Something went wrong on our side; nothing was written.",
}


# --- errors -------------------------------------------------------------------------------

class ApiError(Exception):
    def __init__(self, code: int, message: str | None = None,
                 fields: dict[str, str] | None = None):
        super().__init__(message or MESSAGES.get(code, "Error"))
        self.code = code
        self.message = message or MESSAGES.get(code, "Error")
        self.fields = fields


def invalid(**fields: str) -> ApiError:
    """422 naming the fields that are not valid: ``raise invalid(issue="Not ours.")``."""
    return ApiError(422, fields=fields)


def _first(messages) -> str:
    """The first message of marshmallow's nested messages (lists, dicts by index or key)."""
    while not isinstance(messages, str):
        if isinstance(messages, dict):
            messages = next(iter(messages.values()), "Not valid.")
        else:
            messages = messages[0] if messages else "Not valid."
    return messages


def _from_marshmallow(messages: dict) -> ApiError:
    """webargs' ``{location: {field: [messages]}}`` as one message per field."""
    fields: dict[str, str] = {}
    message = None
    for found in messages.values():
        for name, problem in (found.items() if isinstance(found, dict) else [("_schema", found)]):
            if name == ma.exceptions.SCHEMA:
                message = _first(problem)
            else:
                fields[str(name)] = _first(problem)
    return ApiError(422, message, fields)


class Parser(FlaskParser):
    """webargs' parser, answering in the API's error format."""

    def handle_error(self, error, req, schema, *, error_status_code, error_headers):
        raise _from_marshmallow(error.messages)

    def _handle_invalid_json_error(self, error, req, *args, **kwargs):
        raise ApiError(400, "The body is not valid JSON.")


class ErrorFields(Output):
    code = ma.fields.Integer(required=True)
    message = ma.fields.String(required=True)
    fields = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(),
                            metadata={"description": "A message per field that was not valid."})


class ErrorSchema(Output):
    """The body of every error answer (documentation only: ``error_response`` writes it)."""

    error = ma.fields.Nested(ErrorFields, required=True)


ERROR_REF = {"$ref": "#/components/schemas/Error"}
IF_MATCH = {"name": "If-Match", "in": "header", "required": False,
            "description": "The row's `version` as you read it (or send `version` in the "
                           "body). 409 if it changed since.",
            "schema": {"type": "string", "pattern": "^\"?[0-9]{1,9}\"?$"}}


class ApiBlueprint(flask_smorest.Blueprint):
    """flask-smorest's blueprint with the API's parser and error documentation."""

    ARGUMENTS_PARSER = Parser()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._prepare_doc_cbks.append(self._prepare_error_doc)

    @staticmethod
    def _prepare_error_doc(doc, doc_info, *, method, **kwargs):
        """The errors an operation can answer, and the ``If-Match`` header of versioned
        changes (those whose body has a ``version``)."""
        if doc_info.get("public"):
            doc["security"] = []
            return doc
        codes = {400, 401, 404, 405, 429, 500}
        if method.upper() in WRITE_METHODS:
            codes |= {403, 409}
        body = doc.get("requestBody")
        if body is not None or any(p.get("in") == "query" for p in doc.get("parameters", [])):
            codes.add(422)
        if body is not None:
            codes |= {413, 415}
            schema = body["content"]["application/json"]["schema"]
            schema = schema() if isinstance(schema, type) else schema
            if "version" in schema.fields:
                doc.setdefault("parameters", []).append(dict(IF_MATCH))
        if doc_info.get("role") == "coordinator":
            codes.add(403)
        responses = doc.setdefault("responses", {})
        for code in codes:
            responses[code] = {"description": MESSAGES[code],
                               "content": {"application/json": {"schema": ERROR_REF}}}
        doc["responses"] = dict(sorted(responses.items(), key=lambda item: int(item[0])))
        return doc


bp = ApiBlueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


def error_response(code: int, message: str | None = None,
                   fields: dict[str, str] | None = None) -> Response:
    body: dict = {"code": code, "message": message or MESSAGES.get(code, "Error")}
    if fields:
        body["fields"] = fields
    response = jsonify({"error": body})
    response.status_code = code
    response.headers["Cache-Control"] = "no-store"
    if code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="coalition"'
    return response


@bp.errorhandler(ApiError)
def _api_error(exc: ApiError):
    db.session.rollback()
    return error_response(exc.code, exc.message, exc.fields)


@bp.errorhandler(RuleBroken)
def _rule_broken(exc: RuleBroken):
    # A service's rule broken (coalition.platform.rules): 422 on the field it names.
    db.session.rollback()
    return error_response(422, str(exc), {exc.field or "_": str(exc)})


@bp.errorhandler(VersionConflict)
def _version_conflict(exc: VersionConflict):
    # Someone saved the row since the caller read it (coalition.platform.rules): nothing written.
    db.session.rollback()
    return error_response(409, MESSAGES[409])


@bp.errorhandler(DataError)
def _data_error(exc: DataError):
    # A value the database cannot hold (a number out of range, say): the caller's mistake.
    db.session.rollback()
    return error_response(422, "A value is out of the range the database can store.")


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    db.session.rollback()
    code = exc.code or 500
    response = error_response(code, MESSAGES.get(code, exc.description))
    if code == 405 and getattr(exc, "valid_methods", None):
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    return response


@bp.errorhandler(Exception)
def _server_error(exc: Exception):
    db.session.rollback()
    current_app.logger.exception("API error on %s %s", request.method, request.path)
    return error_response(500)


def _is_api_path() -> bool:
    return request.path == bp.url_prefix or request.path.startswith(bp.url_prefix + "/")


@bp.record_once
def _routing_errors(state) -> None:
    """404 and 405 raised while routing belong to no blueprint; under /api/v1 they must be
    JSON too. Other paths keep the app's own error page."""
    app: Flask = state.app

    def handle(exc: HTTPException):
        if _is_api_path():
            return _http_error(exc)
        fallback = app.error_handler_spec.get(None, {}).get(None, {}).get(HTTPException)
        return fallback(exc) if fallback else exc

    app.register_error_handler(404, handle)
    app.register_error_handler(405, handle)


# --- authentication and what every request checks first ----------------------------------

def _doc_of(endpoint: str | None) -> dict:
    """What flask-smorest's decorators recorded on the view (``_apidoc``)."""
    return getattr(current_app.view_functions.get(endpoint), "_apidoc", {})


def public(view):
    """An operation anyone may call without a token (the description); innermost decorator."""
    view._apidoc = {**deepcopy(getattr(view, "_apidoc", {})), "public": True}
    return view


@bp.before_request
def _authenticate():
    """Every request starts anonymous: the session cookie never speaks for an API caller.
    Then, in this order: 429 and 401 for the caller, 403 for a read-only token's write,
    404 for a path id that is not the chapter's, 415 and 400 for a body that is not JSON.
    The query and body are checked (422) by the operation's schemas after that."""
    doc = _doc_of(request.endpoint)
    if doc.get("public"):  # the description: nothing of any chapter
        return None
    g._login_user = AnonymousUserMixin()
    if ratelimit.api_address_blocked():
        raise ApiError(429)
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    caller = tokens.authenticate(db.session, value.strip()) if scheme.lower() == "bearer" else None
    if caller is None:
        ratelimit.record_api_failure()
        raise ApiError(401)
    if not ratelimit.api_token_allowed(caller.token.id):
        raise ApiError(429)
    g._login_user = caller.user
    g.token = caller.token
    g.chapter = caller.chapter
    g.membership = caller.membership
    if request.method in WRITE_METHODS and not caller.token.can_write:
        raise ApiError(403, "This token is read only.")
    for name, ident in (request.view_args or {}).items():
        if name in PATH_MODELS:
            get_row(PATH_MODELS[name](), ident)
    if any(p.get("in") == "json" for p in doc.get("arguments", {}).get("parameters", [])):
        if not request.is_json:
            raise ApiError(415)
        if request.get_json(silent=True) is None:
            raise ApiError(400, "The body is not valid JSON.")
    return None


@bp.after_request
def _no_store(response: Response) -> Response:
    response.headers.setdefault("Cache-Control", "no-store")
    if response.status_code in (200, 201) and response.is_json \
            and b'"version"' in response.get_data():
        body = response.get_json(silent=True)
        if isinstance(body, dict) and "version" in body:
            response.headers["ETag"] = f'"{body["version"]}"'
    return response


# --- access -------------------------------------------------------------------------------

def require_coordinator() -> None:
    if not g.membership.is_coordinator:
        raise ApiError(403, "Only the chapter's coordinators may do this.")


def coordinators_only(view):
    """403 for members (after the input is checked); documented on the operation.
    Put it right above the ``def``, under flask-smorest's decorators."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        require_coordinator()
        return view(*args, **kwargs)

    wrapper._apidoc = {**deepcopy(getattr(view, "_apidoc", {})), "role": "coordinator"}
    wrapper.__doc__ = (view.__doc__ or "").rstrip() + "\n\nCoordinators only (403 for members)."
    return wrapper


def require(allowed: bool) -> None:
    if not allowed:
        raise ApiError(403, "You may change only what you own in this chapter.")


def _model(name: str):
    return lambda: getattr(__import__("coalition.models", fromlist=[name]), name)


PATH_MODELS = {
    "ally_id": _model("Ally"), "stance_id": _model("Stance"),
    "relationship_id": _model("Relationship"), "insurer_id": _model("Insurer"),
    "contact_id": _model("InsurerContact"), "issue_id": _model("Issue"),
    "event_id": _model("IssueEvent"), "task_id": _model("Task"),
}


def get_row(model, ident: int):
    """The token's chapter's row of ``model``, or 404 (also for other chapters' rows)."""
    row = db.session.scalar(select(model).where(model.id == ident,
                                                model.chapter_id == g.chapter.id))
    if row is None:
        abort(404)
    return row


def no_content() -> Response:
    return Response(status=204)


# --- changes ------------------------------------------------------------------------------

def seen_version(data: dict) -> int:
    """The version the caller read: ``If-Match`` or the body's ``version``."""
    header = request.headers.get("If-Match", "").strip().strip('"').removeprefix("W/").strip('"')
    version = data.pop("version", None)
    if header:
        try:
            return int(header)
        except ValueError:
            raise ApiError(422, "If-Match must be the row's version number.",
                           {"If-Match": "Expected the row's version number."}) from None
    if version is None:
        raise ApiError(422, "Send the version you last read.",
                       {"version": "Send the version you last read (or an If-Match header)."})
    return version


def merged(row, schema: type[ma.Schema], data: dict, **extra) -> dict:
    """A partial change on top of the row's current values (the services expect them all)."""
    current = {name: getattr(row, name) for name in schema._declared_fields if hasattr(row, name)}
    current.update(extra)
    current.update(data)
    return current


def commit() -> None:
    """Commit; a row someone else changed in the meantime answers 409."""
    try:
        db.session.commit()
    except StaleDataError as exc:
        raise VersionConflict() from exc


# --- paging -------------------------------------------------------------------------------

class PageArgs(Input):
    """``limit`` and ``cursor``: what every list takes (list queries extend it)."""

    limit = number(1, body=False, description=f"Rows per page, {DEFAULT_LIMIT} unless given; "
                                              f"values above {MAX_LIMIT} count as {MAX_LIMIT}.")
    cursor = Text(validate=ma.validate.Length(max=100, error="At most {max} characters."),
                  metadata={"description": "The `next_cursor` of the previous page."})


def page_of(item: type[ma.Schema]) -> type[ma.Schema]:
    """The answer of a list of ``item``: ``{"items": [...], "next_cursor": ...}``."""
    name = item.__name__.removesuffix("Schema") + "Page"
    return Output.from_dict({
        "items": ma.fields.List(ma.fields.Nested(item), required=True),
        "next_cursor": ma.fields.String(required=True, allow_none=True, metadata={
            "description": "Pass as `cursor` for the next page; null on the last page."}),
    }, name=name)


@dataclass
class Page:
    items: list
    next_cursor: str | None


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"id:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(value: str) -> int:
    try:
        text = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
        kind, _, ident = text.partition(":")
        number = int(ident)
        if kind != "id" or not (number == 0 or is_id(number)):
            raise ValueError
        return number
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise invalid(cursor="Not a cursor this API gave out.") from None


def paginate(stmt, model, args: dict) -> Page:
    """Rows of ``stmt`` by id, from after the cursor; one more row is read to know
    whether another page follows."""
    limit = min(args.get("limit") or DEFAULT_LIMIT, MAX_LIMIT)
    after = decode_cursor(args["cursor"]) if args.get("cursor") else 0
    stmt = stmt.where(model.id > after).order_by(None).order_by(model.id).limit(limit + 1)
    rows = list(db.session.scalars(stmt).unique())
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, encode_cursor(rows[-1].id) if more and rows else None)
