"""Brokers: the people the chapter's best routes to an insurer depend on.

For one insurer the *targets* are its decision makers and medical directors
plus the regulator allies overseeing it (see ``leverage.insurer_targets``).
The broker score of a person v is the shortest-path betweenness restricted to
(member, target) pairs::

    score(v) = sum over members m and targets t, m connected to t,
               of sigma_mt(v) / sigma_mt

where sigma_mt is the number of lowest-cost paths (cost as in graph.py) from m
to t over people links and sigma_mt(v) the number of those passing through v.
So a score of 3.5 means "v lies on the best routes of 3.5 member-target
pairs", and ``share = score / connected_pairs`` is the fraction of all those
routes that would be lost or lengthened if v dropped out. This is
``networkx.betweenness_centrality_subset(P, sources=members, targets=targets,
weight="cost")`` times 2 (networkx halves undirected subset betweenness).

Because the graph is undirected the sum is the same when it is run from the
side of the targets, which are few, instead of the members, which are many: one
Brandes pass (Dijkstra + dependency accumulation) per target. The chapter runs it
in C (``kernels.dependency``); ``target_dependency`` below is the same pass in
plain Python, kept as the readable reference the tests compare with. A target that
serves several insurers (a regulator) is computed once. When an insurer has
more than ``sample`` targets, ``sample`` of them are drawn with
``random.Random(seed)`` from the sorted target ids and the scores are scaled by
targets / sample; the report says so.

Members and the targets themselves are not listed as brokers: members are the
chapter's own reach, targets are where the routes lead. Brokers are the allies
and insurer contacts in between. Ties (equal score) go by node id.
"""

from __future__ import annotations

import heapq
import random
from dataclasses import dataclass, field

#: Two path costs closer than this (relative) count as equal (float sums).
_TIE = 1e-12


def target_dependency(padj: dict[str, dict[str, float]], target: str, members) -> tuple[dict[str, float], int]:
    """Brandes pass from ``target``: ``({v: sum over members m of sigma_tm(v)/sigma_tm}, reached members)``.

    Only intermediate nodes get a value (not ``target``; a member gets credit
    only for routes to *other* members that pass through it).
    """
    dist: dict[str, float] = {}
    seen = {target: 0.0}
    sigma: dict[str, float] = {target: 1.0}
    preds: dict[str, list[str]] = {target: []}
    order: list[str] = []
    heap = [(0.0, target, "")]
    pop, push = heapq.heappop, heapq.heappush
    while heap:
        d, v, via = pop(heap)
        if v in dist:
            continue
        if via:
            sigma[v] += sigma[via]
        order.append(v)
        dist[v] = d
        sv = sigma[v]
        for w, c in padj[v].items():
            if w in dist:
                continue
            vw = d + c
            old = seen.get(w)
            if old is None or vw < old - _TIE * vw:
                seen[w] = vw
                sigma[w] = 0.0
                preds[w] = [v]
                push(heap, (vw, w, v))
            elif abs(vw - old) <= _TIE * vw:
                sigma[w] += sv
                preds[w].append(v)
    delta = dict.fromkeys(order, 0.0)
    reached = 0
    for w in reversed(order):
        if w in members and w != target:
            reached += 1
            coeff = (delta[w] + 1.0) / sigma[w]
        else:
            coeff = delta[w] / sigma[w]
        for v in preds[w]:
            delta[v] += sigma[v] * coeff
    del delta[target]
    return {v: x for v, x in delta.items() if x > 0.0}, reached


@dataclass
class Broker:
    node: str
    label: str
    type: str  # ally or contact
    kind: str | None  # ally kind or contact role
    score: float  # member-target routes through this person (see module doc)
    share: float  # score / connected_pairs


@dataclass
class BrokerReport:
    insurer_id: int
    brokers: list[Broker]
    targets: list[str]  # node ids of the insurer's targets
    connected_pairs: int  # (member, target) pairs with a path, in the sample
    sampled: bool
    sample_size: int  # targets actually searched from
    population: int  # all targets of the insurer
    seed: int
    notes: list[str] = field(default_factory=list)


def broker_report(
    insurer_id: int,
    targets: list[str],
    dependencies: dict[str, tuple[dict[str, float], int]],
    node_attrs,
    members,
    *,
    sample: int,
    seed: int,
    top: int = 10,
) -> BrokerReport:
    """Combine the per-target dependencies of one insurer into its broker list.

    ``dependencies[t]`` comes from ``target_dependency`` (computed on demand by
    the caller for the targets returned by ``sample_targets``).
    """
    chosen, sampled = sample_targets(targets, sample, seed)
    total: dict[str, float] = {}
    pairs = 0
    for t in chosen:
        dep, reached = dependencies[t]
        pairs += reached
        for v, x in dep.items():
            total[v] = total.get(v, 0.0) + x
    scale = len(targets) / len(chosen) if chosen else 1.0
    excluded = set(targets)
    ranked = sorted(
        ((x, v) for v, x in total.items() if v not in excluded and v not in members),
        key=lambda xv: (-xv[0], xv[1]),
    )[:top]
    brokers = []
    for x, v in ranked:
        attrs = node_attrs[v]
        brokers.append(
            Broker(
                node=v,
                label=attrs.get("label", v),
                type=attrs["type"],
                kind=attrs.get("kind", attrs.get("role")),
                score=x * scale,
                share=x / pairs if pairs else 0.0,
            )
        )
    notes = []
    if sampled:
        notes.append(f"searched from {len(chosen)} of {len(targets)} targets (seed {seed}); scores scaled up")
    if not targets:
        notes.append("no decision maker, medical director or overseeing regulator known")
    elif pairs == 0:
        notes.append("no member can reach any target")
    return BrokerReport(
        insurer_id=insurer_id,
        brokers=brokers,
        targets=list(targets),
        connected_pairs=pairs,
        sampled=sampled,
        sample_size=len(chosen),
        population=len(targets),
        seed=seed,
        notes=notes,
    )


def sample_targets(targets: list[str], sample: int, seed: int) -> tuple[list[str], bool]:
    """All targets (sorted), or ``sample`` of them drawn with ``random.Random(seed)``."""
    ordered = sorted(targets)
    if sample <= 0 or len(ordered) <= sample:
        return ordered, False
    return sorted(random.Random(seed).sample(ordered, sample)), True
