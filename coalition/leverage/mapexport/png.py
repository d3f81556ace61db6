"""PNG of the map, drawn with Pillow (no browser, no system libraries).

Same scene as the SVG (``draw``: title band, drawing, legend with the ally kinds' names as
the app shows them), at ``SCALE`` x the SVG size. The encoded image is written to the
download in chunks (``iter_png``); the raster itself has a fixed size. Pillow draws no
dashed lines, so stale links are drawn thinner and paler instead. Labels use
Pillow's built-in font; characters it cannot draw are dropped by Pillow.

The picture is drawn on a palette image (one byte per pixel, the few dozen colours of the
map's style): a 3-megapixel RGB picture took three times as long to encode, a fixed cost
that made the PNG of a small map several times slower than its GraphML.
"""
from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

from . import draw, style
from .stream import CHUNK

SIZE = 1000.0
#: Pixels per unit of the SVG's scene: 1,675 x 1,312 px, sharp on a projector, and a third fewer
#: pixels to draw and encode than at 1.5.
SCALE = 1.25


def _font(size: int):
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # pragma: no cover - Pillow < 10.1
        return ImageFont.load_default()


def _one_line(text: str) -> str:
    return " ".join(text.split())


class _Palette(dict):
    """RGB -> index in the picture's palette, in the order colours are first used; white
    first (the background)."""

    def __init__(self):
        super().__init__({(255, 255, 255): 0})

    def __missing__(self, rgb) -> int:
        index = self[rgb] = len(self)
        return index

    def of(self, colour) -> int:
        """The index of ``colour``, ``"#rrggbb"`` or an RGB tuple."""
        return self[style.hex_to_rgb(colour) if isinstance(colour, str) else tuple(colour)]

    def flat(self) -> list[int]:
        return [c for rgb in sorted(self, key=self.get) for c in rgb]


def _shape(d, ink: _Palette, shape, x, y, r, colour):
    pts = draw.polygon(shape, x, y, r)
    if pts is None:
        d.ellipse((x - r, y - r, x + r, y + r), fill=ink.of(colour), outline=ink.of("#333333"))
    else:
        d.polygon(pts, fill=ink.of(colour), outline=ink.of("#333333"))


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
    img = Image.new("P", (round((SIZE + draw.LEGEND_WIDTH) * s), round((SIZE + draw.TITLE_HEIGHT) * s)), 0)
    ink = _Palette()
    d = ImageDraw.Draw(img)
    d.text((20 * s, 16 * s), _one_line(draw.title(map_data.meta)), fill=ink.of("#000000"), font=_font(round(20 * s)))
    top = draw.TITLE_HEIGHT  # the drawing and the legend sit below the title band
    inks: dict = {}  # one faded colour per link type and staleness, not one per link
    for stale_pass in (True, False):  # fresh links on top of stale ones
        for e in map_data.edges:
            if e.stale != stale_pass:
                continue
            (x1, y1), (x2, y2) = where[e.source], where[e.target]
            line_ink = inks.get((e.type, e.stale))
            if line_ink is None:
                opacity = style.STALE_OPACITY if e.stale else style.EDGE_OPACITY
                colour = draw.faded(style.EDGE_COLOURS.get(e.type, "#555555"), opacity)
                line_ink = inks[(e.type, e.stale)] = ink.of(colour)
            d.line((x1 * s, (y1 + top) * s, x2 * s, (y2 + top) * s), fill=line_ink,
                   width=max(1, round(e.width * 0.5 * s * (0.6 if e.stale else 1))))
    font = _font(round(9 * s))
    for p in placed:
        _shape(d, ink, p.node.shape, p.x * s, (p.y + top) * s, p.r * s, p.node.colour)
    for p in placed:
        if p.labelled:
            d.text((p.x * s, (p.y + top + p.r + 2) * s), _one_line(p.node.label), fill=ink.of("#222222"), font=font,
                   anchor="ma")
    big = _font(round(12 * s))
    x0 = (SIZE + 20) * s
    d.text((x0, (18 + top) * s), "Legend", fill=ink.of("#000000"), font=big)
    rows = draw.legend_rows(map_data.meta)
    for i, (shape, colour, text) in enumerate(rows):
        y = (55 + top + i * 22) * s
        _shape(d, ink, shape, x0 + 8 * s, y - 4 * s, 7 * s, colour)
        d.text((x0 + 24 * s, y - 10 * s), text, fill=ink.of("#222222"), font=big)
    y = (55 + top + len(rows) * 22) * s
    d.line((x0, y - 4 * s, x0 + 18 * s, y - 4 * s), fill=ink.of(draw.faded("#555555", style.STALE_OPACITY)),
           width=2)
    d.text((x0 + 24 * s, y - 10 * s), "stale link (paler)", fill=ink.of("#222222"), font=big)
    img.putpalette(ink.flat())
    return img
