"""An ally's privacy rights, exercised by a coordinator: the data export and erasure."""
from flask import Blueprint

bp = Blueprint("privacy", __name__, url_prefix="/c/<slug>/allies/<int:ally_id>")

from coalition.privacy_pages import views  # noqa: E402,F401
