"""The chapter's ally map in the browser: the page, its JSON, saved layouts and exports.

Flask code only; the map itself is built by ``coalition.mapexport`` from the rows that
``coalition.network.loader`` reads, and the access paths come from ``coalition.network``.
"""
from flask import Blueprint

bp = Blueprint("network", __name__, url_prefix="/c/<slug>/map")

from coalition.network_views import views  # noqa: E402,F401
