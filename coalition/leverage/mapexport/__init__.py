"""Exports of a chapter's ally map.

``build_map`` (``mapdata``) makes the filtered, pseudonymised, styled ``MapData``;
``export_chunks(map_data, fmt)`` writes it in one of ``FORMATS`` as a stream of ``bytes``
chunks (never the whole document in memory), ``export_to(map_data, fmt, file)`` into a
file, ``export(map_data, fmt) -> bytes`` at once (small maps, tests):

========== ===================================== ===============================
format     writer                                file
========== ===================================== ===============================
graphml    ``graphml.iter_graphml`` (yEd)        ``.graphml``
gexf       ``gexf.iter_gexf`` (GEXF 1.3, Gephi)  ``.gexf``
cytoscape  ``cyjs.iter_cytoscape``               ``.cyjs`` (JSON)
nodelink   ``cyjs.iter_nodelink`` (networkx)     ``.json``
csv        ``kumu.iter_kumu`` (Kumu)             ``.zip`` of two CSV files
svg        ``svg.iter_svg``                      ``.svg``
png        ``png.iter_png`` (Pillow)             ``.png``
html       ``html.iter_html`` (offline page)     ``.html``
========== ===================================== ===============================

Every writer is deterministic: the same map gives the same bytes. Every format carries
the same node positions (``layout.map_positions``: the saved layout, else the computed
one, computed once per map) and writes the map's shape as the attribute ``map_shape``.
"""
from __future__ import annotations

from importlib import import_module

from .mapdata import MapData, MapEdge, MapFilters, MapNode, build_map, legend

#: format -> (module, writer function, file extension, media type)
FORMATS: dict[str, tuple[str, str, str, str]] = {
    "graphml": ("graphml", "iter_graphml", ".graphml", "application/graphml+xml"),
    "gexf": ("gexf", "iter_gexf", ".gexf", "application/gexf+xml"),
    "cytoscape": ("cyjs", "iter_cytoscape", ".cyjs", "application/json"),
    "nodelink": ("cyjs", "iter_nodelink", ".json", "application/json"),
    "csv": ("kumu", "iter_kumu", ".zip", "application/zip"),
    "svg": ("svg", "iter_svg", ".svg", "image/svg+xml"),
    "png": ("png", "iter_png", ".png", "image/png"),
    "html": ("html", "iter_html", ".html", "text/html; charset=utf-8"),
}


def export_chunks(map_data: MapData, fmt: str):
    """``map_data`` written as ``fmt`` (one of ``FORMATS``): an iterator of non-empty ``bytes``.

    Errors that can be known before writing (an unknown format, a missing asset) are raised
    by this call, not by the first ``next()``."""
    try:
        module, func, _, _ = FORMATS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; one of: {', '.join(FORMATS)}") from None
    chunks = getattr(import_module(f"{__name__}.{module}"), func)(map_data)
    return (c for c in chunks if c)


def export_to(map_data: MapData, fmt: str, fh) -> int:
    """Write ``map_data`` as ``fmt`` into the binary file ``fh``; the number of bytes."""
    size = 0
    for chunk in export_chunks(map_data, fmt):
        fh.write(chunk)
        size += len(chunk)
    return size


def export(map_data: MapData, fmt: str) -> bytes:
    """``map_data`` written as ``fmt``, all at once."""
    return b"".join(export_chunks(map_data, fmt))


__all__ = ["FORMATS", "MapData", "MapEdge", "MapFilters", "MapNode", "build_map", "export", "export_chunks",
           "export_to", "legend"]
