"""SVG of the map, drawn on the server (see ``draw`` for placement and labels), written as a
stream of chunks.

A title band on top (chapter, issue, date: ``draw.title``), then links (width from usable
strength, dashed and faded when stale), nodes in their type's shape and colour, labels
below the nodes, and a legend on the right with the ally kinds' names as the app shows
them. Its natural size is the drawing's, shrunk to fit a narrower window (a phone opening the
file scrolls down, never sideways). Every label is escaped (``stream.esc``); the result is a
standalone SVG 1.1 document.
"""
from __future__ import annotations

from . import draw, style
from .mapdata import Memo
from .stream import chunked, esc

SIZE = 1000.0


def _shape(shape, x, y, r, colour, dashed=False, tooltip=None) -> str:
    pts = draw.polygon(shape, x, y, r)
    attrs = f'fill="{colour}" stroke="#333333" stroke-width="0.6"'
    if dashed:
        attrs += ' stroke-dasharray="2,1"'
    inner = f"<title>{tooltip}</title>" if tooltip is not None else ""
    if pts is None:
        head = f'<circle {attrs} cx="{x:.2f}" cy="{y:.2f}" r="{r:.2f}"'
        return f"{head}>{inner}</circle>" if inner else f"{head}/>"
    points = " ".join(f"{px:.2f},{py:.2f}" for px, py in pts)
    head = f'<polygon {attrs} points="{points}"'
    return f"{head}>{inner}</polygon>" if inner else f"{head}/>"


def iter_svg(map_data):
    return chunked(_parts(map_data))


def write_svg(map_data) -> bytes:
    return b"".join(iter_svg(map_data))


def _parts(map_data):
    e = Memo(esc)  # kinds, colours and regions repeat a lot
    placed, where = draw.scene(map_data, SIZE)
    width = SIZE + draw.LEGEND_WIDTH
    height = SIZE + draw.TITLE_HEIGHT
    heading = e[draw.title(map_data.meta)]
    yield ("<?xml version='1.0' encoding='UTF-8'?>\n"
           f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{width:.0f}" height="{height:.0f}" '
           f'viewBox="0 0 {width:.0f} {height:.0f}" style="max-width:100%;height:auto">\n<title>{heading}</title>\n'
           '<rect width="100%" height="100%" fill="#FFFFFF"/>\n'
           f'<text id="heading" x="20" y="32" font-family="sans-serif" font-size="20" font-weight="bold" '
           f'fill="#000000">{heading}</text>\n'
           f'<g id="drawing" transform="translate(0,{draw.TITLE_HEIGHT})">\n'
           '<g id="links" stroke-linecap="round">\n')
    for ed in map_data.edges:
        (x1, y1), (x2, y2) = where[ed.source], where[ed.target]
        dash = ' stroke-dasharray="4,3"' if ed.stale else ""
        yield (f'<line x1="{x1:.2f}" y1="{y1:.2f}" x2="{x2:.2f}" y2="{y2:.2f}" '
               f'stroke="{style.EDGE_COLOURS.get(ed.type, "#555555")}" stroke-width="{ed.width * 0.5:.2f}" '
               f'stroke-opacity="{style.STALE_OPACITY if ed.stale else style.EDGE_OPACITY}"{dash}/>\n')
    yield '</g>\n<g id="nodes">\n'
    for p in placed:
        yield _shape(p.node.shape, p.x, p.y, p.r, p.node.colour, dashed=p.node.pseudonymised,
                     tooltip=e[p.node.label]) + "\n"
    yield '</g>\n<g id="labels" font-family="sans-serif" font-size="9" text-anchor="middle" fill="#222222">\n'
    for p in placed:
        if p.labelled:
            yield f'<text x="{p.x:.2f}" y="{p.y + p.r + 9:.2f}">{e[p.node.label]}</text>\n'
    x0 = SIZE + 20
    yield ('</g>\n</g>\n'
           f'<g id="legend" font-family="sans-serif" font-size="12" transform="translate(0,{draw.TITLE_HEIGHT})">\n'
           f'<text x="{x0:.0f}" y="30" font-weight="bold">Legend</text>\n')
    rows = draw.legend_rows(map_data.meta)
    for i, (shape, colour, text) in enumerate(rows):
        y = 55 + i * 22
        yield _shape(shape, x0 + 8, y - 4, 7, colour) + f'\n<text x="{x0 + 24:.0f}" y="{y:.0f}">{e[text]}</text>\n'
    y = 55 + len(rows) * 22
    days = map_data.meta.get("stale_after_days", 180)
    yield (f'<line x1="{x0:.0f}" y1="{y - 4}" x2="{x0 + 18:.0f}" y2="{y - 4}" stroke="#555555" '
           'stroke-dasharray="4,3" stroke-width="1.5"/>\n'
           f'<text x="{x0 + 24:.0f}" y="{y}">no contact for over {e[str(days)]} days</text>\n</g>\n</svg>\n')
