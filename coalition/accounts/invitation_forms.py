from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, Length

from coalition.accounts.service import MAX_PASSWORD, MIN_PASSWORD
from coalition.platform.forms import options

INVITE_AS = {
    "member": "Members: they see the chapter's coalition and change what they add",
    "coordinator": "Coordinators: they manage everything in the chapter, as you do",
}


class InviteForm(FlaskForm):
    addresses = TextAreaField(
        "E-mail addresses",
        validators=[DataRequired("Type or paste at least one e-mail address.")],
        description="One address, or a list pasted from a spreadsheet or an e-mail: commas, "
                    "spaces or new lines between them. “Ana Lima <ana@example.org>” works too.",
        render_kw={"rows": 4, "autocomplete": "off", "spellcheck": "false"})
    role = RadioField("Invite them as", choices=options(INVITE_AS.items()), default="member")


class JoinForm(FlaskForm):
    """Accepting with the account one is logged in with: only the button."""


class CreateAccountForm(FlaskForm):
    name = StringField("Your name", validators=[DataRequired(), Length(max=200)],
                       render_kw={"autocomplete": "name"})
    password = PasswordField(
        "Choose a password",
        validators=[DataRequired(), Length(min=MIN_PASSWORD, max=MAX_PASSWORD)],
        description=f"At least {MIN_PASSWORD} characters; a passphrase works well.",
        render_kw={"autocomplete": "new-password"})
    confirm = PasswordField("Repeat the password",
                            validators=[DataRequired(), EqualTo("password", "The passwords differ.")],
                            render_kw={"autocomplete": "new-password"})
