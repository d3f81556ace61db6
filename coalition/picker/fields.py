"""A form field that picks one person, relationship or region of the chapter by typing.

The page holds a plain ``<select>`` with only the current choice, plus a search box and a
"Find" button: without JavaScript, "Find" posts the whole form back to its own page
(``finding``), which shows it again with everything typed kept and the matches (at most
50) as the select's options. With JavaScript, ``static/picker.js`` puts an
accessible-autocomplete box in place of both, fed by ``/c/<slug>/search/<kind>``.
Either way the form sends an id, which the field checks against the chapter (``lookup``),
so a chapter's 10,000 allies are never all on a page.
"""
from __future__ import annotations

from flask import g, request, url_for
from markupsafe import Markup, escape
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError
from wtforms.widgets import html_params

from coalition.picker import search
from coalition.platform.extensions import db

FIND = "find"  # the name of the "Find" buttons; the value names the field
TYPED = "typed:"  # what static/picker.js sends for a name typed but not chosen
UNKNOWN = "Not found in this chapter: type part of the name, then choose from the list."


class PickerWidget:
    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        q_id = f"{field.id}-q"
        options = []
        for value, label, selected, _ in field.iter_choices():
            sel = "selected " if selected else ""
            options.append(f'<option {sel}value="{escape(value)}">{escape(label)}</option>')
        select = Markup("<select {}>{}</select>").format(
            Markup(html_params(name=field.name, **kwargs)), Markup("".join(options)))
        found = ""
        if field.found is not None:
            if field.found:
                many = len(field.found)
                more = " (the first 50: type more of the name to narrow them)" if many >= search.FIND_LIMIT else ""
                found = (f"{many} match{'es' if many != 1 else ''} for “{field.find_q}”{more}: "
                         "choose one in the list above.")
            else:
                found = f"Nothing matches “{field.find_q}”. Try fewer letters."
        # A name typed but not chosen (refused): shown again in the box, so it can be corrected.
        typed = field.data[len(TYPED):] if isinstance(field.data, str) and field.data.startswith(TYPED) else ""
        return Markup(
            '<div class="picker" data-picker-url="{url}"{offered}{typed}>{select}'
            '<div class="picker-find"><label for="{q_id}">Or type part of a name, then choose Find</label>'
            '<span class="picker-row"><input type="search" id="{q_id}" name="{q_id}" value="{q}" autocomplete="off">'
            '<button type="submit" class="button secondary" name="{find}" value="{name}" formnovalidate>Find</button>'
            '</span></div>{status}</div>').format(
            url=url_for(f"search.{field.kind}", **{k: v for k, v in field.scope.items() if v is not None}),
            offered=Markup(' data-picker-offered="1"') if field.offered else "",
            typed=Markup(' data-picker-typed="{}"').format(typed[:200]) if typed.strip() else "",
            select=select, q_id=q_id, q=field.find_q, find=FIND, name=field.name,
            status=Markup('<p class="picker-found" role="status">{}</p>').format(found) if found else "")


class PickerField(SelectField):
    """A select of one ``kind`` (see ``search.KINDS``) whose options are filled by ``ready``."""

    widget = PickerWidget()

    def __init__(self, label=None, validators=None, *, kind: str, blank: str = "Choose…",
                 unknown: str = UNKNOWN, **kwargs):
        super().__init__(label, validators, choices=[SelectChoice("", blank)], **kwargs)
        self.kind = kind
        self.blank = blank
        self.unknown = unknown
        self.find_q = ""
        self.found: list[search.Match] | None = None
        self.offered = False  # the page lists a few choices: the plain select stays
        # Where a scoped kind searches (search.SCOPED_KINDS), set by the view before validating.
        self.scope: dict = {}

    def pre_validate(self, form):
        # The value is checked against the chapter, not against the few options shown.
        if self.data in (None, ""):
            return
        if search.lookup(db.session, g.membership, self.kind, self.data, self.scope) is None:
            raise ValidationError(self.unknown)


def _pickers(form):
    return [f for f in form if isinstance(f, PickerField)]


def finding(form) -> bool:
    """Whether this post is a "Find" (without JavaScript) rather than a save."""
    name = request.form.get(FIND) if request.method == "POST" else None
    return bool(name) and any(f.name == name for f in _pickers(form))


def ready(form, offer: dict[str, list[search.Match]] | None = None) -> None:
    """Fill each picker's options: the current choice, or the matches of a "Find", or the
    few the page offers (``offer``: field name to matches, at most 50 are shown)."""
    asked = request.form.get(FIND) if request.method == "POST" else None
    for field in _pickers(form):
        choices = [SelectChoice("", field.blank)]
        field.offered = bool(field.name != asked and offer and offer.get(field.name))
        if field.offered:
            choices += [SelectChoice(m.value, m.text) for m in offer[field.name][:search.FIND_LIMIT]]
            if len(offer[field.name]) == 1 and field.data in (None, ""):  # the only one: chosen
                field.data = field.coerce(offer[field.name][0].value)
        if field.name == asked:
            field.find_q = request.form.get(f"{field.id}-q", "").strip()
            field.found = search.search(db.session, g.membership, field.kind, field.find_q,
                                        limit=search.FIND_LIMIT, scope=field.scope)
            choices += [SelectChoice(m.value, m.text) for m in field.found]
            if len(field.found) == 1:  # one match: chosen already
                field.data = field.found[0].value
        current = search.lookup(db.session, g.membership, field.kind, field.data, field.scope) \
            if field.data not in (None, "") else None
        if current is not None and current.value not in {c.value for c in choices}:
            choices.insert(1, SelectChoice(current.value, current.text))
        elif current is None and field.kind == "regions" and field.data:
            # Shown rather than silently dropped; saving asks for a listed region.
            choices.insert(1, SelectChoice(field.data, f"{field.data} (not in the list)"))
        field.choices = choices
