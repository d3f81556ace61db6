"""The one kind of error the domain modules raise when a person's input breaks a rule."""
from __future__ import annotations


class RuleBroken(ValueError):
    """A rule was broken; the message is for the person, ``field`` names the form field (or
    API body field) to blame, if any. Web views show it beside that field
    (``coalition.form_errors.reject``); the API answers 422 with it."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field
