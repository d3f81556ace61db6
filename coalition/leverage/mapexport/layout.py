"""Server-side positions for the drawn formats (SVG, PNG) and yEd's geometry.

``positions_for(map_data)`` returns ``{node id: (x, y)}`` in a ``size`` x ``size``
box: the map's own ``x``/``y`` when every node has them, otherwise a
Fruchterman-Reingold layout computed by igraph from a fixed start (nodes on a
circle in map order) with Python's ``random`` seeded by ``LAYOUT_SEED``, so the
same map always gets the same picture. igraph is in requirements.lock; without
it the nodes stay on the starting circle.
"""
from __future__ import annotations

import math
import random

LAYOUT_SEED = 7
#: Above this many nodes the layout runs fewer iterations (it stays readable, and fast).
LARGE = 2000


def positions_for(map_data, size: float = 1000.0, margin: float = 40.0) -> dict[str, tuple[float, float]]:
    nodes = map_data.nodes
    if not nodes:
        return {}
    if all(n.x is not None and n.y is not None for n in nodes):
        raw = [(n.x, n.y) for n in nodes]
    else:
        raw = _force_layout(map_data)
    xs = [p[0] for p in raw]
    ys = [p[1] for p in raw]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    scale = (size - 2 * margin) / span
    # Centre the drawing in the box along its shorter side.
    x0 = min(xs) - ((span - (max(xs) - min(xs))) / 2)
    y0 = min(ys) - ((span - (max(ys) - min(ys))) / 2)
    return {
        n.id: (round(margin + (x - x0) * scale, 2), round(margin + (y - y0) * scale, 2))
        for n, (x, y) in zip(nodes, raw, strict=False)
    }


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
        niter = 500 if len(index) <= LARGE else 150
        layout = g.layout_fruchterman_reingold(seed=start, niter=niter)
    finally:
        random.setstate(state)
    return [(float(x), float(y)) for x, y in layout.coords]
