"""The JSON API at ``/api/v1``: its own blueprint with its own JSON errors.

Callers authenticate with a personal access token (``Authorization: Bearer coal_…``),
never with the browser's session cookie, so the blueprint is exempt from CSRF. The token's
user is set as Flask-Login's user for the request (``g._login_user``, no cookie), so
``current_user``, the access rules of ``coalition.platform.access`` and the created_by/updated_by
hook see the token's owner."""
from flask import Blueprint

from coalition.platform.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

from coalition.api import core, views  # noqa: E402,F401
