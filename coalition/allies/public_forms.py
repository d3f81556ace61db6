from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from coalition.allies.signup import PUBLIC_KINDS


class CheckboxListField(SelectMultipleField):
    """Checkboxes instead of a multiple select. Unknown ids are not an error: the sign-up
    keeps only the chapter's open issues."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        return None


class SignupForm(FlaskForm):
    name = StringField("Your name", validators=[DataRequired("Please tell us your name."),
                                                Length(max=200)])
    email = EmailField("E-mail", validators=[DataRequired("We need an e-mail address to reach you."),
                                             Email(), Length(max=254)],
                       filters=[lambda v: v.strip() if isinstance(v, str) else v])
    kind = SelectField("You are…", choices=PUBLIC_KINDS, default="patient")
    region = StringField("Where you live or work (town, county or region)",
                         validators=[Optional(), Length(max=120)])
    organisation = StringField("Organisation (optional)", validators=[Optional(), Length(max=200)])
    issues = CheckboxListField("Issues you support", coerce=int)
    knows = TextAreaField(
        "Whom do you know? (optional)", validators=[Optional(), Length(max=2000)],
        description="For example your physician, a support group, a legislator or someone at "
                    "an insurer. The chapter's coordinators read this in your record's notes "
                    "to see how you could help. Please do not write about health conditions.")
    # A honeypot: hidden from people (CSS), filled in by form-filling robots.
    website = StringField("Leave this field empty", validators=[Optional(), Length(max=200)],
                          render_kw={"autocomplete": "off", "tabindex": "-1"})
    consent = BooleanField(validators=[DataRequired(
        "Without your consent we cannot add you: we would have no right to contact you.")])
