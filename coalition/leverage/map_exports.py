"""Downloads of the map: the formats the exporter writes, as files with a good name."""
from __future__ import annotations

import re

from flask import Response

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


def download(map_data, fmt: str, slug: str, filters) -> Response:
    body = mapexport.export(map_data, fmt)
    response = Response(body, content_type=content_type(fmt))
    response.headers.set("Content-Disposition", "attachment",
                         filename=filename(slug, fmt, filters))
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
