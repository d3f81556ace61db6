from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional


class ChapterForm(FlaskForm):
    name = StringField("Chapter name", validators=[DataRequired(), Length(max=200)])
    slug = StringField("Short name for addresses", validators=[DataRequired(), Length(max=64)],
                       description="Lower-case letters, digits and hyphens.")
    region = StringField("Region", validators=[Optional(), Length(max=120)])
    # Administrators read no chapter's data by their role alone; one who joins the chapter
    # as its first coordinator can open it and set it up, then appoint others.
    coordinate = BooleanField("I will coordinate it myself until someone else does", default=True,
                              description="You become its first coordinator and can open its pages; "
                                          "leave it blank to appoint someone else straight away.")


class AppointForm(FlaskForm):
    email = EmailField("E-mail of the new coordinator", validators=[DataRequired(), Email()],
                       description="The person must have registered an account first.")
