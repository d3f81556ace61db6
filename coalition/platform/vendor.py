"""Browser libraries installed by npm, served from ``node_modules`` at ``/vendor/<name>``.

Only the files named in ``FILES`` are reachable; any other name answers 404, so nothing
else under ``node_modules`` (sources, package metadata, test tools) is ever served.
The files change only with the lock file, so they are cached for a year; pages link to
them through ``vendor_url(name)``, which adds the package version as a cache buster.
"""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from flask import Blueprint, Flask, abort, send_from_directory, url_for

NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"

# Public name -> (npm package, path inside the package). Order matters for the fCoSE
# layout without a bundler: layout-base, then cose-base, then cytoscape-fcose.
FILES = {
    "cytoscape.min.js": ("cytoscape", "dist/cytoscape.min.js"),
    "layout-base.js": ("layout-base", "layout-base.js"),
    "cose-base.js": ("cose-base", "cose-base.js"),
    "cytoscape-fcose.js": ("cytoscape-fcose", "cytoscape-fcose.js"),
    "cytoscape-svg.js": ("cytoscape-svg", "cytoscape-svg.js"),
    # The type-ahead of the people pickers (coalition/picker).
    "accessible-autocomplete.min.js": ("accessible-autocomplete", "dist/accessible-autocomplete.min.js"),
    "accessible-autocomplete.min.css": ("accessible-autocomplete", "dist/accessible-autocomplete.min.css"),
}

ONE_YEAR = 365 * 24 * 3600

bp = Blueprint("vendor_files", __name__)


def serve(filename: str):
    entry = FILES.get(filename)
    if entry is None:
        abort(404)
    package, inner = entry
    folder = NODE_MODULES / package
    if not (folder / inner).is_file():  # npm ci has not run
        abort(404)
    response = send_from_directory(folder, inner, max_age=ONE_YEAR)
    response.cache_control.public = True
    response.cache_control.immutable = True
    return response


@cache
def package_version(package: str) -> str:
    try:
        meta = json.loads((NODE_MODULES / package / "package.json").read_text())
    except (OSError, ValueError):
        return "0"
    return str(meta.get("version", "0"))


def vendor_url(filename: str) -> str:
    package, _ = FILES[filename]
    return url_for("vendor", filename=filename, v=package_version(package))


@bp.record_once
def _register(state) -> None:
    app: Flask = state.app
    # An app-level endpoint named "vendor" (the set-up gate lets it through by that name).
    app.add_url_rule("/vendor/<path:filename>", endpoint="vendor", view_func=serve)
    app.add_template_global(vendor_url)
