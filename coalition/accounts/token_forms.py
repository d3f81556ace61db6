from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.validators import DataRequired, Length

from coalition.models.tokens import TOKEN_SCOPES
from coalition.platform.forms import options


class TokenForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=100)],
                       description="What will use it, for example “membership CRM sync”.")
    scope = RadioField("Access", choices=options(TOKEN_SCOPES.items()), default="read",
                       description="Read and write changes data with your role's rights: "
                                   "members change what they own, coordinators everything.")
