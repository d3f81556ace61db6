from flask import Blueprint

bp = Blueprint("relationships", __name__, url_prefix="/c/<slug>/relationships")

from coalition.relationships import views  # noqa: E402,F401
