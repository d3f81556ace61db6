from flask import Blueprint

bp = Blueprint("allies", __name__, url_prefix="/c/<slug>/allies")

from coalition.allies import views  # noqa: E402,F401
