from flask import Blueprint

bp = Blueprint("members", __name__, url_prefix="/c/<slug>/members")

from coalition.members import views  # noqa: E402,F401
