from datetime import date

from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from coalition.models import EVENT_KINDS, ISSUE_CATEGORIES, ISSUE_STAGES
from coalition.platform.forms import options

ANY = ""


class IssueForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=200)],
                        description="For example “12-visit annual cap on PT”.")
    insurer_id = SelectField("Insurer", coerce=int, validators=[DataRequired()])
    category = SelectField("Category", choices=options(ISSUE_CATEGORIES.items()),
                           default="other")
    stage = SelectField("Stage", choices=options(ISSUE_STAGES.items()),
                        default="relationship_building")
    description = TextAreaField("Description", validators=[Optional()])
    desired_outcome = TextAreaField("Desired outcome", validators=[Optional()],
                                    description="What a win-win agreement would look like.")
    fallback = TextAreaField("Fallback", validators=[Optional()],
                             description="What the chapter would accept if the goal is out of reach.")
    coverage_gap_regions = StringField(
        "Coverage-gap regions", validators=[Optional(), Length(max=400)],
        description="Regions where the insurer struggles to keep enough practitioners; separate with commas.")
    unique_services = StringField(
        "Unique services", validators=[Optional(), Length(max=400)],
        description="Services chapter practices offer that nobody else provides there; separate with commas.")
    opened_on = DateField("Opened on", default=date.today, validators=[DataRequired()])
    closed_on = DateField("Closed on", validators=[Optional()],
                          description="Leave empty while the issue is open.")

    def validate_closed_on(self, field):
        if field.data and self.opened_on.data and field.data < self.opened_on.data:
            raise ValidationError("The closing date cannot be before the opening date.")


class IssueEditForm(IssueForm):
    version = HiddenField()
    why = TextAreaField("Why the stage changed", validators=[Optional()],
                        description="Optional; kept in the history if you change the stage.")


class EventForm(FlaskForm):
    occurred_on = DateField("Date", default=date.today, validators=[DataRequired()])
    kind = SelectField("Kind", choices=options(EVENT_KINDS.items()), default="note")
    summary = StringField("What happened", validators=[DataRequired(), Length(max=300)])
    details = TextAreaField("Details", validators=[Optional()])


class IssueFilterForm(FlaskForm):
    class Meta:
        csrf = False

    status = SelectField("Open or closed", default="open", choices=options(
        [("open", "Open"), ("closed", "Closed"), ("all", "All")]))
    stage = SelectField("Stage", default=ANY, choices=options(
        [(ANY, "Any stage")] + list(ISSUE_STAGES.items())))
    category = SelectField("Category", default=ANY, choices=options(
        [(ANY, "Any category")] + list(ISSUE_CATEGORIES.items())))
    insurer = SelectField("Insurer", default=ANY)
