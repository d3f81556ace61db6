"""GEXF 1.3 for Gephi, valid against the XSDs in ``shared/schemas/gexf-1.3``, written as a
stream of chunks.

Node and edge attributes are declared in ``<attributes class="node|edge">``
(ids are the field names; the map's shape is ``map_shape``, ``stream.SHAPE_FIELD``,
because an attribute called ``shape`` collides with the visual shape in Gephi's
importers) and given per element in ``<attvalues>``; the node's colour, size,
position (``layout.map_positions``: the saved layout, else the computed one, for
every node) and shape, and the edge's colour, thickness and line shape (dashed when
stale) are written as the visualisation elements
``color``/``size``/``position``/``shape``/``thickness``.

Namespace note: the published 1.3 XSD declares these visualisation elements in
the GEXF namespace itself (its node and edge content models refer to
``ns1:color`` etc.), not in the ``viz`` namespace that Gephi writes, so a file
using ``viz:color`` does not validate. We follow the schema; Gephi's importer
matches these elements by local name. Readers that look only for the viz
namespace (networkx's ``read_gexf``) still get colour and size from the
``colour`` and ``size`` attvalues. Shapes: GEXF knows disc, square, triangle,
diamond and image, so member=diamond, ally=disc, contact=square,
insurer=triangle, issue=square (the ``map_shape`` attvalue keeps the map's shape).
"""
from __future__ import annotations

from . import style
from .layout import map_positions
from .mapdata import EDGE_FIELDS, NODE_FIELDS, Memo
from .stream import SHAPE_FIELD, chunked, esc, xml_value

GEXF_SHAPES = {
    "diamond": "diamond", "ellipse": "disc", "round-rectangle": "square",
    "hexagon": "triangle", "star": "square",
}
NODE_TYPES = {"size": "double", "x": "double", "y": "double", "influence": "integer",
              "community": "integer", "pseudonymised": "boolean"}
EDGE_TYPES = {"width": "double", "usable": "double", "strength": "integer", "stale": "boolean"}
_SKIP_NODE = {"id", "label"}
_SKIP_EDGE = {"id", "source", "target"}


def _rgb(colour: str) -> str:
    r, g, b = style.hex_to_rgb(colour)
    return f'r="{r}" g="{g}" b="{b}"'


def iter_gexf(map_data):
    return chunked(_parts(map_data))


def write_gexf(map_data) -> bytes:
    return b"".join(iter_gexf(map_data))


def _parts(map_data):
    e = Memo(esc)  # kinds, colours and regions repeat a lot
    yield ("<?xml version='1.0' encoding='UTF-8'?>\n"
           '<gexf xmlns="http://gexf.net/1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'version="1.3" xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd">\n')
    today = map_data.meta.get("today")
    yield (f'  <meta{f" lastmodifieddate={chr(34)}{e[today]}{chr(34)}" if today else ""}>\n'
           "    <creator>Coalition</creator>\n    <description>Ally map of one chapter</description>\n  </meta>\n"
           '  <graph defaultedgetype="undirected" mode="static">\n')
    node_keys = [f for f in NODE_FIELDS if f not in _SKIP_NODE]
    edge_keys = [f for f in EDGE_FIELDS if f not in _SKIP_EDGE]
    yield '    <attributes class="node" mode="static">\n'
    for name in node_keys:
        out = SHAPE_FIELD if name == "shape" else name
        yield f'      <attribute id="{out}" title="{out}" type="{NODE_TYPES.get(name, "string")}"/>\n'
    yield '    </attributes>\n    <attributes class="edge" mode="static">\n'
    for name in edge_keys:
        yield f'      <attribute id="{name}" title="{name}" type="{EDGE_TYPES.get(name, "string")}"/>\n'
    yield "    </attributes>\n"
    where = map_positions(map_data)
    colours: dict[str, str] = {}
    values = [(name, f'<attvalue for="{SHAPE_FIELD if name == "shape" else name}" value="')
              for name in node_keys if name not in ("x", "y")]
    yield f'    <nodes count="{len(map_data.nodes)}">\n'
    for n in map_data.nodes:
        d = vars(n)
        x, y = where.get(n.id, (0.0, 0.0))
        parts = [f'      <node id="{e[n.id]}" label="{e[n.label]}"><attvalues>']
        for name, open_tag in values:
            value = d[name]
            if value is not None:
                parts.append(f'{open_tag}{xml_value(value, e)}"/>')
        rgb = colours.get(n.colour) or colours.setdefault(n.colour, _rgb(n.colour))
        parts.append(f'<attvalue for="x" value="{x!r}"/><attvalue for="y" value="{y!r}"/></attvalues>'
                     f'<color {rgb}/><position x="{x!r}" y="{y!r}" z="0.0"/>'
                     f'<size value="{float(n.size)!r}"/><shape value="{GEXF_SHAPES.get(n.shape, "disc")}"/></node>\n')
        yield "".join(parts)
    yield f'    </nodes>\n    <edges count="{len(map_data.edges)}">\n'
    values = [(name, f'<attvalue for="{name}" value="') for name in edge_keys]
    for ed in map_data.edges:
        d = vars(ed)
        weight = float(ed.usable if ed.usable is not None else 1.0)
        parts = [f'      <edge id="{e[ed.id]}" source="{e[ed.source]}" target="{e[ed.target]}" '
                 f'label="{e[ed.kind]}" weight="{weight!r}"><attvalues>']
        for name, open_tag in values:
            value = d[name]
            if value is not None:
                parts.append(f'{open_tag}{xml_value(value, e)}"/>')
        key = (ed.type, ed.stale)
        colour = colours.get(key)
        if colour is None:
            colour = colours[key] = (_rgb(style.EDGE_COLOURS.get(ed.type, "#555555"))
                                     + f' a="{style.STALE_OPACITY if ed.stale else style.EDGE_OPACITY}"')
        parts.append(f'</attvalues><color {colour}/><thickness value="{float(ed.width)!r}"/>'
                     f'<shape value="{"dashed" if ed.stale else "solid"}"/></edge>\n')
        yield "".join(parts)
    yield "    </edges>\n  </graph>\n</gexf>\n"
