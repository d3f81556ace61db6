"""The marshmallow fields the API's schemas are made of, with the API's own messages.

marshmallow checks the input and writes the output; apispec (through flask-smorest) turns
the same declarations into the OpenAPI document. What is here only adds the API's rules that
marshmallow does not have: text without NUL characters (PostgreSQL cannot store them), JSON
booleans and integers without coercion, dates after 1900, and UTC times written with a ``Z``."""
from __future__ import annotations

import re
from datetime import datetime

import marshmallow as ma
from marshmallow import fields, validate

MAX_ID = 2**31 - 1
TEXT = 10000
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Input(ma.Schema):
    """A request body or query: unknown fields are refused, one message per field."""

    error_messages = {"type": "Expected a JSON object.", "unknown": "Unknown field."}


class Patch(Input):
    """A change (``PATCH``): only the fields sent are checked and changed; none is required
    and none gets a default. Put it first: ``class AllyPatchSchema(Patch, AllyInputSchema)``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("partial", True)
        super().__init__(**kwargs)

    def on_bind_field(self, field_name, field_obj):
        field_obj.load_default = ma.missing


class Output(ma.Schema):
    """An answer: exactly the declared fields (``additionalProperties: false``)."""


MESSAGES = {"required": "This field is required.", "null": "This field cannot be empty."}


class Text(fields.String):
    default_error_messages = {**MESSAGES, "invalid": "Expected text.",
                              "nul": "Text cannot contain NUL characters."}

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in value:
            raise self.make_error("nul")
        return value


class Whole(fields.Integer):
    """An integer. In a JSON body it must be a JSON number (``3`` or ``3.0``, not ``"3"``
    nor ``true``); in a query string it arrives as text and is read as a number."""

    default_error_messages = {**MESSAGES, "invalid": "Expected a whole number.",
                              "too_large": "Expected a whole number."}

    def __init__(self, *, body: bool = True, **kwargs):
        super().__init__(**kwargs)
        self.body = body

    def _validated(self, value):
        if self.body and not isinstance(value, int):
            if not (isinstance(value, float) and value.is_integer()):
                raise self.make_error("invalid", input=value)
        return super()._validated(value)


class Flag(fields.Boolean):
    """``true`` or ``false``: JSON booleans in a body, the words in a query string."""

    default_error_messages = {**MESSAGES, "invalid": "Expected true or false."}

    def __init__(self, *, body: bool = True, **kwargs):
        super().__init__(truthy={"true"}, falsy={"false"}, **kwargs)
        self.body = body

    def _deserialize(self, value, attr, data, **kwargs):
        if self.body:
            if isinstance(value, bool):
                return value
            raise self.make_error("invalid", input=value)
        return super()._deserialize(value, attr, data, **kwargs)


class Day(fields.Date):
    default_error_messages = {**MESSAGES, "invalid": "Expected a date as YYYY-MM-DD.",
                              "format": "Expected a date as YYYY-MM-DD."}

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise self.make_error("invalid", input=value)
        parsed = super()._deserialize(value, attr, data, **kwargs)
        if parsed.year < 1900:
            raise ma.ValidationError("Expected a date after 1900.")
        return parsed


class Timestamp(fields.DateTime):
    """A time the database keeps in UTC without a zone, written with ``Z``."""

    def _serialize(self, value, attr, obj, **kwargs):
        return value.isoformat() + "Z" if isinstance(value, datetime) else None


def _described(kw: dict, description: str) -> dict:
    if description:
        kw.setdefault("metadata", {})["description"] = description
    return kw


def text(max_length: int = TEXT, *, nullable: bool = True, pattern: str | None = None,
         description: str = "", **kw) -> Text:
    """Optional text of at most ``max_length`` characters, empty (null) unless given."""
    checks: list = [validate.Length(max=max_length, error="At most {max} characters.")]
    if pattern:
        checks.append(validate.Regexp(pattern, error="Not in the expected form."))
    return Text(allow_none=nullable, validate=checks, **_described(kw, description))


def name(max_length: int = 200, *, description: str = "", **kw) -> Text:
    """Required text that is not blank."""
    return Text(required=True, validate=[
        validate.Length(min=1, error="This field is required."),
        validate.Length(max=max_length, error="At most {max} characters."),
        _not_blank], **_described(kw, description))


def _not_blank(value: str) -> None:
    if not value.strip():
        raise ma.ValidationError("This field is required.")


def email(max_length: int = 254, **kw) -> Text:
    """An e-mail address, or empty."""
    return Text(allow_none=True, metadata={"format": "email"}, validate=[
        validate.Length(max=max_length, error="At most {max} characters."), _email], **kw)


def _email(value: str) -> None:
    if value.strip() and not EMAIL.match(value.strip()):
        raise ma.ValidationError("Expected an e-mail address.")


def choice(choices, *, description: str = "", **kw) -> Text:
    choices = list(choices)
    return Text(validate=validate.OneOf(
        choices, error="Choose one of: " + ", ".join(map(str, choices)) + "."),
        **_described(kw, description))


def number(minimum: int | None = None, maximum: int | None = None, *, description: str = "",
           **kw) -> Whole:
    checks = []
    if minimum is not None:
        checks.append(validate.Range(min=minimum, error="At least {min}."))
    if maximum is not None:
        checks.append(validate.Range(max=maximum, error="At most {max}."))
    return Whole(validate=checks, **_described(kw, description))


def ident(*, description: str = "", **kw) -> Whole:
    """A row id: a positive 32-bit integer (larger ones cannot exist in any database)."""
    return number(1, MAX_ID, description=description, **kw)


class Tracked(Output):
    """Who made and last changed a row, and when (the model's audit columns)."""

    created_at = Timestamp(allow_none=True, metadata={"description": "When the row was made (UTC)."})
    updated_at = Timestamp(allow_none=True,
                           metadata={"description": "When the row last changed (UTC)."})
    created_by_id = fields.Integer(allow_none=True,
                                   metadata={"description": "User id of whoever made it."})
    updated_by_id = fields.Integer(allow_none=True, metadata={
        "description": "User id of whoever changed it last."})


def version() -> Whole:
    """The ``version`` a change sends back (or the ``If-Match`` header)."""
    return number(1, description="Send it back when you change the row "
                                 "(`version` field or `If-Match` header).")


def one_of(choices, **kw) -> fields.String:
    """An output string from ``choices`` (documented as an enum)."""
    return fields.String(validate=validate.OneOf(list(choices)), **kw)


def node(kind: str) -> fields.Function:
    """The row as an end of a relationship: ``ally:<id>``."""
    return fields.Function(lambda row: f"{kind}:{row.id}", metadata={"type": "string"})


def matching(pattern: str, *, description: str = "", **kw) -> Text:
    """Text in the form of ``pattern`` (a node like ``ally:12``, say)."""
    return Text(validate=validate.Regexp(pattern, error="Not in the expected form."),
                **_described(kw, description))
