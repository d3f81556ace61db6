from flask import Blueprint

bp = Blueprint("imports", __name__, url_prefix="/c/<slug>/imports")

from coalition.imports import views  # noqa: E402,F401
