"""PNG of the map, drawn with Pillow (no browser, no system libraries).

Same scene as the SVG (``draw``: title band, drawing, legend with the ally kinds' names as
the app shows them), at ``SCALE`` x the SVG size. The encoded image is written to the
download in chunks (``iter_png``); the raster itself has a fixed size. Pillow draws no
dashed lines, so stale links are drawn thinner and paler instead. Labels use
Pillow's built-in font; characters it cannot draw are dropped by Pillow.
"""
from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

from . import draw, style
from .stream import CHUNK

SIZE = 1000.0
SCALE = 1.5


def _font(size: int):
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # pragma: no cover - Pillow < 10.1
        return ImageFont.load_default()


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _shape(d, shape, x, y, r, colour):
    pts = draw.polygon(shape, x, y, r)
    if pts is None:
        d.ellipse((x - r, y - r, x + r, y + r), fill=colour, outline="#333333")
    else:
        d.polygon(pts, fill=colour, outline="#333333")


def iter_png(map_data):
    # The encoded PNG is bounded by the fixed canvas, not by the map's size, so it is
    # encoded at once and handed on in chunks.
    out = io.BytesIO()
    # A light compression level: a map picture is mostly white, so files stay small and
    # encoding is several times faster than the default.
    _draw(map_data).save(out, format="PNG", optimize=False, compress_level=1)
    data = out.getbuffer()
    for start in range(0, len(data), CHUNK):
        yield bytes(data[start:start + CHUNK])


def write_png(map_data) -> bytes:
    return b"".join(iter_png(map_data))


def _draw(map_data):
    placed, where = draw.scene(map_data, SIZE)
    s = SCALE
    img = Image.new("RGB", (round((SIZE + draw.LEGEND_WIDTH) * s), round((SIZE + draw.TITLE_HEIGHT) * s)), "white")
    d = ImageDraw.Draw(img)
    d.text((20 * s, 16 * s), _one_line(draw.title(map_data.meta)), fill="#000000", font=_font(round(20 * s)))
    top = draw.TITLE_HEIGHT  # the drawing and the legend sit below the title band
    inks: dict = {}  # one faded colour per link type and staleness, not one per link
    for stale_pass in (True, False):  # fresh links on top of stale ones
        for e in map_data.edges:
            if e.stale != stale_pass:
                continue
            (x1, y1), (x2, y2) = where[e.source], where[e.target]
            ink = inks.get((e.type, e.stale))
            if ink is None:
                opacity = style.STALE_OPACITY if e.stale else style.EDGE_OPACITY
                ink = inks[(e.type, e.stale)] = draw.faded(style.EDGE_COLOURS.get(e.type, "#555555"), opacity)
            d.line((x1 * s, (y1 + top) * s, x2 * s, (y2 + top) * s), fill=ink,
                   width=max(1, round(e.width * 0.5 * s * (0.6 if e.stale else 1))))
    font = _font(round(9 * s))
    for p in placed:
        _shape(d, p.node.shape, p.x * s, (p.y + top) * s, p.r * s, p.node.colour)
    for p in placed:
        if p.labelled:
            d.text((p.x * s, (p.y + top + p.r + 2) * s), _one_line(p.node.label), fill="#222222", font=font,
                   anchor="ma")
    big = _font(round(12 * s))
    x0 = (SIZE + 20) * s
    d.text((x0, (18 + top) * s), "Legend", fill="#000000", font=big)
    rows = draw.legend_rows(map_data.meta)
    for i, (shape, colour, text) in enumerate(rows):
        y = (55 + top + i * 22) * s
        _shape(d, shape, x0 + 8 * s, y - 4 * s, 7 * s, colour)
        d.text((x0 + 24 * s, y - 10 * s), text, fill="#222222", font=big)
    y = (55 + top + len(rows) * 22) * s
    d.line((x0, y - 4 * s, x0 + 18 * s, y - 4 * s), fill=draw.faded("#555555", style.STALE_OPACITY), width=2)
    d.text((x0 + 24 * s, y - 10 * s), "stale link (paler)", fill="#222222", font=big)
    return img
