"""Cytoscape.js JSON and networkx node-link JSON.

Cytoscape.js (``write_cytoscape``): ``{"elements": {"nodes": [{"data", "position",
"classes"}], "edges": [{"data", "classes"}]}, "style": [...], "layout": {"name":
"preset"}, "meta", "legend"}``, accepted by ``cy.json(...)`` and by Cytoscape
desktop's ``.cyjs`` import. ``data`` holds every MapNode/MapEdge field except
x/y; ``position`` is the map's x/y or, when unknown, ``layout.positions_for``;
stale edges have the class ``stale`` (dashed, faded in ``style``).

Node-link (``write_nodelink``): networkx 3.6's ``node_link_data`` layout with its
default key names: ``{"directed": false, "multigraph": false, "graph": meta,
"nodes": [{"id", ...}], "edges": [{"source", "target", "id", ...}]}`` - the
edge list key is ``"edges"`` (networkx >= 3.4's default; older readers pass
``edges="links"``). ``networkx.node_link_graph(data)`` reads it back.
"""
from __future__ import annotations

import json

from . import style
from .layout import positions_for


def dumps(obj) -> bytes:
    """Deterministic UTF-8 JSON."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=False, separators=(",", ":")).encode("utf-8")


def cytoscape_style() -> list[dict]:
    out = [
        {"selector": "node", "style": {
            "label": "data(label)", "background-color": "data(colour)", "shape": "data(shape)",
            "width": "data(size)", "height": "data(size)", "font-size": 10,
            "text-valign": "bottom", "text-margin-y": 2, "border-width": 1, "border-color": "#333333"}},
        {"selector": "node[?pseudonymised]", "style": {"border-style": "dashed"}},
        {"selector": "edge", "style": {
            "width": "data(width)", "line-color": "#555555", "opacity": style.EDGE_OPACITY,
            "curve-style": "haystack"}},
        {"selector": "edge.stale", "style": {"line-style": "dashed", "opacity": style.STALE_OPACITY}},
        {"selector": ":selected", "style": {"border-width": 3, "border-color": "#000000"}},
    ]
    out[3:3] = [
        {"selector": f'edge[type = "{t}"]', "style": {"line-color": c}} for t, c in style.EDGE_COLOURS.items()
    ]
    return out


def cytoscape_elements(map_data) -> dict:
    where = positions_for(map_data)
    nodes = []
    for n in map_data.nodes:
        data = n.to_dict()
        data.pop("x", None)
        data.pop("y", None)
        item = {"data": data}
        if n.x is not None and n.y is not None:
            item["position"] = {"x": n.x, "y": n.y}
        elif n.id in where:
            x, y = where[n.id]
            item["position"] = {"x": x, "y": y}
        if n.pseudonymised:
            item["classes"] = "pseudonymised"
        nodes.append(item)
    edges = []
    for e in map_data.edges:
        item = {"data": e.to_dict()}
        if e.stale:
            item["classes"] = "stale"
        edges.append(item)
    return {"nodes": nodes, "edges": edges}


def cytoscape_document(map_data) -> dict:
    return {
        "elements": cytoscape_elements(map_data),
        "style": cytoscape_style(),
        "layout": {"name": "preset"},
        "meta": map_data.meta,
        "legend": style.legend(),
    }


def write_cytoscape(map_data) -> bytes:
    return dumps(cytoscape_document(map_data))


def write_nodelink(map_data) -> bytes:
    return dumps({
        "directed": False,
        "multigraph": False,
        "graph": map_data.meta,
        "nodes": [n.to_dict() for n in map_data.nodes],
        "edges": [e.to_dict() for e in map_data.edges],
    })
