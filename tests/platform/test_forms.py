"""QuickSelect renders exactly what WTForms' Select renders."""
from wtforms import Form, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import Select

from coalition.platform.forms import QuickSelect

CHOICES = [SelectChoice(v, label) for v, label in [
    ("", "No one in particular"), ("ally:1", 'Ann "Nan" <b>O\'Neil</b> & co'),
    ("contact:2", "Dr. Zoë Ångström — medical director"), ("ally:3", "")]]
GROUPED = {"Allies": [SelectChoice("ally:1", "Ann & Bob")],
           "Insurer contacts": [SelectChoice("contact:2", "<Dana>")]}


class Plain(Form):
    target = SelectField(choices=CHOICES, widget=Select())


class Quick(Form):
    target = SelectField(choices=CHOICES, widget=QuickSelect())


class PlainGroups(Form):
    target = SelectField(choices=GROUPED, widget=Select())


class QuickGroups(Form):
    target = SelectField(choices=GROUPED, widget=QuickSelect())


def test_same_markup_as_wtforms_with_and_without_a_selected_choice():
    for data in (None, "ally:1", "contact:2", "ally:3"):
        plain, quick = Plain(data={"target": data}), Quick(data={"target": data})
        assert str(quick.target(**{"class": "x"})) == str(plain.target(**{"class": "x"}))
    assert "&lt;b&gt;" in str(Quick().target()) and "<b>" not in str(Quick().target())


def test_same_markup_with_groups():
    assert str(QuickGroups(data={"target": "contact:2"}).target()) == \
        str(PlainGroups(data={"target": "contact:2"}).target())
