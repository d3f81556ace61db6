from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, TextAreaField, URLField
from wtforms.validators import URL, DataRequired, Email, Length, Optional, Regexp

from coalition.models import CONTACT_ROLES
from coalition.picker.fields import PickerField
from coalition.platform.forms import options


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
    # Found by typing among the same insurer's contacts (the view sets the picker's scope);
    # sent as "contact:<id>", or empty for nobody. The directory refuses a loop.
    # Its description names the insurer (the view).
    reports_to_id = PickerField("Reports to", kind="contacts", default="", blank="Nobody / not known")
    topics = StringField("Knows about", validators=[Optional(), Length(max=400)],
                         description="Topics, separated with commas, e.g. “fee schedule, prior authorisation”.")
    email = EmailField("E-mail", validators=[Optional(), Email(), Length(max=254)])
    phone = StringField("Phone", validators=[Optional(), Length(max=50)])
    notes = TextAreaField("Notes", validators=[Optional()])
