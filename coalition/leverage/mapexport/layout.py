"""Node positions, the same in every format.

``map_positions(map_data)`` returns ``{node id: (x, y)}`` in the map's own coordinates:
a node's saved ``x``/``y`` when it has them; the others get a Fruchterman-Reingold
layout computed by igraph from a fixed start (nodes on a circle in map order; above
``LARGE`` nodes igraph's grid variant from its own random start) with Python's ``random``
seeded by ``LAYOUT_SEED``, so the same map always gets the same
picture, scaled into the saved nodes' box (or a ``export_box(n)`` square when none is
saved). The result is kept on the ``MapData`` object, so it is computed once per map,
however many formats are written from it. The file formats write these positions; the
drawn formats (SVG, PNG) fit them into their canvas with ``positions_for``.
igraph is in requirements.lock; without it the nodes stay on the starting circle.
"""
from __future__ import annotations

import math
import random

LAYOUT_SEED = 7
#: Above this many nodes the layout runs fewer iterations (it stays readable, and fast).
LARGE = 2000
_CACHE = "_map_positions"


def export_box(count: int) -> float:
    """Side of the square the computed layout fills (grows with the map, as yEd needs room)."""
    return max(1000.0, 40.0 * count ** 0.5)


def map_positions(map_data) -> dict[str, tuple[float, float]]:
    cached = map_data.__dict__.get(_CACHE)
    if cached is not None:
        return cached
    nodes = map_data.nodes
    saved = {n.id: (float(n.x), float(n.y)) for n in nodes if n.x is not None and n.y is not None}
    if len(saved) == len(nodes):
        out = saved
    else:
        raw = _force_layout(map_data)
        if saved:
            xs = [p[0] for p in saved.values()]
            ys = [p[1] for p in saved.values()]
            origin = (min(xs), min(ys))
            side = max(max(xs) - min(xs), max(ys) - min(ys), 1000.0)
        else:
            origin, side = (0.0, 0.0), export_box(len(nodes))
        fitted = _fit(raw, side, 0.0, origin)
        out = {n.id: saved.get(n.id) or fitted[i] for i, n in enumerate(nodes)}
    map_data.__dict__[_CACHE] = out
    return out


def positions_for(map_data, size: float = 1000.0, margin: float = 40.0) -> dict[str, tuple[float, float]]:
    """``map_positions`` fitted into a ``size`` x ``size`` box (the drawn formats' canvas)."""
    nodes = map_data.nodes
    if not nodes:
        return {}
    where = map_positions(map_data)
    fitted = _fit([where[n.id] for n in nodes], size, margin)
    return {n.id: fitted[i] for i, n in enumerate(nodes)}


def _fit(raw, size, margin, origin=(0.0, 0.0)) -> list[tuple[float, float]]:
    xs = [p[0] for p in raw]
    ys = [p[1] for p in raw]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    scale = (size - 2 * margin) / span
    # Centre the drawing in the box along its shorter side.
    x0 = min(xs) - ((span - (max(xs) - min(xs))) / 2)
    y0 = min(ys) - ((span - (max(ys) - min(ys))) / 2)
    ox, oy = origin
    return [(round(ox + margin + (x - x0) * scale, 2), round(oy + margin + (y - y0) * scale, 2)) for x, y in raw]


def _circle(count: int) -> list[tuple[float, float]]:
    return [
        (math.cos(2 * math.pi * i / count) * 100.0, math.sin(2 * math.pi * i / count) * 100.0)
        for i in range(count)
    ]


def _force_layout(map_data) -> list[tuple[float, float]]:
    start = _circle(len(map_data.nodes))
    try:
        import igraph
    except ImportError:  # pragma: no cover - igraph is in requirements.lock
        return start
    index = {n.id: i for i, n in enumerate(map_data.nodes)}
    g = igraph.Graph(n=len(index), edges=[(index[e.source], index[e.target]) for e in map_data.edges])
    state = random.getstate()
    random.seed(LAYOUT_SEED)
    try:
        if len(index) <= LARGE:
            layout = g.layout_fruchterman_reingold(seed=start, niter=500)
        else:
            # The grid variant from igraph's own (seeded) random start: 1.7 s for 50,000 allies
            # against 13 s or more from the circle, whose crowded start defeats the grid.
            layout = g.layout_fruchterman_reingold(niter=150, grid="grid")
    finally:
        random.setstate(state)
    return [(float(x), float(y)) for x, y in layout.coords]
