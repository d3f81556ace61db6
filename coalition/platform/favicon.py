"""``/favicon.ico``: browsers ask for it on every site, whatever the page links to, and a
404 there is an error in every page's console. The icon is drawn by
``coalition/tools/favicon.py``; pages also link its SVG version (``templates/base.html``).
"""
from __future__ import annotations

from flask import Blueprint, Flask, current_app, send_from_directory

ONE_DAY = 24 * 3600

bp = Blueprint("favicon_file", __name__)


def serve():
    response = send_from_directory(current_app.static_folder, "favicon.ico",
                                   mimetype="image/vnd.microsoft.icon", max_age=ONE_DAY)
    response.cache_control.public = True
    return response


@bp.record_once
def _register(state) -> None:
    app: Flask = state.app
    # An app-level endpoint named "favicon", open before the set-up like "static".
    app.add_url_rule("/favicon.ico", endpoint="favicon", view_func=serve)
