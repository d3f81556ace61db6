"""Exports of a chapter's ally map.

``build_map`` (``mapdata``) makes the filtered, pseudonymised, styled ``MapData``;
``export(map_data, fmt) -> bytes`` writes it in one of ``FORMATS``:

========== ===================================== ===============================
format     writer                                file
========== ===================================== ===============================
graphml    ``graphml.write_graphml`` (yEd)       ``.graphml``
gexf       ``gexf.write_gexf`` (GEXF 1.3, Gephi) ``.gexf``
cytoscape  ``cyjs.write_cytoscape``              ``.cyjs`` (JSON)
nodelink   ``cyjs.write_nodelink`` (networkx)    ``.json``
csv        ``kumu.write_kumu`` (Kumu)            ``.zip`` of two CSV files
svg        ``svg.write_svg``                     ``.svg``
png        ``png.write_png`` (Pillow)            ``.png``
html       ``html.write_html`` (offline page)    ``.html``
========== ===================================== ===============================

Every writer is deterministic: the same map gives the same bytes.
"""
from __future__ import annotations

from importlib import import_module

from .mapdata import MapData, MapEdge, MapFilters, MapNode, build_map, legend

#: format -> (module, writer function, file extension, media type)
FORMATS: dict[str, tuple[str, str, str, str]] = {
    "graphml": ("graphml", "write_graphml", ".graphml", "application/graphml+xml"),
    "gexf": ("gexf", "write_gexf", ".gexf", "application/gexf+xml"),
    "cytoscape": ("cyjs", "write_cytoscape", ".cyjs", "application/json"),
    "nodelink": ("cyjs", "write_nodelink", ".json", "application/json"),
    "csv": ("kumu", "write_kumu", ".zip", "application/zip"),
    "svg": ("svg", "write_svg", ".svg", "image/svg+xml"),
    "png": ("png", "write_png", ".png", "image/png"),
    "html": ("html", "write_html", ".html", "text/html; charset=utf-8"),
}


def export(map_data: MapData, fmt: str) -> bytes:
    """``map_data`` written as ``fmt`` (one of ``FORMATS``)."""
    try:
        module, func, _, _ = FORMATS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; one of: {', '.join(FORMATS)}") from None
    return getattr(import_module(f"{__name__}.{module}"), func)(map_data)


__all__ = ["FORMATS", "MapData", "MapEdge", "MapFilters", "MapNode", "build_map", "export", "legend"]
