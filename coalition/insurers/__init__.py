from flask import Blueprint

bp = Blueprint("insurers", __name__, url_prefix="/c/<slug>/insurers")

from coalition.insurers import views  # noqa: E402,F401
