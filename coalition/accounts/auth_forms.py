from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from coalition.accounts.service import MAX_PASSWORD, MIN_PASSWORD


class LoginForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Email()])
    password = PasswordField("Password", validators=[DataRequired()])
    remember = BooleanField("Keep me logged in on this device")


def _new_password(label: str = "Password"):
    return PasswordField(
        label,
        validators=[DataRequired(), Length(min=MIN_PASSWORD, max=MAX_PASSWORD)],
        description=f"At least {MIN_PASSWORD} characters; a passphrase works well.",
    )


class RegisterForm(FlaskForm):
    name = StringField("Your name", validators=[DataRequired(), Length(max=200)])
    email = EmailField("E-mail", validators=[DataRequired(), Email(), Length(max=254)])
    password = _new_password()
    confirm = PasswordField("Repeat the password",
                            validators=[DataRequired(), EqualTo("password", "The passwords differ.")])
    chapter = SelectField("Chapter to join", coerce=int, validators=[DataRequired()])


class SetupForm(FlaskForm):
    name = StringField("Your name", validators=[DataRequired(), Length(max=200)])
    email = EmailField("E-mail", validators=[DataRequired(), Email(), Length(max=254)])
    password = _new_password()
    confirm = PasswordField("Repeat the password",
                            validators=[DataRequired(), EqualTo("password", "The passwords differ.")])
    chapter_name = StringField("First chapter's name", validators=[DataRequired(), Length(max=200)],
                               description="For example “Oregon Chapter”.")
    chapter_slug = StringField("Short name for addresses", validators=[DataRequired(), Length(max=64)],
                               description="Lower-case letters, digits and hyphens, e.g. “oregon”.")
    chapter_region = StringField("Region", validators=[Optional(), Length(max=120)])
    demo = BooleanField("Load the demo coalition into this chapter (150 allies, 3 insurers, 6 issues)")


class ChangePasswordForm(FlaskForm):
    current = PasswordField("Current password", validators=[DataRequired()])
    password = _new_password("New password")
    confirm = PasswordField("Repeat the new password",
                            validators=[DataRequired(), EqualTo("password", "The passwords differ.")])


class ForgotPasswordForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Email(), Length(max=254)])


class ResetPasswordForm(FlaskForm):
    password = _new_password("New password")
    confirm = PasswordField("Repeat the new password",
                            validators=[DataRequired(), EqualTo("password", "The passwords differ.")])
