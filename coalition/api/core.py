"""The machinery every API view shares: token authentication, JSON errors, the
``operation`` decorator (which parses and checks the request from the view's declared
schemas and writes the response) and cursor paging."""
from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from functools import wraps

from flask import Flask, Response, abort, g, jsonify, request
from flask_login import AnonymousUserMixin
from sqlalchemy import select
from sqlalchemy.exc import DataError
from werkzeug.exceptions import HTTPException

from coalition.accounts import tokens
from coalition.api import bp
from coalition.api.schema import Integer, Schema, String, ValidationError
from coalition.platform import ratelimit
from coalition.platform.extensions import db
from coalition.platform.ids import is_id
from coalition.platform.rules import RuleBroken, VersionConflict

PUBLIC = {"api.openapi", "api.docs"}
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


class ApiError(Exception):
    def __init__(self, code: int, message: str | None = None,
                 fields: dict[str, str] | None = None):
        super().__init__(message or MESSAGES.get(code, "Error"))
        self.code = code
        self.message = message or MESSAGES.get(code, "Error")
        self.fields = fields


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


@bp.errorhandler(ValidationError)
def _validation_error(exc: ValidationError):
    db.session.rollback()
    return error_response(422, exc.message, exc.fields)


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
    from flask import current_app

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


@bp.before_request
def _authenticate():
    """Every request starts anonymous: the session cookie never speaks for an API caller."""
    if request.endpoint in PUBLIC:  # the description: nothing of any chapter
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
    return None


@bp.after_request
def _no_store(response: Response) -> Response:
    response.headers.setdefault("Cache-Control", "no-store")
    return response


# --- access -------------------------------------------------------------------------------

def chapter():
    return g.chapter


def require_coordinator() -> None:
    if not g.membership.is_coordinator:
        raise ApiError(403, "Only the chapter's coordinators may do this.")


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


# --- paging -------------------------------------------------------------------------------

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
        raise ValidationError({"cursor": "Not a cursor this API gave out."}) from None


PAGE_ARGS = {
    "limit": Integer(minimum=1, description=f"Rows per page, {DEFAULT_LIMIT} unless given; "
                                            f"values above {MAX_LIMIT} count as {MAX_LIMIT}."),
    "cursor": String(max_length=100, description="The `next_cursor` of the previous page."),
}


@dataclass
class Page:
    items: list
    next_cursor: str | None


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


# --- operations ---------------------------------------------------------------------------

@dataclass
class OperationDoc:
    summary: str
    tag: str
    query: Schema | None = None
    body: Schema | None = None
    partial: bool = False
    response: Schema | None = None
    paged: bool = False
    status: int = 200
    role: str = "member"          # "member" | "coordinator" (documented; views check)
    versioned: bool = False       # PATCH needs the row's version (If-Match or body)
    description: str = ""
    errors: tuple[int, ...] = field(default_factory=tuple)
    public: bool = False
    raw: dict | None = None       # a response described by hand (openapi.json, docs)

    @property
    def write(self) -> bool:
        return self.body is not None or self.status == 204


def operation(rule: str, method: str, **doc):
    """Register ``view`` at ``rule`` for ``method`` and describe it. The view receives
    the path values plus ``args`` (checked query) and ``data`` (checked body) as declared
    and returns a row, a list ``Page`` or None; the declared ``response`` writes it."""
    described = OperationDoc(**doc)
    if described.query is None and described.paged:
        described.query = Schema("_page", {})

    def decorate(view):
        @wraps(view)
        def wrapped(**values):
            for name, ident in values.items():  # 404 before any 422: ids are checked first
                if name in PATH_MODELS:
                    get_row(PATH_MODELS[name](), ident)
            if described.query is not None:
                query = Schema(described.query.name,
                               {**described.query.fields, **(PAGE_ARGS if described.paged else {})})
                values["args"] = query.load_args(request.args)
            if described.body is not None:
                if not request.is_json:
                    raise ApiError(415)
                payload = request.get_json(silent=True)
                if payload is None:
                    raise ApiError(400, "The body is not valid JSON.")
                values["data"] = described.body.load(payload, partial=described.partial)
            result = view(**values)
            if isinstance(result, (Response, str)):
                return result
            if described.status == 204:
                return Response(status=204)
            if described.paged:
                body = {"items": [described.response.dump(r) for r in result.items],
                        "next_cursor": result.next_cursor}
            elif described.response is not None:
                body = described.response.dump(result)
            else:
                body = result
            response = jsonify(body)
            response.status_code = described.status
            if isinstance(body, dict) and "version" in body and described.response is not None:
                response.headers["ETag"] = f'"{body["version"]}"'
            return response

        wrapped.api_doc = described
        bp.add_url_rule(rule, endpoint=view.__name__, view_func=wrapped, methods=[method])
        return wrapped

    return decorate
