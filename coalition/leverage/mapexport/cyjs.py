"""Cytoscape.js JSON and networkx node-link JSON, written as streams of chunks (the element
lists are encoded ``BATCH`` elements at a time).

Cytoscape.js (``write_cytoscape``): ``{"elements": {"nodes": [{"data", "position",
"classes"}], "edges": [{"data", "classes"}]}, "style": [...], "layout": {"name":
"preset"}, "meta", "legend"}``, accepted by ``cy.json(...)`` and by Cytoscape
desktop's ``.cyjs`` import. ``data`` holds every MapNode/MapEdge field except
x/y (the map's shape as ``map_shape``, as in every format); ``position`` is
``layout.map_positions`` (the saved layout, else the computed one); stale edges
have the class ``stale`` (dashed, faded in ``style``).

Node-link (``write_nodelink``): networkx 3.6's ``node_link_data`` layout with its
default key names: ``{"directed": false, "multigraph": false, "graph": meta,
"nodes": [{"id", ...}], "edges": [{"source", "target", "id", ...}]}`` - the
edge list key is ``"edges"`` (networkx >= 3.4's default; older readers pass
``edges="links"``). ``networkx.node_link_graph(data)`` reads it back. Every node
has ``x``/``y`` from ``layout.map_positions`` and its shape as ``map_shape``.
"""
from __future__ import annotations

import json

from . import style
from .layout import map_positions
from .stream import SHAPE_FIELD, chunked, edge_record, node_record

#: Elements per JSON encoder call: one C call per batch, yet never the whole list in memory.
BATCH = 2000
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def dumps(obj) -> bytes:
    """Deterministic UTF-8 JSON."""
    return _ENCODER.encode(obj).encode("utf-8")


def cytoscape_style() -> list[dict]:
    out = [
        {"selector": "node", "style": {
            "label": "data(label)", "background-color": "data(colour)", "shape": f"data({SHAPE_FIELD})",
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


def _cy_node(n, where) -> dict:
    data = node_record(n, {})
    item = {"data": data}
    if n.id in where:
        x, y = where[n.id]
        item["position"] = {"x": x, "y": y}
    if n.pseudonymised:
        item["classes"] = "pseudonymised"
    return item


def _cy_edge(e) -> dict:
    item = {"data": edge_record(e)}
    if e.stale:
        item["classes"] = "stale"
    return item


def _batches(items, make, encode):
    """``items`` made into dicts and encoded as the comma-separated inside of a JSON list."""
    first = True
    for start in range(0, len(items), BATCH):
        text = encode([make(i) for i in items[start:start + BATCH]])[1:-1]
        yield text if first else "," + text
        first = False


def cytoscape_parts(map_data, encode=_ENCODER.encode):
    """The Cytoscape.js document as ``str`` parts (also inlined by the HTML page)."""
    where = map_positions(map_data)
    yield '{"elements":{"nodes":['
    yield from _batches(map_data.nodes, lambda n: _cy_node(n, where), encode)
    yield '],"edges":['
    yield from _batches(map_data.edges, _cy_edge, encode)
    yield ']},"style":' + encode(cytoscape_style()) + ',"layout":{"name":"preset"},"meta":' + encode(map_data.meta)
    yield ',"legend":' + encode(style.legend()) + "}"


def cytoscape_document(map_data) -> dict:
    """The whole document as one dict (small maps and tests; the writers stream)."""
    return json.loads("".join(cytoscape_parts(map_data)))


def iter_cytoscape(map_data):
    return chunked(cytoscape_parts(map_data))


def write_cytoscape(map_data) -> bytes:
    return b"".join(iter_cytoscape(map_data))


def nodelink_parts(map_data):
    where = map_positions(map_data)
    yield '{"directed":false,"multigraph":false,"graph":' + _ENCODER.encode(map_data.meta) + ',"nodes":['
    yield from _batches(map_data.nodes, lambda n: node_record(n, where), _ENCODER.encode)
    yield '],"edges":['
    yield from _batches(map_data.edges, edge_record, _ENCODER.encode)
    yield "]}"


def iter_nodelink(map_data):
    return chunked(nodelink_parts(map_data))


def write_nodelink(map_data) -> bytes:
    return b"".join(iter_nodelink(map_data))
