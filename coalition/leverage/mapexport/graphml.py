"""GraphML for yEd, igraph, networkx and Gephi, written as a stream of chunks.

Every node and edge attribute of ``MapNode``/``MapEdge`` is a plain GraphML
``<key attr.name=... attr.type=...>`` (so igraph and networkx read all of them
back), and yEd's ``yfiles.type="nodegraphics"``/``"edgegraphics"`` keys carry a
``y:ShapeNode`` (Geometry, Fill colour, BorderStyle, NodeLabel, Shape) and a
``y:PolyLineEdge`` (LineStyle width/colour, dashed when stale, no arrows), so yEd
opens the file with labels, colours and shapes. The graph is undirected; edges
keep the map's source -> target order and have unique ids (``rel:12``...). The
map's shape is the attribute ``map_shape`` (``stream.SHAPE_FIELD``), as in every format.

Node geometry and the ``x``/``y`` keys: ``layout.map_positions`` (the saved layout,
else the computed one), for every node. The node's id is the XML ``id`` and is not
repeated as a data key (igraph keeps it as the vertex attribute ``id``). networkx's
reader also turns the yEd label and geometry into ``label``/``x``/``y``; the plain
data keys come after the yEd one, so their typed values win.
"""
from __future__ import annotations

from . import style
from .layout import map_positions
from .mapdata import EDGE_FIELDS, NODE_FIELDS, Memo
from .stream import SHAPE_FIELD, chunked, esc, xml_value

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

HEAD = ('<?xml version=\'1.0\' encoding=\'UTF-8\'?>\n'
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:y="http://www.yworks.com/xml/graphml" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/'
        'xmlns http://www.yworks.com/xml/schema/graphml/1.1/ygraphml.xsd">\n'
        '  <key id="ng" for="node" yfiles.type="nodegraphics"/>\n'
        '  <key id="eg" for="edge" yfiles.type="edgegraphics"/>\n')


def _exported(name: str) -> str:
    return SHAPE_FIELD if name == "shape" else name


def iter_graphml(map_data):
    return chunked(_parts(map_data))


def write_graphml(map_data) -> bytes:
    return b"".join(iter_graphml(map_data))


def _parts(map_data):
    node_keys = [f for f in NODE_FIELDS if f not in _SKIP_NODE]
    edge_keys = [f for f in EDGE_FIELDS if f not in _SKIP_EDGE]
    yield HEAD
    for name in node_keys:
        out = _exported(name)
        yield (f'  <key id="n_{out}" for="node" attr.name="{out}" '
               f'attr.type="{NODE_TYPES.get(name, "string")}"/>\n')
    for name in edge_keys:
        yield f'  <key id="e_{name}" for="edge" attr.name="{name}" attr.type="{EDGE_TYPES.get(name, "string")}"/>\n'
    yield '  <graph id="G" edgedefault="undirected">\n'
    where = map_positions(map_data)
    e = Memo(esc)  # kinds, colours and regions repeat a lot
    data_keys = [(name, f'<data key="n_{_exported(name)}">') for name in node_keys if name not in ("x", "y")]
    for n in map_data.nodes:
        d = vars(n)
        x, y = where.get(n.id, (0.0, 0.0))
        half = n.size / 2
        parts = [
            f'    <node id="{e[n.id]}"><data key="ng"><y:ShapeNode>'
            f'<y:Geometry height="{n.size:.1f}" width="{n.size:.1f}" x="{x - half:.2f}" y="{y - half:.2f}"/>'
            f'<y:Fill color="{e[n.colour]}" transparent="false"/>'
            '<y:BorderStyle color="#333333" type="line" width="1.0"/>'
            f'<y:NodeLabel modelName="sides" modelPosition="s" fontSize="11">{e[n.label]}</y:NodeLabel>'
            f'<y:Shape type="{YED_SHAPES.get(n.shape, "ellipse")}"/></y:ShapeNode></data>'
        ]
        for name, open_tag in data_keys:
            value = d[name]
            if value is not None:
                parts.append(f"{open_tag}{xml_value(value, e)}</data>")
        parts.append(f'<data key="n_x">{x!r}</data><data key="n_y">{y!r}</data></node>\n')
        yield "".join(parts)
    edge_data = [(name, f'<data key="e_{name}">') for name in edge_keys]
    for ed in map_data.edges:
        d = vars(ed)
        colour = style.EDGE_COLOURS.get(ed.type, "#555555") + ("59" if ed.stale else "")
        parts = [
            f'    <edge id="{e[ed.id]}" source="{e[ed.source]}" target="{e[ed.target]}"><data key="eg">'
            f'<y:PolyLineEdge><y:LineStyle color="{colour}" type="{"dashed" if ed.stale else "line"}" '
            f'width="{ed.width:.2f}"/><y:Arrows source="none" target="none"/></y:PolyLineEdge></data>'
        ]
        for name, open_tag in edge_data:
            value = d[name]
            if value is not None:
                parts.append(f"{open_tag}{xml_value(value, e)}</data>")
        parts.append("</edge>\n")
        yield "".join(parts)
    yield "  </graph>\n</graphml>\n"
