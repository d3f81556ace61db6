"""The compiled kernels (kernels.py) against networkx on random graphs.

Betweenness must be the same figure networkx computes (to 1e-9); a community partition
need not be the same one, but must be as good: its modularity (computed by networkx)
within 1 % of networkx Louvain's on the same graph.
"""

import random
from datetime import date

import networkx as nx
import pytest

from coalition.leverage.network import build_network, kernels, people_graph
from coalition.leverage.network.brokers import target_dependency
from coalition.leverage.network.synthetic import synthetic_rows

TODAY = date(2025, 1, 1)


def chapter(n_allies, seed):
    """A synthetic chapter: its networkx people graph and the kernels' one."""
    net = build_network(synthetic_rows(n_allies, seed), TODAY)
    return net, nx.Graph(people_graph(net.graph)), net.kernel


def random_graph(seed, weighted):
    """A sparse random graph with string ids; integer weights 1-5 when ``weighted``."""
    rng = random.Random(seed)
    G = nx.gnm_random_graph(300, 900, seed=seed)
    G = nx.relabel_nodes(G, {n: f"ally:{n}" for n in G})
    for _, _, d in G.edges(data=True):
        d["cost"] = d["usable"] = rng.randint(1, 5) if weighted else 1
    names = sorted(G)
    return G, kernels.from_edges(names, ((u, v, d["cost"], d["usable"]) for u, v, d in G.edges(data=True)))


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("weighted", [True, False])
def test_betweenness_equals_networkx_on_random_graphs(seed, weighted):
    G, pg = random_graph(seed, weighted)
    weight = "cost" if weighted else None
    ref = nx.betweenness_centrality(G, weight=weight, normalized=False)
    assert kernels.betweenness(pg, weight) == pytest.approx(ref, rel=1e-9, abs=1e-9)
    sources, targets = sorted(G)[:40], sorted(G)[-7:]
    ref = nx.betweenness_centrality_subset(G, sources, targets, weight=weight, normalized=False)
    got = kernels.betweenness(pg, weight, sources=sources, targets=targets)
    assert got == pytest.approx(ref, rel=1e-9, abs=1e-9)


@pytest.mark.parametrize("seed", [4, 5, 6])
def test_broker_dependency_equals_networkx_on_chapters(seed):
    # As the brokers use it: lowest-cost routes (faded costs, many equal hops) from each
    # target to the members; the sum over targets is networkx's subset betweenness x 2.
    net, P, pg = chapter(300, seed)
    targets = [n for n, d in net.graph.nodes(data=True) if d.get("role") in ("decision_maker", "medical_director")]
    ref = nx.betweenness_centrality_subset(P, sources=sorted(net.members), targets=targets, weight="cost")
    total = {}
    reached = 0
    for t in targets:
        dep, r = kernels.dependency(pg, t, net.members)
        assert (dep, r) == (pytest.approx(target_dependency(net.people, t, net.members)[0], rel=1e-9),
                            target_dependency(net.people, t, net.members)[1])
        reached += r
        for v, x in dep.items():
            total[v] = total.get(v, 0.0) + x
    assert reached > 0
    assert total == pytest.approx({v: 2 * x for v, x in ref.items() if x > 0}, rel=1e-9, abs=1e-9)


def _modularity_gap(P, pg, seed, weight):
    louvain = nx.community.louvain_communities(P, weight=weight, seed=seed)
    found = kernels.communities(pg, seed=seed, weight=weight and "usable")
    linked = {n for n in P if P.degree(n)}
    assert sorted(n for c in found for n in c) == sorted(linked)  # a partition of the linked people
    singles = [{n} for n in P if n not in linked]
    ours = nx.community.modularity(P, [set(c) for c in found] + singles, weight=weight)
    theirs = nx.community.modularity(P, louvain, weight=weight)
    return ours, theirs


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_communities_as_good_as_networkx_louvain_on_chapters(seed):
    net, P, pg = chapter(600, seed)
    ours, theirs = _modularity_gap(P, pg, seed, "usable")
    assert ours >= theirs * 0.99, (ours, theirs)


@pytest.mark.parametrize("seed", [7, 8])
@pytest.mark.parametrize("weighted", [True, False])
def test_communities_as_good_as_networkx_louvain_on_random_graphs(seed, weighted):
    G, pg = random_graph(seed, weighted)
    ours, theirs = _modularity_gap(G, pg, seed, "usable" if weighted else None)
    assert ours >= theirs * 0.99, (ours, theirs)


def test_communities_are_seeded():
    _, _, pg = chapter(600, 9)
    assert kernels.communities(pg, seed=3) == kernels.communities(pg, seed=3)
