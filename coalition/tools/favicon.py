"""Draws the app's icon: three allies joined into a triangle on the header's dark blue,
the one at the top in the focus yellow. One drawing, written two ways from the same
shapes: ``coalition/static/favicon.svg`` (for browsers that take SVG icons) and
``coalition/static/favicon.ico`` (16, 32 and 48 pixels, answered at ``/favicon.ico``).

Run ``python -m coalition.tools.favicon`` after changing the drawing;
``tests/platform/test_favicon.py`` checks that the files are what it draws.
"""
from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw

STATIC = Path(__file__).resolve().parents[1] / "static"
SIZE = 32  # the drawing's own units
BACKGROUND = "#17324f"  # the site header
CORNER = 6
LINK = "#cfe0f5"
LINK_WIDTH = 2.5
NODES = ((16, 9, "#ffbf47"), (8.5, 22.5, "#ffffff"), (23.5, 22.5, "#ffffff"))
RADIUS = 4.5
ICO_SIZES = (16, 32, 48)


def svg() -> str:
    points = [(x, y) for x, y, _ in NODES]
    links = "".join(
        f'<line x1="{a[0]}" y1="{a[1]}" x2="{b[0]}" y2="{b[1]}"/>'
        for a, b in zip(points, points[1:] + points[:1], strict=True))
    nodes = "".join(f'<circle cx="{x}" cy="{y}" r="{RADIUS}" fill="{fill}"/>' for x, y, fill in NODES)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}">'
            f'<rect width="{SIZE}" height="{SIZE}" rx="{CORNER}" fill="{BACKGROUND}"/>'
            f'<g stroke="{LINK}" stroke-width="{LINK_WIDTH}" stroke-linecap="round">{links}</g>'
            f"{nodes}</svg>\n")


def image(pixels: int) -> Image.Image:
    """The drawing at ``pixels`` square, drawn eight times larger and scaled down (smooth
    edges without an SVG renderer)."""
    big = pixels * 8
    k = big / SIZE
    canvas = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(canvas)
    draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=CORNER * k, fill=BACKGROUND)
    points = [(x * k, y * k) for x, y, _ in NODES]
    for a, b in zip(points, points[1:] + points[:1], strict=True):
        draw.line((a, b), fill=LINK, width=round(LINK_WIDTH * k))
    for x, y, fill in NODES:
        r = RADIUS * k
        draw.ellipse((x * k - r, y * k - r, x * k + r, y * k + r), fill=fill)
    return canvas.resize((pixels, pixels), Image.Resampling.LANCZOS)


def ico() -> bytes:
    out = io.BytesIO()
    largest = max(ICO_SIZES)
    image(largest).save(out, format="ICO", sizes=[(s, s) for s in ICO_SIZES],
                        append_images=[image(s) for s in ICO_SIZES if s != largest])
    return out.getvalue()


def main() -> None:
    (STATIC / "favicon.svg").write_text(svg())
    (STATIC / "favicon.ico").write_bytes(ico())
    print(f"wrote {STATIC / 'favicon.svg'} and {STATIC / 'favicon.ico'}")


if __name__ == "__main__":
    main()
