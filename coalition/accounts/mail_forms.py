from flask_wtf import FlaskForm
from wtforms import BooleanField


class MailChoicesForm(FlaskForm):
    """One checkbox per category of notice the person is offered (fields added per request:
    see :func:`choices_form`)."""


def choices_form(offered: dict[str, str], off: set[str]) -> FlaskForm:
    class Form(MailChoicesForm):
        pass

    for category, label in offered.items():
        setattr(Form, category, BooleanField(label, default=category not in off))
    return Form()

