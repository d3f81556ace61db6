"""GraphML for yEd, igraph, networkx and Gephi.

Every node and edge attribute of ``MapNode``/``MapEdge`` is a plain GraphML
``<key attr.name=... attr.type=...>`` (so igraph and networkx read all of them
back), and yEd's ``yfiles.type="nodegraphics"``/``"edgegraphics"`` keys carry a
``y:ShapeNode`` (Geometry, Fill colour, BorderStyle, NodeLabel, Shape) and a
``y:PolyLineEdge`` (LineStyle width/colour, dashed when stale, no arrows), so yEd
opens the file with labels, colours and shapes. The graph is undirected; edges
keep the map's source -> target order and have unique ids (``rel:12``...).

Node geometry: the map's x/y when known, else ``layout.positions_for``. The
node's id is the XML ``id`` and is not repeated as a data key (igraph keeps it
as the vertex attribute ``id``). networkx's reader also turns the yEd label and
geometry into ``label``/``x``/``y``; the plain data keys come after the yEd
one, so their typed values win.
"""
from __future__ import annotations

from lxml import etree

from . import style
from .layout import positions_for
from .mapdata import EDGE_FIELDS, NODE_FIELDS, clean_text

NS = "http://graphml.graphdrawing.org/xmlns"
Y = "http://www.yworks.com/xml/graphml"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
NSMAP = {None: NS, "y": Y, "xsi": XSI}

#: yEd ShapeNode shape per map shape.
YED_SHAPES = {
    "diamond": "diamond",
    "ellipse": "ellipse",
    "round-rectangle": "roundrectangle",
    "hexagon": "hexagon",
    "star": "star5",
}
NODE_TYPES = {
    "size": "double", "x": "double", "y": "double", "influence": "int", "community": "int",
    "pseudonymised": "boolean",
}
EDGE_TYPES = {"width": "double", "usable": "double", "strength": "int", "stale": "boolean"}
_SKIP_NODE = {"id"}
_SKIP_EDGE = {"id", "source", "target"}


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return clean_text(str(value))


def write_graphml(map_data) -> bytes:
    root = etree.Element(f"{{{NS}}}graphml", nsmap=NSMAP)
    root.set(f"{{{XSI}}}schemaLocation",
             "http://graphml.graphdrawing.org/xmlns http://www.yworks.com/xml/schema/graphml/1.1/ygraphml.xsd")
    node_keys = [f for f in NODE_FIELDS if f not in _SKIP_NODE]
    edge_keys = [f for f in EDGE_FIELDS if f not in _SKIP_EDGE]
    etree.SubElement(root, f"{{{NS}}}key", {"id": "ng", "for": "node", "yfiles.type": "nodegraphics"})
    etree.SubElement(root, f"{{{NS}}}key", {"id": "eg", "for": "edge", "yfiles.type": "edgegraphics"})
    for name in node_keys:
        etree.SubElement(root, f"{{{NS}}}key", {
            "id": f"n_{name}", "for": "node", "attr.name": name,
            "attr.type": NODE_TYPES.get(name, "string")})
    for name in edge_keys:
        etree.SubElement(root, f"{{{NS}}}key", {
            "id": f"e_{name}", "for": "edge", "attr.name": name,
            "attr.type": EDGE_TYPES.get(name, "string")})
    graph = etree.SubElement(root, f"{{{NS}}}graph", {"id": "G", "edgedefault": "undirected"})
    where = positions_for(map_data, size=max(1000.0, 40.0 * len(map_data.nodes) ** 0.5))
    for n in map_data.nodes:
        el = etree.SubElement(graph, f"{{{NS}}}node", {"id": _text(n.id)})
        g = etree.SubElement(el, f"{{{NS}}}data", {"key": "ng"})
        shape = etree.SubElement(g, f"{{{Y}}}ShapeNode")
        x, y = where.get(n.id, (0.0, 0.0))
        etree.SubElement(shape, f"{{{Y}}}Geometry", {
            "height": f"{n.size:.1f}", "width": f"{n.size:.1f}",
            "x": f"{x - n.size / 2:.2f}", "y": f"{y - n.size / 2:.2f}"})
        etree.SubElement(shape, f"{{{Y}}}Fill", {"color": n.colour, "transparent": "false"})
        etree.SubElement(shape, f"{{{Y}}}BorderStyle", {"color": "#333333", "type": "line", "width": "1.0"})
        label = etree.SubElement(shape, f"{{{Y}}}NodeLabel", {
            "modelName": "sides", "modelPosition": "s", "fontSize": "11"})
        label.text = _text(n.label)
        etree.SubElement(shape, f"{{{Y}}}Shape", {"type": YED_SHAPES.get(n.shape, "ellipse")})
        for name in node_keys:
            value = getattr(n, name)
            if value is not None:
                etree.SubElement(el, f"{{{NS}}}data", {"key": f"n_{name}"}).text = _text(value)
    for e in map_data.edges:
        el = etree.SubElement(graph, f"{{{NS}}}edge", {
            "id": _text(e.id), "source": _text(e.source), "target": _text(e.target)})
        g = etree.SubElement(el, f"{{{NS}}}data", {"key": "eg"})
        line = etree.SubElement(g, f"{{{Y}}}PolyLineEdge")
        etree.SubElement(line, f"{{{Y}}}LineStyle", {
            "color": style.EDGE_COLOURS.get(e.type, "#555555") + ("59" if e.stale else ""),
            "type": "dashed" if e.stale else "line", "width": f"{e.width:.2f}"})
        etree.SubElement(line, f"{{{Y}}}Arrows", {"source": "none", "target": "none"})
        for name in edge_keys:
            value = getattr(e, name)
            if value is not None:
                etree.SubElement(el, f"{{{NS}}}data", {"key": f"e_{name}"}).text = _text(value)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
