"""Downloads of the map: the formats the exporter writes, as files with a good name.

The file is streamed: the response body is the writer's chunks as they come
(``mapexport.export_chunks``), so a 50,000-ally GraphML never sits whole in a worker's
memory. The map itself is read from the database before the response starts, so the
stream needs neither the request nor a database connection. The first chunk is made
before the response is returned: whatever fails while starting (a missing asset)
becomes ``ExportUnavailable`` and a page that says so, not a broken download.
"""
from __future__ import annotations

import re

from flask import Response, current_app

from coalition.leverage import mapexport

LABELS = {
    "graphml": "GraphML (yEd, Gephi)",
    "gexf": "GEXF (Gephi)",
    "cytoscape": "Cytoscape JSON",
    "nodelink": "Node-link JSON (networkx, D3)",
    "csv": "Kumu CSV (zip of nodes and links)",
    "png": "PNG image",
    "svg": "SVG drawing",
    "html": "Stand-alone web page",
}


def formats() -> dict[str, str]:
    """``{format: label}`` of the formats the exporter writes, in its order."""
    return {name: LABELS.get(name, name) for name in mapexport.FORMATS}


def content_type(fmt: str) -> str:
    return mapexport.FORMATS[fmt][3]


def extension(fmt: str) -> str:
    return mapexport.FORMATS[fmt][2]


def filename(slug: str, fmt: str, filters) -> str:
    parts = [slug, "map"]
    if filters.issue_id is not None:
        parts.append(f"issue-{filters.issue_id}")
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", "-".join(parts)).strip("-") or "map"
    return stem + extension(fmt)


class ExportUnavailable(Exception):
    """The format cannot be written on this server right now; the message says so plainly."""


def download(map_data, fmt: str, slug: str, filters, chapter_name: str | None = None) -> Response:
    if chapter_name:
        map_data.meta["chapter"] = chapter_name  # the drawn formats' title names the chapter
    try:
        chunks = mapexport.export_chunks(map_data, fmt)
        first = next(chunks, b"")
    except RuntimeError as exc:  # e.g. html's MissingAsset: cytoscape.js is not installed
        current_app.logger.error("map export %s unavailable: %s", fmt, exc)
        raise ExportUnavailable(
            f"“{LABELS.get(fmt, fmt)}” cannot be made on this server at the moment: a part it needs "
            "is not installed. Please choose another format, or tell the site's administrator.") from exc

    def body():
        yield first
        yield from chunks

    response = Response(body(), content_type=content_type(fmt))
    response.headers.set("Content-Disposition", "attachment",
                         filename=filename(slug, fmt, filters))
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
