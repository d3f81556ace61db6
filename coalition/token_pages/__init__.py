"""The browser page where members make and revoke their personal access tokens."""
from flask import Blueprint

bp = Blueprint("tokens", __name__, url_prefix="/c/<slug>/tokens")

from coalition.token_pages import views  # noqa: E402,F401
