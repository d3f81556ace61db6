"""Field definitions the API's views declare their input and output with.

One declaration does three jobs: ``Schema.load`` checks a request body (or query string)
and returns per-field messages, ``Schema.dump`` writes a row as JSON, and
``Schema.json_schema`` describes both in the OpenAPI document (``coalition.api.spec``), so
the description cannot drift from the code."""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

MISSING = object()
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class ValidationError(Exception):
    """``fields``: {name: message}."""

    def __init__(self, fields: dict[str, str], message: str = "Some values are not valid."):
        super().__init__(message)
        self.fields = fields
        self.message = message


class FieldError(ValueError):
    pass


class Field:
    json_type = "string"

    def __init__(self, *, required: bool = False, nullable: bool = False,
                 description: str = "", source: str | Callable | None = None,
                 read_only: bool = False, default: Any = MISSING):
        self.required = required
        self.nullable = nullable
        self.description = description
        self.source = source
        self.read_only = read_only
        self.default = default

    # --- description ---
    def base_schema(self) -> dict:
        return {"type": self.json_type}

    def json_schema(self) -> dict:
        schema = self.base_schema()
        if self.nullable:
            schema["type"] = [schema["type"], "null"]
            if "enum" in schema:
                schema["enum"] = [*schema["enum"], None]
        if self.description:
            schema["description"] = self.description
        return schema

    # --- input ---
    def parse(self, value):
        if value is None:
            if self.nullable:
                return None
            raise FieldError("This field cannot be empty.")
        return self.convert(value)

    def convert(self, value):
        return value

    # --- output ---
    def serialize(self, value):
        return value


class String(Field):
    def __init__(self, *, max_length: int | None = None, min_length: int = 0,
                 fmt: str | None = None, pattern: str | None = None, **kw):
        super().__init__(**kw)
        self.max_length = max_length
        self.min_length = min_length
        self.fmt = fmt
        self.pattern = pattern

    def base_schema(self) -> dict:
        schema: dict = {"type": "string"}
        if self.max_length is not None:
            schema["maxLength"] = self.max_length
        if self.min_length:
            schema["minLength"] = self.min_length
        if self.fmt:
            schema["format"] = self.fmt
        if self.pattern:
            schema["pattern"] = self.pattern
        return schema

    def convert(self, value):
        if not isinstance(value, str):
            raise FieldError("Expected text.")
        if "\x00" in value:
            raise FieldError("Text cannot contain NUL characters.")
        if self.max_length is not None and len(value) > self.max_length:
            raise FieldError(f"At most {self.max_length} characters.")
        if len(value.strip()) < self.min_length:
            raise FieldError("This field is required." if self.min_length == 1
                             else f"At least {self.min_length} characters.")
        if self.fmt == "email" and value.strip() and not EMAIL.match(value.strip()):
            raise FieldError("Expected an e-mail address.")
        if self.fmt == "uri" and value.strip() and not re.match(r"^https?://[^\s/]+", value.strip()):
            raise FieldError("Expected an address starting with http:// or https://.")
        if self.pattern and not re.search(self.pattern, value):
            raise FieldError("Not in the expected form.")
        return value


class Choice(String):
    def __init__(self, choices, **kw):
        super().__init__(**kw)
        self.choices = list(choices)

    def base_schema(self) -> dict:
        return {"type": "string", "enum": list(self.choices)}

    def convert(self, value):
        if value not in self.choices:
            raise FieldError("Choose one of: " + ", ".join(map(str, self.choices)) + ".")
        return value


class Integer(Field):
    json_type = "integer"

    def __init__(self, *, minimum: int | None = None, maximum: int | None = None, **kw):
        super().__init__(**kw)
        self.minimum = minimum
        self.maximum = maximum

    def base_schema(self) -> dict:
        schema: dict = {"type": "integer"}
        if self.minimum is not None:
            schema["minimum"] = self.minimum
        if self.maximum is not None:
            schema["maximum"] = self.maximum
        return schema

    def convert(self, value):
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            else:
                raise FieldError("Expected a whole number.")
        if self.minimum is not None and value < self.minimum:
            raise FieldError(f"At least {self.minimum}.")
        if self.maximum is not None and value > self.maximum:
            raise FieldError(f"At most {self.maximum}.")
        return value


class Id(Integer):
    """A row id: a positive 32-bit integer (larger ones cannot exist in any database)."""

    def __init__(self, **kw):
        kw.setdefault("minimum", 1)
        kw.setdefault("maximum", 2**31 - 1)
        super().__init__(**kw)


class Boolean(Field):
    json_type = "boolean"

    def convert(self, value):
        if not isinstance(value, bool):
            raise FieldError("Expected true or false.")
        return value


class Date(Field):
    def base_schema(self) -> dict:
        return {"type": "string", "format": "date"}

    def convert(self, value):
        if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise FieldError("Expected a date as YYYY-MM-DD.")
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            raise FieldError("Expected a date as YYYY-MM-DD.") from None
        if parsed.year < 1900:
            raise FieldError("Expected a date after 1900.")
        return parsed

    def serialize(self, value):
        return value.isoformat() if value is not None else None


class DateTime(Field):
    def base_schema(self) -> dict:
        return {"type": "string", "format": "date-time"}

    def serialize(self, value):
        return value.isoformat() + "Z" if isinstance(value, datetime) else None


class Object(Field):
    """Free-form JSON (the graph, the leverage analysis): described, not checked."""

    json_type = "object"

    def __init__(self, properties: Mapping[str, dict] | None = None, **kw):
        super().__init__(**kw)
        self.properties = properties or {}

    def base_schema(self) -> dict:
        schema: dict = {"type": "object"}
        if self.properties:
            schema["properties"] = dict(self.properties)
        return schema


class List(Field):
    json_type = "array"

    def __init__(self, item: Schema | Field, **kw):
        super().__init__(**kw)
        self.item = item

    def base_schema(self) -> dict:
        if isinstance(self.item, Schema):
            return {"type": "array", "items": {"$ref": f"#/components/schemas/{self.item.name}"}}
        return {"type": "array", "items": self.item.json_schema()}

    def serialize(self, value):
        if isinstance(self.item, Schema):
            return [self.item.dump(v) for v in value]
        return [self.item.serialize(v) for v in value]


class Nested(Field):
    json_type = "object"

    def __init__(self, schema: Schema, **kw):
        super().__init__(**kw)
        self.schema = schema

    def json_schema(self) -> dict:
        ref = {"$ref": f"#/components/schemas/{self.schema.name}"}
        if self.nullable:
            return {"anyOf": [ref, {"type": "null"}]}
        return ref

    def serialize(self, value):
        return self.schema.dump(value) if value is not None else None


class Schema:
    """A named set of fields. ``partial`` loads (PATCH) accept any subset."""

    def __init__(self, name: str, fields: Mapping[str, Field], description: str = "",
                 additional: bool = False):
        self.name = name
        self.fields = dict(fields)
        self.description = description
        self.additional = additional

    def json_schema(self, *, partial: bool = False) -> dict:
        props = {n: f.json_schema() for n, f in self.fields.items()}
        schema: dict = {"type": "object", "properties": props}
        required = [n for n, f in self.fields.items() if f.required and not partial]
        if required:
            schema["required"] = required
        if not self.additional:
            schema["additionalProperties"] = False
        if self.description:
            schema["description"] = self.description
        return schema

    def load(self, data, *, partial: bool = False) -> dict:
        if not isinstance(data, dict):
            raise ValidationError({}, "Expected a JSON object.")
        errors: dict[str, str] = {}
        out: dict = {}
        for name in data:
            if name not in self.fields and not self.additional:
                errors[name] = "Unknown field."
        for name, field in self.fields.items():
            if field.read_only:
                continue
            if name not in data:
                if field.required and not partial:
                    errors[name] = "This field is required."
                elif field.default is not MISSING and not partial:
                    out[name] = field.default
                continue
            try:
                out[name] = field.parse(data[name])
            except FieldError as exc:
                errors[name] = str(exc)
        if errors:
            raise ValidationError(errors)
        return out

    def load_args(self, args) -> dict:
        """Query-string arguments: integers and booleans arrive as text."""
        data = {}
        for name, field in self.fields.items():
            if name not in args:
                continue
            value = args.get(name)
            if isinstance(field, Integer):
                try:
                    value = int(value)
                except ValueError:
                    raise ValidationError({name: "Expected a whole number."}) from None
            elif isinstance(field, Boolean):
                if value not in ("true", "false"):
                    raise ValidationError({name: "Expected true or false."})
                value = value == "true"
            data[name] = value
        return self.load(data)

    def dump(self, obj) -> dict:
        out = dict(obj) if self.additional and isinstance(obj, Mapping) else {}
        for name, field in self.fields.items():
            source = field.source or name
            if callable(source):
                value = source(obj)
            elif isinstance(obj, Mapping):
                value = obj.get(source)
            else:
                value = getattr(obj, source)
            out[name] = field.serialize(value)
        return out
