from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import RadioField, SelectMultipleField, SubmitField

from coalition.models.imports import IMPORT_KINDS


class UploadForm(FlaskForm):
    kind = RadioField("The file holds", choices=dict(IMPORT_KINDS), default="allies")
    file = FileField(
        "File", validators=[FileRequired("Choose a CSV or Excel (.xlsx) file.")],
        description="CSV or Excel (.xlsx). The first row names the columns, e.g. First Name, "
                    "Last Name, Email, Organization, Kind, Region, Consent — or, for "
                    "relationships, From email, To email, Kind, Strength, Last contact.")


class CommitForm(FlaskForm):
    duplicates = RadioField(
        "Rows that match what you already have",
        choices={"merge": "Merge: fill in their blank fields from the file",
                 "skip": "Skip: leave them as they are"},
        default="merge")
    # One checkbox per column whose file values differ from saved ones; the view sets the
    # choices from the job (importer.replace_choices). None ticked: saved values are kept.
    replace = SelectMultipleField("Replace saved values with the file's", choices=[])
    # Without JavaScript: show the preview again with the ticked choices.
    preview = SubmitField("Show what these choices change")
