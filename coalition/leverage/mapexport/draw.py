"""The drawn picture shared by the SVG and PNG writers.

``scene(map_data, size)`` places every node (``layout.positions_for``), scales
node sizes down for large maps (``radius = size / 2 * min(1, 12 / sqrt(n))``,
at least 1.5 px) and decides which nodes get a label: all of them up to
``LABEL_ALL_UP_TO`` nodes, above that only members, insurers and issues (ten
thousand labels are unreadable anyway). ``polygon(shape, x, y, r)`` gives the
outline of each map shape; ``legend_rows()`` the legend entries (ally kinds by the
names the app shows); ``title(meta)`` the picture's title: chapter, issue, date.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from . import style
from .layout import positions_for

LABEL_ALL_UP_TO = 300
LEGEND_WIDTH = 340
#: Band above the drawing for the title.
TITLE_HEIGHT = 50


@dataclass
class Placed:
    node: object
    x: float
    y: float
    r: float
    labelled: bool


def scene(map_data, size: float = 1000.0) -> tuple[list[Placed], dict[str, tuple[float, float]]]:
    # A wide margin: labels are centred under their nodes and must not run off the picture.
    where = positions_for(map_data, size=size, margin=80.0)
    count = max(1, len(map_data.nodes))
    factor = min(1.0, 12.0 / math.sqrt(count))
    placed = []
    for n in map_data.nodes:
        x, y = where[n.id]
        labelled = count <= LABEL_ALL_UP_TO or n.type in ("member", "insurer", "issue")
        placed.append(Placed(n, x, y, max(1.5, n.size / 2 * factor), labelled))
    return placed, where


def polygon(shape: str, x: float, y: float, r: float) -> list[tuple[float, float]] | None:
    """Outline points of ``shape`` centred on x, y; ``None`` for an ellipse (a circle)."""
    if shape == "diamond":
        return [(x, y - r), (x + r, y), (x, y + r), (x - r, y)]
    if shape == "hexagon":
        return [(x + r * math.cos(math.pi / 3 * i), y + r * math.sin(math.pi / 3 * i)) for i in range(6)]
    if shape == "star":
        pts = []
        for i in range(10):
            rr = r if i % 2 == 0 else r * 0.45
            a = -math.pi / 2 + math.pi / 5 * i
            pts.append((x + rr * math.cos(a), y + rr * math.sin(a)))
        return pts
    if shape == "round-rectangle":
        return [(x - r, y - r * 0.7), (x + r, y - r * 0.7), (x + r, y + r * 0.7), (x - r, y + r * 0.7)]
    return None


def legend_rows(meta: dict | None = None) -> list[tuple[str, str, str]]:
    """``(shape, colour, text)`` per legend line: node types, then ally kinds; or the map's
    own (``meta["legend_rows"]``: the association's map has chapters, not allies)."""
    if meta and meta.get("legend_rows"):
        return [tuple(row) for row in meta["legend_rows"]]
    rows = [(style.TYPE_SHAPES[t], style.TYPE_COLOURS.get(t, "#FFFFFF"), style.TYPE_LABELS[t])
            for t in ("member", "contact", "insurer", "issue")]
    rows += [("ellipse", c, f"Ally: {style.KIND_DISPLAY_LABELS[k]}") for k, c in style.KIND_COLOURS.items()]
    return rows


def faded(colour: str, opacity: float) -> tuple[int, int, int]:
    """``colour`` blended onto white (PNG has no dashes: stale links are paler)."""
    r, g, b = style.hex_to_rgb(colour)
    return tuple(round(255 - (255 - c) * opacity) for c in (r, g, b))


def title(meta: dict) -> str:
    """"Springfield chapter: ally map - issue 12-visit cap - 27 November 2026" (parts it knows)."""
    head = meta.get("title") or (f"{meta['chapter']}: ally map" if meta.get("chapter") else "Ally map")
    parts = [head]
    if meta.get("issue"):
        parts.append(f"issue {meta['issue']}")
    if meta.get("today"):
        try:
            day = date.fromisoformat(meta["today"])
            parts.append(f"{day.day} {day:%B %Y}")
        except ValueError:
            parts.append(str(meta["today"]))
    return " - ".join(parts)
