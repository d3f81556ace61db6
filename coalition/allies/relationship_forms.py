from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Optional

from coalition.models import RELATIONSHIP_KINDS
from coalition.picker.fields import PickerField
from coalition.platform.forms import optional_int

STRENGTHS = {1: "1 – barely know each other", 2: "2", 3: "3 – know each other well",
             4: "4", 5: "5 – close, would pick up the phone"}


class RelationshipForm(FlaskForm):
    a = PickerField("From", kind="people", validators=[DataRequired("Choose someone.")],
                    description="A chapter member, an ally or an insurer contact.")
    kind = SelectField("Kind of link", choices=RELATIONSHIP_KINDS, default="knows")
    b = PickerField("To", kind="people", validators=[DataRequired("Choose someone.")])
    strength = SelectField("Strength", coerce=int, choices=STRENGTHS, default=3)
    since = DateField("Known since", validators=[Optional()])
    last_contact = DateField("Last contact", validators=[Optional()],
                             description="Links without contact for 180 days count as stale.")
    notes = TextAreaField("Notes", validators=[Optional()])
    # "" (not recorded) is offered only for a relationship that has no owner (see the views).
    owner = PickerField("Declared by", kind="members", coerce=optional_int,
                        description="The member who keeps this relationship up to date.")
    version = HiddenField()

    def set_choices(self, owners: bool, *, not_recorded: bool = False) -> None:
        """Keep the owner field only when ``owners`` (a coordinator says who declared it);
        the pickers' options come from ``coalition.picker.fields.ready``."""
        if not owners:
            del self.owner
        elif not_recorded:
            self.owner.blank = "Not recorded"
