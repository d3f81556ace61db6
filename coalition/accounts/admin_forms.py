from flask_wtf import FlaskForm
from wtforms import EmailField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional


class ChapterForm(FlaskForm):
    name = StringField("Chapter name", validators=[DataRequired(), Length(max=200)])
    slug = StringField("Short name for addresses", validators=[DataRequired(), Length(max=64)],
                       description="Lower-case letters, digits and hyphens.")
    region = StringField("Region", validators=[Optional(), Length(max=120)])


class AppointForm(FlaskForm):
    email = EmailField("E-mail of the new coordinator", validators=[DataRequired(), Email()],
                       description="The person must have registered an account first.")
