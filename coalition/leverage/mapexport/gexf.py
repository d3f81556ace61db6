"""GEXF 1.3 for Gephi, valid against the XSDs in ``shared/schemas/gexf-1.3``.

Node and edge attributes are declared in ``<attributes class="node|edge">``
(ids are the field names) and given per element in ``<attvalues>``; the node's
colour, size, position (only when the map has x/y) and shape, and the edge's
colour, thickness and line shape (dashed when stale) are written as the
visualisation elements ``color``/``size``/``position``/``shape``/``thickness``.

Namespace note: the published 1.3 XSD declares these visualisation elements in
the GEXF namespace itself (its node and edge content models refer to
``ns1:color`` etc.), not in the ``viz`` namespace that Gephi writes, so a file
using ``viz:color`` does not validate. We follow the schema; Gephi's importer
matches these elements by local name. Readers that look only for the viz
namespace (networkx's ``read_gexf``) still get colour and size from the
``colour`` and ``size`` attvalues. Shapes: GEXF knows disc, square, triangle,
diamond and image, so member=diamond, ally=disc, contact=square,
insurer=triangle, issue=square (the ``shape`` attvalue keeps the map's shape).
"""
from __future__ import annotations

from lxml import etree

from . import style
from .mapdata import EDGE_FIELDS, NODE_FIELDS, clean_text

NS = "http://gexf.net/1.3"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
GEXF_SHAPES = {
    "diamond": "diamond", "ellipse": "disc", "round-rectangle": "square",
    "hexagon": "triangle", "star": "square",
}
NODE_TYPES = {"size": "double", "x": "double", "y": "double", "influence": "integer",
              "community": "integer", "pseudonymised": "boolean"}
EDGE_TYPES = {"width": "double", "usable": "double", "strength": "integer", "stale": "boolean"}
_SKIP_NODE = {"id", "label"}
_SKIP_EDGE = {"id", "source", "target"}


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return clean_text(str(value))


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _rgb(colour: str) -> dict:
    r, g, b = style.hex_to_rgb(colour)
    return {"r": str(r), "g": str(g), "b": str(b)}


def write_gexf(map_data) -> bytes:
    root = etree.Element(_q("gexf"), nsmap={None: NS, "xsi": XSI}, version="1.3")
    root.set(f"{{{XSI}}}schemaLocation", "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd")
    meta = etree.SubElement(root, _q("meta"))
    if map_data.meta.get("today"):
        meta.set("lastmodifieddate", map_data.meta["today"])
    etree.SubElement(meta, _q("creator")).text = "Coalition"
    etree.SubElement(meta, _q("description")).text = "Ally map of one chapter"
    graph = etree.SubElement(root, _q("graph"), defaultedgetype="undirected", mode="static")
    node_keys = [f for f in NODE_FIELDS if f not in _SKIP_NODE]
    edge_keys = [f for f in EDGE_FIELDS if f not in _SKIP_EDGE]
    attrs = etree.SubElement(graph, _q("attributes"), {"class": "node", "mode": "static"})
    for name in node_keys:
        etree.SubElement(attrs, _q("attribute"), id=name, title=name, type=NODE_TYPES.get(name, "string"))
    attrs = etree.SubElement(graph, _q("attributes"), {"class": "edge", "mode": "static"})
    for name in edge_keys:
        etree.SubElement(attrs, _q("attribute"), id=name, title=name, type=EDGE_TYPES.get(name, "string"))
    nodes = etree.SubElement(graph, _q("nodes"), count=str(len(map_data.nodes)))
    for n in map_data.nodes:
        el = etree.SubElement(nodes, _q("node"), id=_text(n.id), label=_text(n.label))
        values = etree.SubElement(el, _q("attvalues"))
        for name in node_keys:
            value = getattr(n, name)
            if value is not None:
                etree.SubElement(values, _q("attvalue"), {"for": name, "value": _text(value)})
        etree.SubElement(el, _q("color"), _rgb(n.colour))
        if n.x is not None and n.y is not None:
            etree.SubElement(el, _q("position"), x=repr(float(n.x)), y=repr(float(n.y)), z="0.0")
        etree.SubElement(el, _q("size"), value=repr(float(n.size)))
        etree.SubElement(el, _q("shape"), value=GEXF_SHAPES.get(n.shape, "disc"))
    edges = etree.SubElement(graph, _q("edges"), count=str(len(map_data.edges)))
    for e in map_data.edges:
        el = etree.SubElement(edges, _q("edge"), id=_text(e.id), source=_text(e.source),
                              target=_text(e.target), label=_text(e.kind),
                              weight=repr(float(e.usable if e.usable is not None else 1.0)))
        values = etree.SubElement(el, _q("attvalues"))
        for name in edge_keys:
            value = getattr(e, name)
            if value is not None:
                etree.SubElement(values, _q("attvalue"), {"for": name, "value": _text(value)})
        colour = _rgb(style.EDGE_COLOURS.get(e.type, "#555555"))
        colour["a"] = str(style.STALE_OPACITY if e.stale else style.EDGE_OPACITY)
        etree.SubElement(el, _q("color"), colour)
        etree.SubElement(el, _q("thickness"), value=repr(float(e.width)))
        etree.SubElement(el, _q("shape"), value="dashed" if e.stale else "solid")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
