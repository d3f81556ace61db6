"""The compiled graph kernels: communities and betweenness in C (igraph).

This is the only module that names the compiled library, so that a later change of
library touches one file. It takes and returns plain Python (node ids, lists, dicts); the
one object that crosses the boundary is ``PeopleGraph``, built once per chapter graph and
shared by the communities and the brokers.

``people_graph(G)``
    The people links of a chapter graph (relationship and reports-to edges, see graph.py)
    as a ``PeopleGraph``: every member, ally and contact is a vertex, in sorted id order so
    that results never depend on the order the rows came in; each edge carries ``cost``
    (for routes) and ``usable`` (for communities).

``communities(pg, seed)``
    Leiden (igraph's ``community_leiden``: modularity with resolution 1, edge weight
    ``usable``, ``LEIDEN_ITERATIONS`` passes) with igraph's random numbers drawn from
    ``random.Random(seed)``: the same graph and seed always give the same partition.
    Leiden optimises the same modularity as networkx's Louvain and refines each community
    so that none falls apart; its partitions are at least as good
    (tests/leverage/network/test_kernels.py checks within 1 %). People without any link
    are left out (clusters.py counts them as isolated).

    Why not the ``leidenalg`` package: on the 10,000-ally chapter it took 1.3 s of CPU for
    two passes where igraph's own Leiden takes 0.07 s (modularity 0.664 and 0.667,
    networkx's Louvain 0.634 in 2.3 s), and one of its options crashed the process.

``dependency(pg, source, targets)``
    One Brandes pass from ``source``: ``{v: sum over targets t of sigma_st(v) / sigma_st}``
    for every intermediate person v (neither ``source`` nor the pair's own target), over
    lowest-``cost`` routes, and the number of targets the source can reach. Path costs that
    agree to igraph's relative epsilon (1e-10) count as equal, as floating sums of the same
    hops must.

``betweenness(pg, weight=None, sources=None, targets=None)``
    Shortest-path betweenness (not normalised; undirected, so each pair counts once), over
    all pairs or only ``sources`` x ``targets``: what networkx's ``betweenness_centrality``
    and ``betweenness_centrality_subset`` compute with ``normalized=False``.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field

import igraph

from .graph import is_person

#: Leiden passes over the graph; more passes raise modularity little (0.669 -> 0.688 on
#: 50,000 allies with 4) for twice the time, and two already beat networkx's Louvain.
LEIDEN_ITERATIONS = 2
#: igraph draws from one process-wide generator: a seeded run must not interleave with
#: another thread's.
_RNG = threading.Lock()


@dataclass(eq=False)
class PeopleGraph:
    """People links of one chapter graph, as a compiled graph (see module doc)."""

    names: list[str]  # vertex index -> node id, sorted
    index: dict[str, int]  # node id -> vertex index
    graph: igraph.Graph = field(repr=False)
    _component: list[int] | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.names)

    def component(self) -> list[int]:
        """Connected component of every vertex (computed once)."""
        if self._component is None:
            self._component = self.graph.connected_components().membership
        return self._component


def people_graph(G) -> PeopleGraph:
    """The people links of the chapter graph ``G`` (see graph.py) as a ``PeopleGraph``."""
    adj = G._adj  # noqa: SLF001 - read-only, much faster than G.adj views
    names = sorted(u for u in adj if is_person(u))
    index = {n: i for i, n in enumerate(names)}
    pairs, costs, usables = [], [], []
    # One plain loop over the adjacency: a generator of tuples handed to from_edges cost twice
    # as much at 50,000 allies (200,000 links).
    add_pair, add_cost, add_usable = pairs.append, costs.append, usables.append
    for i, u in enumerate(names):
        for v, d in adj[u].items():
            if u < v and d["layer"] == "people":
                add_pair((i, index[v]))
                add_cost(d["cost"])
                add_usable(d["usable"])
    return _compiled(names, index, pairs, costs, usables)


def from_edges(names: list[str], edges) -> PeopleGraph:
    """A ``PeopleGraph`` over ``names`` (in that order) from ``(u, v, cost, usable)`` tuples."""
    index = {n: i for i, n in enumerate(names)}
    pairs, costs, usables = [], [], []
    for u, v, cost, usable in edges:
        pairs.append((index[u], index[v]))
        costs.append(cost)
        usables.append(usable)
    return _compiled(names, index, pairs, costs, usables)


def _compiled(names, index, pairs, costs, usables) -> PeopleGraph:
    g = igraph.Graph(n=len(names), edges=pairs, directed=False,
                     edge_attrs={"cost": costs, "usable": usables})
    return PeopleGraph(names, index, g)


def communities(pg: PeopleGraph, seed: int = 0, weight: str | None = "usable") -> list[list[str]]:
    """Leiden communities of the linked people, each a list of node ids (see module doc)."""
    g = pg.graph
    if g.ecount() == 0:
        return []
    with _RNG:
        igraph.set_random_number_generator(random.Random(seed))
        try:
            partition = g.community_leiden(
                objective_function="modularity", weights=weight, n_iterations=LEIDEN_ITERATIONS
            )
        finally:
            igraph.set_random_number_generator(random)
    degree = g.degree()
    names = pg.names
    return [[names[i] for i in c] for c in partition if len(c) > 1 or degree[c[0]] > 0]


def communities_with_strength(pg: PeopleGraph, seed: int = 0) -> tuple[list[list[str]], dict[str, float]]:
    """``communities(pg, seed)`` and each person's summed ``usable`` over links inside
    their own community (clusters.py ranks a community's people by it)."""
    found = communities(pg, seed)
    g = pg.graph
    community = [-1] * len(pg)
    for c, nodes in enumerate(found):
        for n in nodes:
            community[pg.index[n]] = c
    inside = [i for i, (a, b) in enumerate(g.get_edgelist()) if community[a] == community[b] != -1]
    strength = g.subgraph_edges(inside, delete_vertices=False).strength(weights="usable")
    return found, dict(zip(pg.names, strength, strict=True))


def dependency(pg: PeopleGraph, source: str, targets) -> tuple[dict[str, float], int]:
    """``({v: sum over targets t of sigma_st(v)/sigma_st}, reached targets)`` (module doc)."""
    index = pg.index
    s = index[source]
    wanted = sorted({index[t] for t in targets if t in index})
    comp = pg.component()
    reached = sum(1 for t in wanted if t != s and comp[t] == comp[s])
    if not reached:
        return {}, 0
    # igraph halves undirected subset betweenness (each pair counted from both ends).
    values = pg.graph.betweenness(directed=False, weights="cost", sources=[s], targets=wanted)
    names = pg.names
    return {names[i]: 2.0 * x for i, x in enumerate(values) if x > 0.0 and i != s}, reached


def betweenness(pg: PeopleGraph, weight: str | None = None, sources=None, targets=None) -> dict[str, float]:
    """Unnormalised betweenness of every person, all pairs or ``sources`` x ``targets``."""
    index = pg.index
    kw = {}
    if sources is not None or targets is not None:
        kw["sources"] = sorted(index[n] for n in (sources if sources is not None else pg.names))
        kw["targets"] = sorted(index[n] for n in (targets if targets is not None else pg.names))
    values = pg.graph.betweenness(directed=False, weights=weight, **kw)
    return dict(zip(pg.names, values, strict=True))
