from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional

from coalition.models import ALLY_KINDS, STANCES
from coalition.picker.fields import PickerField

INFLUENCE = {1: "1 – little", 2: "2", 3: "3 – some", 4: "4", 5: "5 – decisive"}


class AllyForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    is_organisation = BooleanField("This is an organisation, not a person")
    kind = SelectField("Kind", choices=ALLY_KINDS, default="other")
    organisation = StringField("Organisation", validators=[Optional(), Length(max=200)])
    title = StringField("Title or role", validators=[Optional(), Length(max=200)])
    region = PickerField("Region", kind="regions", validators=[Optional(), Length(max=120)], blank="No region",
                         unknown="Not one of the chapter's regions: choose one from the list "
                                 "(coordinators add regions on the Regions page).",
                         description="One of the chapter's regions; coordinators add and rename them "
                                     "on the Regions page.")
    email = EmailField("E-mail", validators=[Optional(), Email(), Length(max=254)],
                       filters=[lambda v: v.strip() if isinstance(v, str) else v])
    phone = StringField("Phone", validators=[Optional(), Length(max=50)])
    influence = SelectField("Influence", coerce=int, choices=INFLUENCE, default=3,
                            description="How much weight this ally can add, 1 to 5.")
    consent = BooleanField("Agreed to be contacted by the chapter")
    consent_method = StringField("How consent was given", validators=[Optional(), Length(max=300)],
                                 description="For example “by phone, 3 May” or “signed form”.")
    notes = TextAreaField("Notes", validators=[Optional()],
                          description="No clinical information, please.")
    tags = StringField("Tags", validators=[Optional(), Length(max=400)],
                       description="Separated by commas.")
    version = HiddenField()


class StanceForm(FlaskForm):
    issue_id = SelectField("Issue", coerce=int, validate_choice=True)
    stance = SelectField("Stance", choices=STANCES, default="supporter")
    notes = StringField("Note on this stance", validators=[Optional(), Length(max=500)])
