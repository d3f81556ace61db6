from flask import Blueprint

bp = Blueprint("public", __name__, url_prefix="/join")

from coalition.public import views  # noqa: E402,F401
