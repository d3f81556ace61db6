"""What every form of the product shares: select options, the quick select widget for large
chapters, and the one sequence an editing view follows (``submit``): call the service, show
its refusal beside the field and keep what was typed, or commit, say so and move on. A save
that changed nothing says so instead (``NO_CHANGES``): it wrote no row, no audit entry and
left the chapter's data version alone (``coalition.models.tracking``)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect
from markupsafe import escape
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import Select

from coalition.models.tracking import writes
from coalition.platform.extensions import db
from coalition.platform.rules import RuleBroken, VersionConflict

# What every save that changed nothing says, as a plain status message.
NO_CHANGES = "No changes to save."


def changes_mark() -> int:
    """A reading to pass to :func:`say_saved` once the change is committed."""
    return writes(db.session)


def say_saved(mark: int, message: str) -> bool:
    """Flash ``message`` when something was written since ``mark`` (see
    :func:`changes_mark`), else that there was nothing to save. Returns whether anything
    was written."""
    changed = writes(db.session) != mark
    if changed:
        flash(message, "success")
    else:
        flash(NO_CHANGES, "info")
    return changed


def optional_int(value) -> int | None:
    """``coerce`` for a select of ids with an empty choice ("nobody"): "" is None."""
    if value is None or value == "":
        return None
    return int(value)


def options(pairs) -> list[SelectChoice]:
    """(value, label) pairs as select options."""
    return [SelectChoice(value, label) for value, label in pairs]


class QuickSelect(Select):
    """The same markup as WTForms' ``Select``, built faster: WTForms renders each
    ``<option>`` through ``html_params`` and ``Markup.format`` (about 40 µs apiece), so a
    chapter's 10,000 allies as choices took 0.4 s per form. Options with extra attributes
    still go through WTForms."""

    @classmethod
    def render_option(cls, choice, **kwargs):
        if kwargs or choice.render_kw:
            return super().render_option(choice, **kwargs)
        value = choice.value
        if isinstance(value, bool):
            value = str(value)
        label = escape(choice.label or value)
        selected = "selected " if choice.selected else ""
        return f'<option {selected}value="{escape(value)}">{label}</option>'


def reject(form, error: Exception, default_field: str) -> None:
    """Roll back the failed save and put ``error`` beside the field it names (its ``field``)
    or ``default_field``; the form keeps the typed values."""
    db.session.rollback()
    getattr(form, getattr(error, "field", None) or default_field).errors.append(str(error))


def submit(form, change: Callable[[], Any], *, field: str,
           message: str | Callable[[Any], str], to: str | Callable[[Any], str]) -> Response | None:
    """Call ``change()``. When the service refuses (``RuleBroken``) the refusal stands beside
    ``field`` and ``None`` is returned, so the view shows the form again; otherwise commit,
    flash ``message`` and answer with a redirect to ``to`` (either may be a function of what
    ``change`` returned). On a ``VersionConflict`` (raised by the service, or found by the
    commit) nothing is kept and the conflict goes on to the view, which shows the saved values
    next to the typed ones. When nothing was written the message is ``NO_CHANGES``; the
    redirect is the same."""
    mark = changes_mark()
    try:
        result = change()
        db.session.commit()
    except RuleBroken as exc:
        reject(form, exc, field)
        return None
    except VersionConflict:
        db.session.rollback()
        raise
    except StaleDataError as exc:
        db.session.rollback()
        raise VersionConflict() from exc
    if writes(db.session) != mark:
        flash(message(result) if callable(message) else message, "success")
    else:
        flash(NO_CHANGES, "info")
    return redirect(to(result) if callable(to) else to)
