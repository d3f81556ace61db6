from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, TextAreaField, URLField
from wtforms.validators import URL, DataRequired, Email, Length, Optional, Regexp

from coalition.models import CONTACT_ROLES
from coalition.platform.forms import options

NOBODY = 0


class InsurerForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    plan_types = StringField("Plan types", validators=[Optional(), Length(max=400)],
                             description="Separate with commas, e.g. “HMO, PPO, Medicare Advantage”.")
    regions = StringField("Regions", validators=[Optional(), Length(max=400)],
                          description="Where the insurer operates; separate with commas.")
    website = URLField("Website", validators=[
        Optional(), Regexp(r"(?i)^https?://", message="Use an http:// or https:// address."),
        URL(), Length(max=300)])
    notes = TextAreaField("Notes", validators=[Optional()])


class ContactForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    title = StringField("Job title", validators=[Optional(), Length(max=200)])
    department = StringField("Department", validators=[Optional(), Length(max=200)])
    role = SelectField("Role", choices=options(CONTACT_ROLES.items()), default="other",
                       validators=[DataRequired()])
    # The choices list only possible managers; the service checks the rule itself and
    # answers with a precise message, so WTForms' generic "Not a valid choice" is off.
    reports_to_id = SelectField("Reports to", coerce=int, default=NOBODY, validate_choice=False,
                                description="Someone at the same insurer.")
    topics = StringField("Knows about", validators=[Optional(), Length(max=400)],
                         description="Topics, separated with commas, e.g. “fee schedule, prior authorisation”.")
    email = EmailField("E-mail", validators=[Optional(), Email(), Length(max=254)])
    phone = StringField("Phone", validators=[Optional(), Length(max=50)])
    notes = TextAreaField("Notes", validators=[Optional()])
