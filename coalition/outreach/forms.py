from datetime import date

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from coalition.models import ISSUE_STAGES
from coalition.models.outreach import (
    EVIDENCE_KINDS,
    TASK_KINDS,
    TASK_OUTCOMES,
    TASK_STATUSES,
    TOUCHPOINT_CHANNELS,
)
from coalition.picker.fields import PickerField
from coalition.platform.forms import optional_int, options


class TaskForm(FlaskForm):
    title = StringField("What to do", validators=[DataRequired(), Length(max=200)],
                        description="For example “Ask Dr Lee to write to the medical director”.")
    kind = SelectField("Kind", choices=options(TASK_KINDS.items()), default="call")
    issue_id = SelectField("Issue", coerce=int, validators=[DataRequired()])
    # Pickers (coalition.picker): found by typing, checked against the chapter when sent.
    target = PickerField("Whom it targets", kind="targets", default="", blank="No one in particular",
                         description="An ally or a contact at the insurer; optional.")
    # "" (Nobody yet) is named so only for a task that has no owner (see the views).
    owner_member_id = PickerField("Owner", kind="members", coerce=optional_int, validators=[Optional()],
                                  description="The member who takes it on.")
    due_on = DateField("Due on", validators=[Optional()])
    status = SelectField("Status", choices=options(TASK_STATUSES.items()), default="planned")
    outcome = SelectField("Outcome", choices=options(TASK_OUTCOMES.items()), default="",
                          validators=[Optional()])
    champion = BooleanField("They will champion the issue (not only support it)",
                            description="With the outcome “committed” and status “done”, "
                                        "the ally becomes a champion instead of a supporter.")
    outcome_notes = TextAreaField("What happened", validators=[Optional(), Length(max=4000)])
    follow_up = TextAreaField("Follow-up", validators=[Optional(), Length(max=4000)])


class StatusForm(FlaskForm):
    """A task card's status buttons (and drag between the board's columns)."""
    status = SelectField("Status", choices=options(TASK_STATUSES.items()), validators=[DataRequired()])
    version = HiddenField()


class TaskEditForm(TaskForm):
    version = HiddenField()


class StageForm(FlaskForm):
    stage = SelectField("Move to stage", default="",
                        validators=[DataRequired(message="Choose the stage to move to.")])
    reason = TextAreaField("Why", validators=[DataRequired(message="Say why the stage changes."),
                                              Length(max=2000)],
                           description="Kept with the date and your name in the issue's history.")


def stage_form(issue, **kw) -> StageForm:
    """The stage form of ``issue``, with the same choices on the issue's page and on the
    stage page (GET) as in the view it posts to (POST): a prompt first, then every stage;
    the issue's own stage is shown, marked "now", but cannot be chosen (it used to be the
    default, and the first save was refused: "already at the stage")."""
    form = StageForm(**kw)
    form.stage.choices = [SelectChoice("", "Choose a stage…")] + [
        SelectChoice(key, f"{label} (now)", render_kw={"disabled": True})
        if key == issue.stage else SelectChoice(key, label)
        for key, label in ISSUE_STAGES.items()]
    return form


class EvidenceForm(FlaskForm):
    kind = SelectField("Kind of incident", choices=options(EVIDENCE_KINDS.items()))
    observed_on = DateField("Date", default=date.today, validators=[DataRequired()],
                            description="The day (or the first day of the month) counted.")
    count = IntegerField("Number of incidents", validators=[
        InputRequired(message="Give a number."), NumberRange(min=0, max=1_000_000)])
    source = StringField("Source (short label)", validators=[Optional(), Length(max=60)],
                         description="For example “clinic survey”. Counts only: no patient "
                                     "names or details.")


class TouchpointForm(FlaskForm):
    relationship_id = PickerField("Relationship", kind="relationships", coerce=optional_int,
                                  validators=[DataRequired(message="Choose a relationship.")],
                                  description="Type the name of either person.")
    occurred_on = DateField("When", default=date.today, validators=[DataRequired()])
    channel = SelectField("Channel", choices=options(TOUCHPOINT_CHANNELS.items()),
                          default="meeting")
    summary = StringField("What it was about", validators=[DataRequired(), Length(max=300)],
                          description="One line, no clinical details.")
    strength = SelectField("Strength of the relationship now", default="", choices=options([
        ("", "Leave as it is"), ("1", "1 – barely know each other"), ("2", "2"), ("3", "3"),
        ("4", "4"), ("5", "5 – close and trusted")]))


class BoardFilterForm(FlaskForm):
    class Meta:
        csrf = False

    issue = SelectField("Issue", default="")
    owner = SelectField("Owner", default="")


class DaysForm(FlaskForm):
    class Meta:
        csrf = False

    days = StringField("Not in touch for more than (days)")
