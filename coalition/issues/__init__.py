from flask import Blueprint

bp = Blueprint("issues", __name__, url_prefix="/c/<slug>/issues")

from coalition.issues import views  # noqa: E402,F401
