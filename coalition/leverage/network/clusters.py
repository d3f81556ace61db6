"""Communities, reach and cut-off allies over the people graph.

Communities (chapter-wide, computed once per graph)
    Leiden communities (``kernels.communities``: modularity, as networkx's
    Louvain, computed in C) over the people graph with weight ``usable`` and a
    fixed seed. People without any people link are not a community of their
    own: they are counted in ``isolated``.
    Communities are ordered by size (largest first, ties by smallest node id)
    and numbered from 0 in that order; ``top`` names up to five people with
    the highest summed usable strength inside the community.

Reach (per issue)
    The number of distinct people (members, allies, contacts) at one or two
    people-link hops from any committed ally, not counting the committed allies
    themselves (they are already on board, even when one knows another).

Cut off (per issue)
    Committed allies with no people-link path to any member: nobody in the
    chapter can reach them, however indirectly.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from . import kernels


@dataclass
class Community:
    index: int
    size: int
    members: int
    allies: int
    contacts: int
    top: list[str]  # labels
    nodes: list[str]


@dataclass
class Reach:
    total: int
    members: int
    allies: int
    contacts: int
    committed: int  # committed allies the reach is counted from


def communities(G: nx.Graph, seed: int = 0, people: kernels.PeopleGraph | None = None
                ) -> tuple[list[Community], int]:
    """Communities of the people graph; returns ``(communities, isolated)``.

    ``people`` is ``kernels.people_graph(G)`` when the caller already has it.
    """
    if people is None:
        people = kernels.people_graph(G)
    # Every person is a vertex of the compiled graph; a person with no link has degree 0.
    isolated = sum(1 for d in people.graph.degree() if not d)
    found, weight = kernels.communities_with_strength(people, seed=seed)
    found = sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))
    out = []
    for i, nodes in enumerate(found):
        counts = {"member": 0, "ally": 0, "contact": 0}
        for n in nodes:
            counts[n.partition(":")[0]] += 1
        top = sorted(nodes, key=lambda n: (-weight[n], n))[:5]
        out.append(
            Community(
                index=i,
                size=len(nodes),
                members=counts["member"],
                allies=counts["ally"],
                contacts=counts["contact"],
                top=[G.nodes[n].get("label", n) for n in top],
                nodes=nodes,
            )
        )
    return out, isolated


def two_hop_reach(padj: dict[str, dict[str, float]], sources) -> Reach:
    """People within two hops of ``sources``, excluding the sources (module doc)."""
    sources = set(s for s in sources if s in padj)
    first: set[str] = set()
    for s in sources:
        first.update(padj[s])
    seen = set(first)
    for n in first:
        seen.update(padj[n])
    seen -= sources
    counts = {"member": 0, "ally": 0, "contact": 0}
    for n in seen:
        counts[n.partition(":")[0]] += 1
    return Reach(
        total=len(seen),
        members=counts["member"],
        allies=counts["ally"],
        contacts=counts["contact"],
        committed=len(sources),
    )
