"""Shortest (strongest) paths over the people graph.

All searches run on ``people_adjacency(G)``: ``{person: {neighbour: cost}}``
holding only relationship and reports-to edges, so structural edges (stance,
employment, oversight) can never be used as a shortcut.

Every path starts at a chapter member and never passes *through* another
member: a path through member B is always beaten by its own tail that starts at
B (every hop costs more than 0), so such a path is noise, not an alternative.

``members_dijkstra`` is one multi-source Dijkstra pass from all members; it gives
the strongest way into every person of the chapter (warm introductions, who is
cut off) and serves as the exact A* heuristic that makes ``k_strongest_paths``
(Yen's algorithm, searched backwards from the target towards the members) cheap:
each spur search mostly walks straight down the known shortest-path tree.

Ties are broken by node ids, so the same rows always give the same paths.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass

import networkx as nx

from .graph import is_person

_INF = math.inf


def people_adjacency(G: nx.Graph) -> dict[str, dict[str, float]]:
    """``{person: {neighbour: cost}}`` for the people edges of ``G`` (see graph.py)."""
    adj = G._adj  # noqa: SLF001 - read-only, much faster than G.adj views
    out: dict[str, dict[str, float]] = {}
    for u, nbrs in adj.items():
        if not is_person(u):
            continue
        out[u] = {v: d["cost"] for v, d in nbrs.items() if d["layer"] == "people"}
    return out


@dataclass
class MemberPaths:
    """Result of one multi-source Dijkstra from all members.

    ``dist[n]`` is the lowest cost from any member to ``n`` (members: 0);
    ``pred[n]`` the previous node on that path (members: None). Nodes that no
    member can reach are absent from both.
    """

    dist: dict[str, float]
    pred: dict[str, str | None]

    def path_to(self, node: str) -> list[str] | None:
        """Strongest path ``[member, ..., node]`` or None when unreachable."""
        if node not in self.dist:
            return None
        path = [node]
        p = self.pred[node]
        while p is not None:
            path.append(p)
            p = self.pred[p]
        path.reverse()
        return path


def members_dijkstra(padj: dict[str, dict[str, float]], members) -> MemberPaths:
    """One multi-source Dijkstra pass from every member over ``padj``."""
    dist: dict[str, float] = {}
    pred: dict[str, str | None] = {}
    best: dict[str, float] = {}
    heap: list[tuple[float, str]] = []
    for m in sorted(members):
        if m in padj:
            best[m] = 0.0
            pred[m] = None
            heap.append((0.0, m))
    heapq.heapify(heap)
    pop, push = heapq.heappop, heapq.heappush
    while heap:
        d, u = pop(heap)
        if u in dist:
            continue
        dist[u] = d
        for v, c in padj[u].items():
            if v in dist:
                continue
            nd = d + c
            if nd < best.get(v, _INF):
                best[v] = nd
                pred[v] = u
                push(heap, (nd, v))
    return MemberPaths(dist, pred)


def path_cost(padj: dict[str, dict[str, float]], path: list[str]) -> float:
    """Sum of hop costs along ``path``, added in path order."""
    total = 0.0
    for u, v in zip(path, path[1:], strict=False):
        total += padj[u][v]
    return total


def _spur_search(padj, members, h, spur: str, blocked_nodes: set, blocked_edges: set):
    """A* from ``spur`` to the nearest member, avoiding the blocked nodes/edges.

    ``h`` (cost from the nearest member, from ``members_dijkstra``) is an exact
    lower bound of the remaining cost, and consistent, so the first member
    popped closes the cheapest path. Members end the search: they are never
    passed through. Returns ``(cost, [spur, ..., member])`` or None.
    """
    g_best = {spur: 0.0}
    parent: dict[str, str] = {}
    heap = [(h[spur], spur)]
    closed: set[str] = set()
    pop, push = heapq.heappop, heapq.heappush
    while heap:
        _, u = pop(heap)
        if u in closed:
            continue
        if u in members:
            path = [u]
            while path[-1] != spur:
                path.append(parent[path[-1]])
            path.reverse()
            return g_best[u], path
        closed.add(u)
        g = g_best[u]
        for v, c in padj[u].items():
            if v in closed or v in blocked_nodes or (u, v) in blocked_edges:
                continue
            hv = h.get(v)
            if hv is None:  # no member can reach v
                continue
            ng = g + c
            if ng < g_best.get(v, _INF):
                g_best[v] = ng
                parent[v] = u
                push(heap, (ng + hv, v))
    return None


def k_strongest_paths(
    padj: dict[str, dict[str, float]],
    members: set[str] | frozenset[str],
    member_paths: MemberPaths,
    target: str,
    k: int = 3,
) -> list[tuple[float, list[str]]]:
    """The ``k`` lowest-cost simple paths from any member to ``target``.

    Returns ``[(cost, [member, ..., target]), ...]`` in increasing cost (ties
    by the node ids of the path). Yen's algorithm, run backwards from the
    target, with the member distances as A* heuristic.
    """
    if k <= 0 or target not in member_paths.dist:
        return []
    if target in members:
        return [(0.0, [target])]
    h = member_paths.dist
    first = member_paths.path_to(target)
    first.reverse()  # [target, ..., member]
    found = [first]
    seen = {tuple(first)}
    candidates: list[tuple[float, tuple[str, ...]]] = []
    while len(found) < k:
        prev = found[-1]
        for i in range(len(prev) - 1):
            spur = prev[i]
            root = prev[: i + 1]
            blocked_edges = {(p[i], p[i + 1]) for p in found if len(p) > i + 1 and p[: i + 1] == root}
            blocked_nodes = set(root[:-1])
            res = _spur_search(padj, members, h, spur, blocked_nodes, blocked_edges)
            if res is None:
                continue
            path = tuple(root[:-1] + res[1])
            if path in seen:
                continue
            seen.add(path)
            forward = path[::-1]
            heapq.heappush(candidates, (path_cost(padj, forward), forward, path))
        if not candidates:
            break
        _, _, best = heapq.heappop(candidates)
        found.append(list(best))
    out = []
    for p in found:
        p = list(reversed(p))
        out.append((path_cost(padj, p), p))
    out.sort(key=lambda cp: (cp[0], cp[1]))
    return out
