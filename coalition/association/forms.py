from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from coalition.models.association import CAMPAIGN_STATUSES
from coalition.platform.forms import options

NO_PROFILE = 0


class ProfileForm(FlaskForm):
    name = StringField("Insurer name", validators=[DataRequired(), Length(max=200)],
                       description="As the insurer calls itself nationally, e.g. “Silver Basin Health”.")
    parent_company = StringField("Parent company", validators=[Optional(), Length(max=200)])
    lines_of_business = StringField("Lines of business", validators=[Optional(), Length(max=400)],
                                    description="Separate with commas, e.g. “Commercial, Medicare Advantage”.")
    states = StringField("States", validators=[Optional(), Length(max=400)],
                         description="Where it operates; separate with commas.")
    notes = TextAreaField("Notes", validators=[Optional()])
    version = HiddenField()


class CampaignForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=200)],
                        description="The policy in a few words, e.g. “Prior authorisation after visit 6”.")
    profile_id = SelectField("Insurer", coerce=int, validate_choice=False)
    policy = TextAreaField("The policy", validators=[Optional()],
                           description="What the insurer does, where and since when.")
    talking_points = TextAreaField("Talking points", validators=[Optional()],
                                   description="Shared with every chapter taking part.")
    status = SelectField("Status", choices=options(CAMPAIGN_STATUSES.items()), default="active")
    version = HiddenField()


class LinkForm(FlaskForm):
    profile_id = SelectField("Association profile", coerce=int, validate_choice=False, default=NO_PROFILE)


class JoinForm(FlaskForm):
    issue_id = SelectField("Your issue", coerce=int, validate_choice=False)


class NoteForm(FlaskForm):
    body = TextAreaField("Note or talking point", validators=[DataRequired(message="Write the note first.")],
                         description="Every chapter in the campaign reads it. Write no patient or ally names.")


class IntroductionForm(FlaskForm):
    to_chapter_id = SelectField("Ask chapter", coerce=int, validate_choice=False)
    shared_contact_id = HiddenField()
    message = TextAreaField("Message", validators=[Optional(), Length(max=2000)],
                            description="Why you ask and what you hope for. The other chapter decides.")


class ReplyForm(FlaskForm):
    reply = TextAreaField("Reply (optional)", validators=[Optional(), Length(max=2000)])
