"""Forms as a browser sees them: parse a page's ``<form>`` elements and give back exactly
what a browser would send when the person presses the form's button without touching
anything (HTML's "constructing the entry list"):

* inputs with a name and not disabled, with their ``value`` ("" when absent); checkboxes
  and radio buttons only when ``checked`` (value "on" when absent); buttons and file
  inputs are left out;
* a select sends its selected option, or, when none is marked selected, its first
  option (the one a browser shows); an option without ``value`` sends its text;
* a textarea sends its text: the parser drops the newline right after ``<textarea>``
  and reads CR LF as LF, and the submission turns every line break into CR LF;
* a ``<fieldset disabled>`` disables what it holds.

Only the standard library's ``html.parser``: the tests must see the markup the app
sends, not a repaired version of it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from werkzeug.datastructures import MultiDict

_SKIPPED_INPUTS = {"submit", "button", "image", "reset", "file"}


@dataclass
class Control:
    tag: str  # input | select | textarea
    name: str
    type: str = ""
    value: str = ""
    checked: bool = False
    disabled: bool = False
    required: bool = False
    multiple: bool = False
    options: list[tuple[str, bool, bool]] = field(default_factory=list)  # value, selected, disabled

    def entries(self) -> list[tuple[str, str]]:
        if self.disabled or not self.name:
            return []
        if self.tag == "input":
            if self.type in _SKIPPED_INPUTS:
                return []
            if self.type in ("checkbox", "radio"):
                return [(self.name, self.value or "on")] if self.checked else []
            return [(self.name, self.value)]
        if self.tag == "textarea":
            return [(self.name, self.value)]
        # select
        chosen = [v for v, selected, disabled in self.options if selected and not disabled]
        if self.multiple:
            return [(self.name, v) for v in chosen]
        if chosen:
            return [(self.name, chosen[-1])]
        usable = [v for v, _, disabled in self.options if not disabled]
        return [(self.name, usable[0])] if usable else []

    @property
    def choices(self) -> list[str]:
        return [v for v, _, disabled in self.options if not disabled]


@dataclass
class Form:
    action: str
    method: str
    controls: list[Control] = field(default_factory=list)

    def entries(self) -> list[tuple[str, str]]:
        """What the browser sends, in document order, line breaks as CR LF."""
        out = []
        for control in self.controls:
            for name, value in control.entries():
                out.append((name, re.sub(r"\r\n|\r|\n", "\r\n", value)))
        return out

    def data(self, **typed) -> MultiDict:
        """The entries, with ``typed`` replacing (or adding) the values of those fields:
        what the person typed or chose."""
        data = MultiDict(self.entries())
        for name, value in typed.items():
            data.setlist(name, [value] if isinstance(value, str) else list(value))
        return data

    @property
    def names(self) -> set[str]:
        return {name for name, _ in self.entries()}

    def control(self, name: str) -> Control:
        found = [c for c in self.controls if c.name == name]
        if not found:
            raise KeyError(f"no field {name!r} in the form posting to {self.action}")
        return found[0]

    @property
    def required_text_fields(self) -> list[str]:
        """Names of the text boxes marked required (the ones a person must type in)."""
        return [c.name for c in self.controls
                if c.required and not c.disabled and (
                    c.tag == "textarea" or (c.tag == "input" and c.type in (
                        "text", "email", "url", "tel", "search", "number", "password")))]


class _Parser(HTMLParser):
    def __init__(self, url: str):
        super().__init__(convert_charrefs=True)
        self.url = url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Control | None = None
        self._option: dict | None = None
        self._textarea: Control | None = None
        self._disabled_fieldsets = 0
        self._fieldsets: list[bool] = []

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            action = a.get("action") or self.url
            self._form = Form(action=urljoin(self.url, action),
                              method=(a.get("method") or "get").lower())
            return
        if tag == "fieldset":
            disabled = "disabled" in a
            self._fieldsets.append(disabled)
            self._disabled_fieldsets += disabled
            return
        if self._form is None:
            return
        disabled = "disabled" in a or self._disabled_fieldsets > 0
        if tag == "input":
            self._form.controls.append(Control(
                "input", a.get("name", ""), (a.get("type") or "text").lower(),
                a.get("value", ""), "checked" in a, disabled, "required" in a))
        elif tag == "select":
            self._select = Control("select", a.get("name", ""), disabled=disabled,
                                   required="required" in a, multiple="multiple" in a)
            self._form.controls.append(self._select)
        elif tag == "option" and self._select is not None:
            self._close_option()
            self._option = {"value": a.get("value"), "selected": "selected" in a,
                            "disabled": "disabled" in a, "text": ""}
        elif tag == "textarea":
            self._textarea = Control("textarea", a.get("name", ""), disabled=disabled,
                                     required="required" in a)
            self._form.controls.append(self._textarea)

    def _close_option(self):
        if self._option is not None and self._select is not None:
            o = self._option
            value = o["value"] if o["value"] is not None else " ".join(o["text"].split())
            self._select.options.append((value, o["selected"], o["disabled"]))
        self._option = None

    def handle_endtag(self, tag):
        if tag == "fieldset" and self._fieldsets:
            self._disabled_fieldsets -= self._fieldsets.pop()
        elif tag == "option":
            self._close_option()
        elif tag == "select":
            self._close_option()
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = self._textarea.value.replace("\r\n", "\n").replace("\r", "\n")
            self._textarea.value = text[1:] if text.startswith("\n") else text
            self._textarea = None
        elif tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None

    def handle_data(self, data):
        if self._option is not None:
            self._option["text"] += data
        elif self._textarea is not None:
            self._textarea.value += data


def forms(page: str, url: str = "http://localhost/") -> list[Form]:
    """Every form of ``page`` (its ``action`` made absolute against ``url``)."""
    parser = _Parser(url)
    parser.feed(page)
    parser.close()
    return parser.forms


def path(url: str) -> str:
    """The path and query of an absolute address, as the test client wants it."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def find(page: str, action: str, url: str = "http://localhost/", method: str = "post",
         index: int = 0) -> Form:
    """The ``index``-th form of ``page`` whose action's path is ``action`` (no query)."""
    found = [f for f in forms(page, url)
             if urlsplit(f.action).path == action and f.method == method]
    if len(found) <= index:
        raise AssertionError(f"no {method} form posting to {action} (#{index}) on the page; "
                             f"forms: {[f.action for f in forms(page, url)]}")
    return found[index]
