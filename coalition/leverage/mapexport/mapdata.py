"""The exportable ally map: one chapter's graph, filtered, styled and made safe to share.

``build_map(rows, today, *, filters=MapFilters(), ...) -> MapData`` is the single
source of every export format and of the browser map page's JSON
(``MapData.to_dict()``). It is pure: no Flask, no database. It reuses
``coalition.leverage.network.build_graph`` for nodes, edges and fading.

Nodes (``MapNode``; fields that do not apply are ``None`` and are left out of
``to_dict()``)
    ``id`` is the graph's node id (``"ally:5"``); ``type``, ``label``, ``kind``
    (ally kind), ``stance`` (the ally's stance on the filtered issue; only with
    an issue filter), ``region``, ``influence``, ``role`` and ``title``
    (contacts), ``organisation`` (allies with consent), ``community`` (only when
    asked for), ``colour``, ``size``, ``shape`` (see ``style``), ``x``/``y``
    (only when ``positions`` holds the node), ``email``/``phone`` (only with
    ``include_contact_details``), ``pseudonymised``.

Privacy
    An ally without consent is pseudonymised: its label becomes the kind's
    name and its ally id ("Patient 12", stable across exports), and its
    ``region`` and ``organisation`` are dropped; its contact details are never
    exported, not even with ``include_contact_details``. E-mail and phone of
    anyone appear only with ``include_contact_details=True`` and only from
    ``contact_details`` (``loader.load_contact_details``); otherwise the fields
    are absent from every node. Search matches the exported label, so a search
    for a real name never finds a pseudonymised ally.

Edges (``MapEdge``)
    ids: ``rel:<relationship id>``, ``reports:<subordinate contact id>``,
    ``stance:<ally id>-<issue id>``, ``employ:<contact id>``,
    ``oversight:<ally id>-<insurer id>``; source -> target is a -> b of a
    relationship, subordinate -> boss, ally -> issue, contact -> insurer and
    regulator -> insurer. ``kind`` is the relationship kind (the stance for a
    stance edge, ``reports_to``/``employment``/``oversight`` otherwise);
    ``strength`` and ``usable`` (faded strength, from ``build_graph``) for
    people links; ``width`` from usable; ``owner`` is the owning member's node
    id; ``last_contact`` as ISO date.
    ``stale``: a relationship whose last contact (else its ``since`` date) is
    more than ``STALE_AFTER_DAYS`` (180) days before ``today``, or that has no
    date at all. Reports-to and structural edges are never stale.

Filters (``MapFilters``), applied in this order
    1. Allies: kept when their kind is in ``kinds``, their region in
       ``regions`` and - with ``issue_id`` - they have a stance row on that
       issue whose value is in ``stances``; without ``issue_id``, ``stances``
       keeps allies with at least one stance row in ``stances`` on any issue.
       Empty tuples do not restrict.
    2. Insurer side: with ``issue_id`` only that issue, its insurer and that
       insurer's contacts are kept; without it every issue, insurer and
       contact is kept.
    3. Edges: ``min_strength`` drops relationship edges whose (unfaded)
       strength is lower; reports-to and structural edges are not affected.
    4. Members: when any of ``kinds``, ``stances``, ``issue_id``, ``regions``
       is set, a member is kept only if a remaining people edge joins it to a
       kept ally or contact; otherwise every member is kept.
    5. Search: when ``search`` is set, keep the nodes whose exported label
       contains it (case-insensitive), plus their direct neighbours among the
       nodes kept so far (through edges that survived step 3).
    Edges are kept only between kept nodes. An unknown ``issue_id`` raises
    ``ValueError``.

Strings: every string is stripped of characters XML 1.0 forbids (C0 controls
except tab/newline/CR, surrogates, U+FFFE/U+FFFF) and of C1 controls
(``clean_text``); the XML writers clean again.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, fields
from datetime import date

from coalition.leverage.network.graph import build_graph, parse_node_id

from . import style

#: A relationship not contacted for more than this many days is drawn as stale.
STALE_AFTER_DAYS = 180
TYPE_ORDER = {"member": 0, "ally": 1, "contact": 2, "insurer": 3, "issue": 4}
EDGE_ORDER = {"relationship": 0, "reports_to": 1, "stance": 2, "employment": 3, "oversight": 4}
_EDGE_PREFIX = {
    "relationship": "rel",
    "reports_to": "reports",
    "stance": "stance",
    "employment": "employ",
    "oversight": "oversight",
}

_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: str) -> str:
    """``value`` without characters XML 1.0 forbids or discourages (see module doc)."""
    return _ILLEGAL_XML.sub("", value)


@dataclass(frozen=True)
class MapFilters:
    kinds: tuple[str, ...] = ()
    stances: tuple[str, ...] = ()
    issue_id: int | None = None
    regions: tuple[str, ...] = ()
    min_strength: int = 0
    search: str = ""

    @property
    def restricts_allies(self) -> bool:
        return bool(self.kinds or self.stances or self.regions or self.issue_id is not None)


@dataclass
class MapNode:
    id: str
    type: str
    label: str
    colour: str
    size: float
    shape: str
    pseudonymised: bool = False
    kind: str | None = None
    stance: str | None = None
    region: str | None = None
    influence: int | None = None
    role: str | None = None
    title: str | None = None
    organisation: str | None = None
    community: int | None = None
    x: float | None = None
    y: float | None = None
    email: str | None = None
    phone: str | None = None

    def to_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass
class MapEdge:
    id: str
    source: str
    target: str
    type: str
    kind: str
    width: float
    stale: bool = False
    strength: int | None = None
    usable: float | None = None
    owner: str | None = None
    last_contact: str | None = None

    def to_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v is not None}


#: Field names in a stable order, for the tabular and XML writers.
NODE_FIELDS = tuple(f.name for f in fields(MapNode))
EDGE_FIELDS = tuple(f.name for f in fields(MapEdge))


@dataclass
class MapData:
    nodes: list[MapNode]
    edges: list[MapEdge]
    meta: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """Plain JSON-able dict: ``{"nodes", "edges", "meta", "legend"}``."""
        return {
            "nodes": [n.to_dict() for n in self.nodes],
            "edges": [e.to_dict() for e in self.edges],
            "meta": self.meta,
            "legend": legend(),
        }


def legend() -> dict:
    """Colours per ally kind, shapes and colours per node type, edge styles."""
    return style.legend()


def _sort_key(node: str) -> tuple[int, int]:
    type_, id_ = parse_node_id(node)
    return TYPE_ORDER.get(type_, 9), id_


def build_map(
    rows,
    today: date,
    *,
    filters: MapFilters = MapFilters(),
    include_contact_details: bool = False,
    contact_details: dict[str, dict[str, str]] | None = None,
    positions: dict[str, tuple[float, float]] | None = None,
    half_life_days: float = 180,
    with_communities: bool = False,
) -> MapData:
    """The map of ``rows`` as of ``today`` (see module doc for every rule)."""
    G = build_graph(rows, today, half_life_days)
    adj = G._adj  # noqa: SLF001 - read-only
    nattr = G.nodes
    issue_node = None
    if filters.issue_id is not None:
        issue_node = f"issue:{filters.issue_id}"
        if issue_node not in G:
            raise ValueError(f"issue {filters.issue_id} is not in this chapter")

    # 1 + 2: allies and the insurer side.
    kinds = set(filters.kinds)
    regions = set(filters.regions)
    stances = set(filters.stances)
    kept: set[str] = set()
    insurer_node = nattr[issue_node].get("insurer") if issue_node else None
    for n, d in G.nodes(data=True):
        t = d["type"]
        if t == "ally":
            if kinds and d.get("kind") not in kinds:
                continue
            if regions and d.get("region") not in regions:
                continue
            if issue_node is not None:
                e = adj[n].get(issue_node)
                if e is None or (stances and e.get("stance") not in stances):
                    continue
            elif stances and not any(
                e.get("edge_type") == "stance" and e.get("stance") in stances for e in adj[n].values()
            ):
                continue
            kept.add(n)
        elif t == "issue":
            if issue_node is None or n == issue_node:
                kept.add(n)
        elif t == "insurer":
            if issue_node is None or n == insurer_node:
                kept.add(n)
        elif t == "contact":
            if issue_node is None or d.get("insurer") == insurer_node:
                kept.add(n)

    # 3: which edges survive on their own merits.
    def edge_ok(d: dict) -> bool:
        return not (d["edge_type"] == "relationship" and d["strength"] < filters.min_strength)

    # 4: members.
    for n, d in G.nodes(data=True):
        if d["type"] != "member":
            continue
        if not filters.restricts_allies or any(
            v in kept and d2["layer"] == "people" and edge_ok(d2) for v, d2 in adj[n].items()
        ):
            kept.add(n)

    # Nodes as exported (labels pseudonymised before search sees them).
    community_of: dict[str, int] = {}
    if with_communities:
        from coalition.leverage.network.clusters import communities
        from coalition.leverage.network.paths import people_adjacency

        for c in communities(G, people_adjacency(G))[0]:
            for n in c.nodes:
                community_of[n] = c.index
    details = contact_details or {}
    positions = positions or {}
    made: dict[str, MapNode] = {}
    pseudonymised = 0
    looks: dict = {}  # style per (type, kind, influence): a few dozen, not one per node
    for n in kept:
        d = nattr[n]
        node = _make_node(n, d, issue_node, adj, community_of, positions, looks)
        if node.pseudonymised:
            pseudonymised += 1
        elif include_contact_details and n in details:
            node.email = clean_text(details[n].get("email") or "") or None
            node.phone = clean_text(details[n].get("phone") or "") or None
        made[n] = node

    # 5: search.
    needle = clean_text(filters.search).strip().casefold()
    if needle:
        hits = {n for n, node in made.items() if needle in node.label.casefold()}
        keep = set(hits)
        for n in hits:
            keep.update(v for v, d in adj[n].items() if v in made and edge_ok(d))
        made = {n: node for n, node in made.items() if n in keep}

    # Every node's sort key once: parsing ids per edge comparison was most of the time at 50,000 allies.
    order = {n: _sort_key(n) for n in made}
    nodes = [made[n] for n in sorted(made, key=order.__getitem__)]
    edges: list[MapEdge] = []
    edge_memo: dict = {}
    min_strength = filters.min_strength
    for u in made:
        ku = order[u]
        for v, d in adj[u].items():
            kv = order.get(v)
            if kv is None or ku > kv:
                continue  # not kept, or each undirected edge once
            if min_strength and d["edge_type"] == "relationship" and d["strength"] < min_strength:
                continue
            edges.append(_make_edge(u, v, d, today, order, edge_memo))
    edges.sort(key=lambda e: (EDGE_ORDER[e.type], order[e.source], order[e.target]))

    meta = {
        "chapter_id": rows.chapter_id,
        "today": today.isoformat(),
        "half_life_days": float(half_life_days),
        "stale_after_days": STALE_AFTER_DAYS,
        "filters": {
            "kinds": list(filters.kinds),
            "stances": list(filters.stances),
            "issue_id": filters.issue_id,
            "regions": [clean_text(r) for r in filters.regions],
            "min_strength": filters.min_strength,
            "search": clean_text(filters.search),
        },
        "issue": clean_text(nattr[issue_node]["label"]) if issue_node else None,
        "include_contact_details": bool(include_contact_details),
        "node_count": len(nodes),
        "edge_count": len(edges),
        "pseudonymised": pseudonymised,
        "positions": any(n.x is not None for n in nodes),
    }
    return MapData(nodes, edges, meta)


def _make_node(n: str, d: dict, issue_node, adj, community_of, positions, looks: dict) -> MapNode:
    t = d["type"]
    key = (t, d.get("kind"), d.get("influence"))
    look = looks.get(key)
    if look is None:
        look = looks[key] = (
            style.node_colour(t, key[1]), style.node_size(t, key[2]), style.TYPE_SHAPES.get(t, "ellipse")
        )
    node = MapNode(
        id=n,
        type=t,
        label=clean_text(str(d.get("label", n))),
        colour=look[0],
        size=look[1],
        shape=look[2],
        community=community_of.get(n),
    )
    if t == "ally":
        kind = d.get("kind", "other")
        node.kind = clean_text(kind)
        node.influence = d.get("influence")
        if issue_node is not None:
            e = adj[n].get(issue_node)
            node.stance = e.get("stance") if e is not None else None
        if d.get("consent"):
            node.region = _opt(d.get("region"))
            node.organisation = _opt(d.get("organisation"))
        else:
            node.pseudonymised = True
            _, ally_id = parse_node_id(n)
            node.label = f"{style.KIND_LABELS.get(kind, 'Ally')} {ally_id}"
    elif t == "contact":
        node.role = _opt(d.get("role"))
        node.title = _opt(d.get("title"))
    if n in positions:
        x, y = positions[n]
        node.x, node.y = round(float(x), 2), round(float(y), 2)
    return node


def _opt(value) -> str | None:
    if value is None:
        return None
    return clean_text(str(value)) or None


def _make_edge(u: str, v: str, d: dict, today: date, order: dict, memo: dict) -> MapEdge:
    """One edge; ``order`` gives each node's ``(type rank, row id)``, ``memo`` keeps what
    depends only on the edge's type, kind and usable strength (few distinct values)."""
    et = d["edge_type"]
    if et in ("relationship", "reports_to"):
        source = d["a"]
        target = v if source == u else u
    elif et == "stance":
        source, target = (u, v) if u.startswith("ally:") else (v, u)
    elif et == "employment":
        source, target = (u, v) if u.startswith("contact:") else (v, u)
    else:  # oversight
        source, target = (u, v) if u.startswith("ally:") else (v, u)
    if et == "relationship":
        eid = f"rel:{d['relationship_id']}"
    elif et in ("reports_to", "employment"):
        eid = f"{_EDGE_PREFIX[et]}:{order[source][1]}"
    else:
        eid = f"{_EDGE_PREFIX[et]}:{order[source][1]}-{order[target][1]}"
    if et == "relationship":
        kind = d.get("kind") or "relationship"
    elif et == "stance":
        kind = d.get("stance") or "unknown"
    else:
        kind = et
    usable = d.get("usable")
    styled = memo.get((et, kind, usable))
    if styled is None:
        styled = memo[(et, kind, usable)] = (
            clean_text(str(kind)),
            style.edge_width(et, usable),
            round(usable, 4) if usable is not None else None,
        )
    stale = False
    if et == "relationship":
        undated = "last_contact" not in d and "since" not in d
        stale = undated or d.get("age_days", 0) > STALE_AFTER_DAYS
    owner = d.get("owner_member_id")
    return MapEdge(
        eid,
        source,
        target,
        et,
        styled[0],
        styled[1],
        stale,
        d.get("strength") if et in ("relationship", "reports_to") else None,
        styled[2],
        f"member:{owner}" if owner is not None else None,
        d.get("last_contact"),
    )
