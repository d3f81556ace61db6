from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import RadioField

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
        "Rows that match someone already in the chapter",
        choices={"merge": "Merge: fill in what the file knows",
                 "skip": "Skip: leave the existing record as it is"},
        default="merge")
