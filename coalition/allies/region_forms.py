from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from coalition.allies.regions import MAX_LENGTH
from coalition.platform.forms import optional_int


class RegionForm(FlaskForm):
    name = StringField("Name of the region", validators=[
        DataRequired("Give the region a name."), Length(max=MAX_LENGTH)],
        description="For example “Portland Metro” or “Coast”.")


class MergeForm(FlaskForm):
    # The chapter's other regions (a short list); checked again by the service.
    into = SelectField("Merge into", coerce=optional_int,
                       validators=[DataRequired("Choose the region to keep.")],
                       description="Its allies move to the region you choose; this region leaves the list.")
