"""Nothing is deleted on a request that has not said yes.

Every view that deletes calls :func:`ask_first` before it acts. With JavaScript the page's
dialog (static/confirm.js) asks and sends ``confirmed=yes`` with the form; without it, or
for anyone who posts the form some other way, the first request answers with a page that
asks the same question and only its own button goes ahead.
"""
from __future__ import annotations

from flask import render_template, request

CONFIRMED = "confirmed"


def ask_first(question: str, yes: str, back: str, note: str | None = None):
    """None once the person has confirmed; otherwise the page that asks ``question``.

    ``yes`` is the label of the button that goes ahead ("Delete issue"), ``back`` where
    Cancel leads, ``note`` what happens next ("You can restore it from the Trash...")."""
    if request.form.get(CONFIRMED) == "yes":
        return None
    return render_template("confirm.html", question=question, yes=yes, back=back, note=note,
                           action=request.path)
