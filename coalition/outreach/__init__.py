from flask import Blueprint

bp = Blueprint("outreach", __name__, url_prefix="/c/<slug>/outreach")

from coalition.outreach import views  # noqa: E402,F401
