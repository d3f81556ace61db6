"""SVG of the map, drawn on the server (see ``draw`` for placement and labels).

Links first (width from usable strength, dashed and faded when stale), then
nodes in their type's shape and colour, labels below the nodes, and a legend
on the right. Built with lxml, so every label is escaped; the result is a
standalone SVG 1.1 document.
"""
from __future__ import annotations

from lxml import etree

from . import draw, style
from .mapdata import clean_text

SVG = "http://www.w3.org/2000/svg"
SIZE = 1000.0


def _q(tag):
    return f"{{{SVG}}}{tag}"


def _shape(parent, shape, x, y, r, colour, dashed=False):
    pts = draw.polygon(shape, x, y, r)
    attrs = {"fill": colour, "stroke": "#333333", "stroke-width": "0.6"}
    if dashed:
        attrs["stroke-dasharray"] = "2,1"
    if pts is None:
        attrs.update(cx=f"{x:.2f}", cy=f"{y:.2f}", r=f"{r:.2f}")
        return etree.SubElement(parent, _q("circle"), attrs)
    attrs["points"] = " ".join(f"{px:.2f},{py:.2f}" for px, py in pts)
    return etree.SubElement(parent, _q("polygon"), attrs)


def write_svg(map_data) -> bytes:
    placed, where = draw.scene(map_data, SIZE)
    width = SIZE + draw.LEGEND_WIDTH
    root = etree.Element(_q("svg"), nsmap={None: SVG}, version="1.1", width=f"{width:.0f}",
                         height=f"{SIZE:.0f}", viewBox=f"0 0 {width:.0f} {SIZE:.0f}")
    etree.SubElement(root, _q("title")).text = clean_text(
        "Ally map" + (f": {map_data.meta['issue']}" if map_data.meta.get("issue") else ""))
    etree.SubElement(root, _q("rect"), width="100%", height="100%", fill="#FFFFFF")
    links = etree.SubElement(root, _q("g"), {"id": "links", "stroke-linecap": "round"})
    for e in map_data.edges:
        (x1, y1), (x2, y2) = where[e.source], where[e.target]
        attrs = {"x1": f"{x1:.2f}", "y1": f"{y1:.2f}", "x2": f"{x2:.2f}", "y2": f"{y2:.2f}",
                 "stroke": style.EDGE_COLOURS.get(e.type, "#555555"),
                 "stroke-width": f"{e.width * 0.5:.2f}",
                 "stroke-opacity": str(style.STALE_OPACITY if e.stale else style.EDGE_OPACITY)}
        if e.stale:
            attrs["stroke-dasharray"] = "4,3"
        etree.SubElement(links, _q("line"), attrs)
    nodes = etree.SubElement(root, _q("g"), id="nodes")
    labels = etree.SubElement(root, _q("g"), {"id": "labels", "font-family": "sans-serif",
                                              "font-size": "9", "text-anchor": "middle",
                                              "fill": "#222222"})
    for p in placed:
        el = _shape(nodes, p.node.shape, p.x, p.y, p.r, p.node.colour, dashed=p.node.pseudonymised)
        etree.SubElement(el, _q("title")).text = clean_text(p.node.label)
        if p.labelled:
            t = etree.SubElement(labels, _q("text"), x=f"{p.x:.2f}", y=f"{p.y + p.r + 9:.2f}")
            t.text = clean_text(p.node.label)
    legend = etree.SubElement(root, _q("g"), {"id": "legend", "font-family": "sans-serif", "font-size": "12"})
    x0 = SIZE + 20
    etree.SubElement(legend, _q("text"), x=f"{x0:.0f}", y="30", **{"font-weight": "bold"}).text = "Legend"
    for i, (shape, colour, text) in enumerate(draw.legend_rows()):
        y = 55 + i * 22
        _shape(legend, shape, x0 + 8, y - 4, 7, colour)
        etree.SubElement(legend, _q("text"), x=f"{x0 + 24:.0f}", y=f"{y:.0f}").text = text
    y = 55 + len(draw.legend_rows()) * 22
    etree.SubElement(legend, _q("line"), x1=f"{x0:.0f}", y1=f"{y - 4}", x2=f"{x0 + 18:.0f}", y2=f"{y - 4}",
                     stroke="#555555", **{"stroke-dasharray": "4,3", "stroke-width": "1.5"})
    etree.SubElement(legend, _q("text"), x=f"{x0 + 24:.0f}", y=f"{y}").text = \
        f"no contact for over {map_data.meta.get('stale_after_days', 180)} days"
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
