"""The chapter graph: members, allies, insurer contacts, insurers and issues.

``build_graph(rows, today)`` turns one chapter's rows into an undirected
``networkx.Graph`` (graph attributes ``chapter_id``, ``today`` as ISO date,
``half_life_days``). It is a simple graph rather than a MultiGraph, because
every consumer (paths, brokers, communities, exports) wants one link per pair:
when several relationships join the same two people they are collapsed into
the one that is most usable today (the highest ``usable``; on a tie the lowest
relationship id; a relationship beats a reports-to link of equal usable
strength, as it has an owner), and the edge records in ``links`` how many rows
it stands for.

Nodes (``id`` is ``node_id(type, row_id)``, e.g. ``"ally:5"``)
    every node: ``type`` (member, ally, contact, insurer, issue), ``label``
    ally: ``kind``, ``influence``, ``region``, ``organisation``, ``consent``
    contact: ``role``, ``title``, ``insurer`` (node id of the insurer)
    insurer: ``regions`` (tuple)
    issue: ``insurer``, ``coverage_gap_regions``, ``unique_services`` (tuples)
    Attributes whose value would be ``None`` are left out, so exporters never
    meet ``None``.

Edges, with ``edge_type`` and ``layer``
    ``relationship`` (layer ``people``): a RelationshipRow between two people;
        ``kind``, ``strength`` (1–5), ``usable``, ``cost``, ``age_days``,
        ``relationship_id``, ``owner_member_id``, ``since``/``last_contact``
        (ISO dates), ``a`` (node id of the row's ``a`` side, for direction)
        and ``links``.
    ``reports_to`` (layer ``people``): contact -> the contact it reports to;
        fixed strength ``REPORTS_TO_STRENGTH`` = 4 that does not fade, ``a`` is
        the subordinate.
    ``stance`` (layer ``structure``): ally - issue, with ``stance`` (when
        several rows give the same pair a stance, the last row wins).
    ``employment`` (layer ``structure``): contact - insurer.
    ``oversight`` (layer ``structure``): regulator ally - every insurer whose
        ``regions`` contain the ally's region.

Only ``people`` edges carry access. Structural edges always have an insurer or
an issue at one end, so the people graph is exactly the subgraph induced by
the member, ally and contact nodes (``people_graph``); paths found there can
never use a stance, an employment or an oversight edge as a shortcut.

Fading and cost
    age_days = days from ``last_contact`` to ``today``; without it, days from
    ``since``; without either the link is taken to be exactly one half-life old
    (``age_days = half_life_days``, so it counts half), because an undated link
    is neither fresh nor worthless. Dates after ``today`` count as age 0.

    usable = strength * 0.5 ** (age_days / half_life_days),
             floored at ``MIN_USABLE`` (1e-6) so that the cost stays finite.

    cost = -ln(usable / 6)

    Since usable <= 5, every hop costs at least ln(6/5) ~ 0.1823, and a
    stronger or fresher link is always cheaper. The cost of a path is the sum
    of its hop costs, so its ``strength`` exp(-cost) is the product of
    usable/6 over its hops.

Strengths outside 1-5 are clamped into that range. Relationships with an
endpoint type other than member/ally/contact, and a person's link to itself,
are ignored. Rows that point at ids missing from the rows (a stance of an
unknown ally, a relationship to a missing contact, a contact reporting to a
stranger, a contact of an unknown insurer) are ignored too: only their edge is
dropped, no node is ever created for them.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import networkx as nx

from .rows import PERSON_TYPES, ChapterRows

#: Fixed strength of a reports-to link between two insurer contacts. An
#: organisation chart does not fade the way a personal acquaintance does.
REPORTS_TO_STRENGTH = 4
#: Upper bound used by the cost: -ln(usable / COST_SCALE).
COST_SCALE = 6.0
#: Floor of usable strength (keeps cost finite for ancient contacts).
MIN_USABLE = 1e-6
NODE_TYPES = ("member", "ally", "contact", "insurer", "issue")
_PEOPLE = frozenset(PERSON_TYPES)


def node_id(type_: str, id_: int) -> str:
    """Graph node id of a row: ``node_id("ally", 5) == "ally:5"``."""
    return f"{type_}:{id_}"


def parse_node_id(node: str) -> tuple[str, int]:
    """Inverse of ``node_id``: ``"ally:5"`` -> ``("ally", 5)``."""
    type_, _, id_ = node.partition(":")
    return type_, int(id_)


def is_person(node: str) -> bool:
    """True for member, ally and contact node ids."""
    return node.partition(":")[0] in _PEOPLE


def age_in_days(today: date, last_contact: date | None, since: date | None, half_life_days: float) -> float:
    """Age of a link in days: from last contact, else from since, else one half-life."""
    when = last_contact if last_contact is not None else since
    if when is None:
        return float(half_life_days)
    return float(max(0, (today - when).days))


def usable_strength(strength: float, age_days: float, half_life_days: float = 180.0) -> float:
    """``strength * 0.5 ** (age_days / half_life_days)``, floored at ``MIN_USABLE``."""
    if half_life_days <= 0:
        raise ValueError("half_life_days must be positive")
    return max(MIN_USABLE, strength * 0.5 ** (max(0.0, age_days) / half_life_days))


def link_cost(usable: float) -> float:
    """Cost of one hop: ``-ln(usable / 6)`` (always > 0 for usable <= 5)."""
    return -math.log(max(MIN_USABLE, usable) / COST_SCALE)


def path_strength(cost: float) -> float:
    """Strength of a path of total ``cost``: ``exp(-cost)`` (product of usable/6)."""
    return math.exp(-cost)


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block (reference counting still frees).

    Building a chapter's graph or map makes hundreds of thousands of objects that all stay
    alive; each allocation burst would otherwise start collector passes that walk every
    object the process holds (the rows included), which doubled the build time at 50,000
    allies. Nested blocks keep the collector off until the outermost one ends."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _drop_none(d: dict) -> dict:
    return {k: v for k, v in d.items() if v is not None}


def build_graph(rows: ChapterRows, today: date, half_life_days: float = 180.0) -> nx.Graph:
    """Build the chapter graph from ``rows`` as of ``today`` (see module doc)."""
    with collector_paused():
        return _build_graph(rows, today, half_life_days)


def _build_graph(rows: ChapterRows, today: date, half_life_days: float) -> nx.Graph:
    if half_life_days <= 0:
        raise ValueError("half_life_days must be positive")
    G = nx.Graph(chapter_id=rows.chapter_id, today=today.isoformat(), half_life_days=float(half_life_days))
    nodes = G._node  # noqa: SLF001 - filled through add_nodes_from below

    members = {m.id: node_id("member", m.id) for m in rows.members}
    allies = {a.id: node_id("ally", a.id) for a in rows.allies}
    contacts = {c.id: node_id("contact", c.id) for c in rows.contacts}
    insurers = {i.id: node_id("insurer", i.id) for i in rows.insurers}
    issues = {i.id: node_id("issue", i.id) for i in rows.issues}

    G.add_nodes_from((members[m.id], {"type": "member", "label": m.name}) for m in rows.members)
    G.add_nodes_from(
        (
            allies[a.id],
            _drop_none(
                {
                    "type": "ally",
                    "label": a.name,
                    "kind": a.kind,
                    "influence": a.influence,
                    "region": a.region,
                    "organisation": a.organisation,
                    "consent": a.consent,
                }
            ),
        )
        for a in rows.allies
    )
    G.add_nodes_from(
        (
            contacts[c.id],
            _drop_none(
                {
                    "type": "contact",
                    "label": c.name,
                    "role": c.role,
                    "title": c.title,
                    "insurer": insurers.get(c.insurer_id),
                }
            ),
        )
        for c in rows.contacts
    )
    G.add_nodes_from(
        (insurers[i.id], {"type": "insurer", "label": i.name, "regions": tuple(i.regions)}) for i in rows.insurers
    )
    G.add_nodes_from(
        (
            issues[i.id],
            _drop_none(
                {
                    "type": "issue",
                    "label": i.title,
                    "insurer": insurers.get(i.insurer_id),
                    "coverage_gap_regions": tuple(i.coverage_gap_regions),
                    "unique_services": tuple(i.unique_services),
                }
            ),
        )
        for i in rows.issues
    )
    assert len(nodes) == len(G)

    # People links, collapsed to the most usable one per pair of people.
    best: dict[tuple[str, str], dict] = {}
    iso: dict[date, str] = {}
    for key, (r, u, _, strength, age, usable, cost, links) in people_links(rows, today, half_life_days).items():
        if r is None:
            best[key] = {
                "edge_type": "reports_to",
                "layer": "people",
                "kind": "reports_to",
                "strength": strength,
                "usable": usable,
                "cost": cost,
                "a": u,
                "links": links,
            }
            continue
        d = {
            "edge_type": "relationship",
            "layer": "people",
            "kind": r.kind,
            "strength": strength,
            "usable": usable,
            "cost": cost,
            "age_days": age,
            "relationship_id": r.id,
            "a": u,
            "links": links,
        }
        if r.owner_member_id is not None:
            d["owner_member_id"] = r.owner_member_id
        if r.since is not None:
            d["since"] = iso.get(r.since) or iso.setdefault(r.since, r.since.isoformat())
        if r.last_contact is not None:
            d["last_contact"] = iso.get(r.last_contact) or iso.setdefault(r.last_contact, r.last_contact.isoformat())
        best[key] = d
    _add_edges(G, best.items())

    # Structural edges: never part of an access path.
    stance_of: dict[tuple[str, str], str] = {}
    for s in rows.stances:  # the last row for an (ally, issue) pair wins
        a = allies.get(s.ally_id)
        i = issues.get(s.issue_id)
        if a is not None and i is not None:
            stance_of[(a, i)] = s.stance
    _add_edges(
        G, (((a, i), {"edge_type": "stance", "layer": "structure", "stance": st}) for (a, i), st in stance_of.items())
    )
    G.add_edges_from(
        (contacts[c.id], insurers[c.insurer_id], {"edge_type": "employment", "layer": "structure"})
        for c in rows.contacts
        if c.insurer_id in insurers
    )
    by_region: dict[str, list[str]] = {}
    for ins in rows.insurers:
        for region in ins.regions:
            by_region.setdefault(region, []).append(insurers[ins.id])
    G.add_edges_from(
        (allies[a.id], ins, {"edge_type": "oversight", "layer": "structure"})
        for a in rows.allies
        if a.kind == "regulator" and a.region is not None
        for ins in by_region.get(a.region, ())
    )
    return G


def people_links(rows: ChapterRows, today: date, half_life_days: float = 180.0) -> dict[tuple[str, str], tuple]:
    """The people links of ``rows``, one per pair of people (module doc: the most usable
    relationship, a reports-to link where it is more usable), as
    ``{(u, v) with u < v: (row, a, b, strength, age_days, usable, cost, links)}``: ``row``
    is the winning ``RelationshipRow`` (None for a reports-to link), ``a`` the node id of its
    ``a`` side (the subordinate of a reports-to link), ``b`` the other end, ``links`` how many
    rows the pair has.

    The chapter graph and the map (which needs no graph) both read people links from here,
    so the two can never disagree on which row stands for a pair.
    """
    if half_life_days <= 0:
        raise ValueError("half_life_days must be positive")
    # {type: {row id: node id}}: two int lookups per row are cheaper than a (type, id) tuple.
    person: dict[str, dict[int, str]] = {
        t: {x.id: f"{t}:{x.id}" for x in found}
        for t, found in (("member", rows.members), ("ally", rows.allies), ("contact", rows.contacts))}
    nobody: dict[int, str] = {}
    best: dict[tuple[str, str], tuple] = {}
    half = float(half_life_days)
    log_scale = math.log(COST_SCALE)
    # memo per date, then strength (a chapter has a few thousand distinct dates at most): the
    # tail (strength, age, usable, cost, links=1) of every link with that date and strength
    fade: dict[date | None, list] = {}
    for r in rows.relationships:
        u = person.get(r.a_type, nobody).get(r.a_id)
        v = person.get(r.b_type, nobody).get(r.b_id)
        if u is None or v is None or u == v:
            continue
        strength = r.strength if 1 <= r.strength <= 5 else min(5, max(1, r.strength))
        when = r.last_contact if r.last_contact is not None else r.since
        by_strength = fade.get(when)
        if by_strength is None:
            by_strength = fade[when] = [None] * 6
        tail = by_strength[strength]
        if tail is None:
            age = half if when is None else float(max(0, (today - when).days))
            usable = max(MIN_USABLE, strength * 0.5 ** (age / half))
            tail = by_strength[strength] = (strength, age, usable, log_scale - math.log(usable), 1)
        key = (u, v) if u < v else (v, u)
        old = best.get(key)
        if old is None:
            best[key] = (r, u, v) + tail
        elif old[5] > tail[2] or (old[5] == tail[2] and old[0].id < r.id):
            best[key] = old[:7] + (old[7] + 1,)
        else:
            best[key] = (r, u, v) + tail[:4] + (old[7] + 1,)

    rt_usable = float(REPORTS_TO_STRENGTH)
    rt_cost = log_scale - math.log(rt_usable)
    for c in rows.contacts:
        if c.reports_to_id is None:
            continue
        u = f"contact:{c.id}"
        v = person["contact"].get(c.reports_to_id)
        if v is None or u == v:
            continue
        key = (u, v) if u < v else (v, u)
        old = best.get(key)
        links = 1 if old is None else old[7] + 1
        if old is not None and old[5] >= rt_usable:  # a relationship wins a tie: it has an owner
            best[key] = old[:7] + (links,)
            continue
        best[key] = (None, u, v, REPORTS_TO_STRENGTH, None, rt_usable, rt_cost, links)
    return best


def _add_edges(G: nx.Graph, edges) -> None:
    """Add ``((u, v), data)`` edges between existing nodes, keeping ``data`` as is.

    This is what ``Graph.add_edges_from`` does for an undirected graph, without
    copying every attribute dict twice: on 50,000 edges it saves most of the
    build time. Both nodes must already be in ``G``; each pair comes once.
    """
    adj = G._adj  # noqa: SLF001
    for (u, v), d in edges:
        adj[u][v] = d
        adj[v][u] = d


def people_graph(G: nx.Graph) -> nx.Graph:
    """Read-only view of ``G`` restricted to people (members, allies, contacts).

    Because every structural edge has an insurer or an issue at one end, this
    view holds exactly the relationship and reports-to edges.
    """
    return G.subgraph([n for n, t in G.nodes(data="type") if t in _PEOPLE])
