"""The exportable ally map: one chapter's graph, filtered, styled and made safe to share.

``build_map(rows, today, *, filters=MapFilters(), ...) -> MapData`` is the single
source of every export format and of the browser map page's JSON
(``MapData.to_dict()``). It is pure: no Flask, no database. It reads the rows
itself, with the people links (collapse and fading) of ``network.graph.people_links``.

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
from operator import itemgetter

from coalition.leverage.network.graph import build_graph, collector_paused, people_links

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
    """The map of ``rows`` as of ``today`` (see module doc for every rule).

    Hundreds of thousands of nodes and edges are made at once and none is garbage: without
    the collector's passes over the rows meanwhile it takes half the time at 50,000 allies.
    """
    with collector_paused():
        return _build_map(rows, today, filters=filters, include_contact_details=include_contact_details,
                          contact_details=contact_details, positions=positions,
                          half_life_days=half_life_days, with_communities=with_communities)


def _build_map(rows, today: date, *, filters: MapFilters, include_contact_details: bool,
               contact_details: dict[str, dict[str, str]] | None,
               positions: dict[str, tuple[float, float]] | None, half_life_days: float,
               with_communities: bool) -> MapData:
    """Built straight from the rows: the chapter graph (networkx) holds nothing the map needs
    that the rows do not, and building it was most of the time at 50,000 allies. The people
    links come from ``graph.people_links``, the same collapse the graph uses."""
    allies = {a.id: a for a in rows.allies}
    insurers = {i.id: i for i in rows.insurers}
    issues = {i.id: i for i in rows.issues}
    issue = None
    if filters.issue_id is not None:
        issue = issues.get(filters.issue_id)
        if issue is None:
            raise ValueError(f"issue {filters.issue_id} is not in this chapter")
    # The insurer of the filtered issue (None when the rows do not hold it).
    insurer_id = issue.insurer_id if issue is not None and issue.insurer_id in insurers else None

    stance_of: dict[tuple[int, int], str] = {}
    for st in rows.stances:  # the last row for an (ally, issue) pair wins, as in the graph
        if st.ally_id in allies and st.issue_id in issues:
            stance_of[(st.ally_id, st.issue_id)] = st.stance
    links = people_links(rows, today, half_life_days)
    min_strength = filters.min_strength

    def link_ok(link) -> bool:  # step 3: only relationships are filtered by strength
        return link[0] is None or link[3] >= min_strength

    # 1 + 2: allies and the insurer side.
    kinds, regions, stances = set(filters.kinds), set(filters.regions), set(filters.stances)
    any_stance: set[int] = set()
    if stances and issue is None:
        any_stance = {a for (a, _), st in stance_of.items() if st in stances}
    kept_allies = []
    for a in rows.allies:
        if kinds and a.kind not in kinds:
            continue
        if regions and a.region not in regions:
            continue
        if issue is not None:
            st = stance_of.get((a.id, issue.id), _NONE)
            if st is _NONE or (stances and st not in stances):
                continue
        elif stances and a.id not in any_stance:
            continue
        kept_allies.append(a)
    kept = {f"ally:{a.id}" for a in kept_allies}
    kept_issues = [i for i in rows.issues if issue is None or i.id == issue.id]
    kept_insurers = [i for i in rows.insurers if issue is None or i.id == insurer_id]
    kept_contacts = [c for c in rows.contacts
                     if issue is None or (c.insurer_id if c.insurer_id in insurers else None) == insurer_id]
    kept.update(f"contact:{c.id}" for c in kept_contacts)

    # 4: members, in the rows' order: a member kept earlier counts as kept for the next.
    kept_members = list(rows.members)
    if filters.restricts_allies:
        around: dict[str, list[tuple[str, list]]] = {}
        for (u, v), link in links.items():
            if u.startswith("member:"):
                around.setdefault(u, []).append((v, link))
            if v.startswith("member:"):
                around.setdefault(v, []).append((u, link))
        kept_members = []
        for m in rows.members:
            n = f"member:{m.id}"
            if any(v in kept and link_ok(link) for v, link in around.get(n, ())):
                kept.add(n)
                kept_members.append(m)

    # Nodes as exported (labels pseudonymised before search sees them).
    community_of: dict[str, int] = {}
    if with_communities:
        from coalition.leverage.network.clusters import communities

        for c in communities(build_graph(rows, today, half_life_days))[0]:
            for n in c.nodes:
                community_of[n] = c.index
    details = contact_details or {}
    positions = positions or {}
    looks: dict = {}  # style per (type, kind, influence): a few dozen, not one per node

    def look(t, kind=None, influence=None):
        key = (t, kind, influence)
        found = looks.get(key)
        if found is None:
            found = looks[key] = (style.node_colour(t, kind), style.node_size(t, influence),
                                  style.TYPE_SHAPES.get(t, "ellipse"))
        return found

    order: dict[str, int] = {}  # node -> sort key: (type rank, row id) packed in one int

    def node(t: str, row_id: int, label, shown) -> MapNode:
        n = f"{t}:{row_id}"
        order[n] = (TYPE_ORDER[t] << 40) + row_id
        colour, size, shape = shown
        made = MapNode(n, t, clean_text(str(label if label is not None else n)), colour, size, shape,
                       community=community_of.get(n))
        if n in positions:
            x, y = positions[n]
            made.x, made.y = round(float(x), 2), round(float(y), 2)
        return made

    # Kinds, regions, organisations, roles and titles repeat: each cleaned once.
    text, kinds = Memo(_opt), Memo(clean_text)
    made: dict[str, MapNode] = {}
    pseudonymised = 0
    for m in kept_members:
        x = node("member", m.id, m.name, look("member"))
        made[x.id] = x
    for a in kept_allies:
        kind = a.kind if a.kind is not None else "other"
        if a.consent:
            x = node("ally", a.id, a.name, look("ally", a.kind, a.influence))
            x.region = text[a.region]
            x.organisation = text[a.organisation]
        else:
            x = node("ally", a.id, f"{style.KIND_LABELS.get(kind, 'Ally')} {a.id}",
                     look("ally", a.kind, a.influence))
            x.pseudonymised = True
            pseudonymised += 1
        x.kind = kinds[kind]
        x.influence = a.influence
        if issue is not None:
            x.stance = stance_of.get((a.id, issue.id))
        made[x.id] = x
    for c in kept_contacts:
        x = node("contact", c.id, c.name, look("contact"))
        x.role = text[c.role]
        x.title = text[c.title]
        made[x.id] = x
    for i in kept_insurers:
        x = node("insurer", i.id, i.name, look("insurer"))
        made[x.id] = x
    for i in kept_issues:
        x = node("issue", i.id, i.title, look("issue"))
        made[x.id] = x
    if include_contact_details:
        for n, x in made.items():
            if not x.pseudonymised and n in details:
                x.email = clean_text(details[n].get("email") or "") or None
                x.phone = clean_text(details[n].get("phone") or "") or None

    # The structural edges other than stances: (type, source, target, id suffix).
    structure = [("employment", f"contact:{c.id}", f"insurer:{c.insurer_id}", c.id)
                 for c in rows.contacts if c.insurer_id in insurers]
    by_region: dict[str, list[int]] = {}
    for ins in rows.insurers:
        for region in ins.regions:
            if ins.id not in by_region.setdefault(region, []):
                by_region[region].append(ins.id)
    structure += [("oversight", f"ally:{a.id}", f"insurer:{ins}", f"{a.id}-{ins}")
                  for a in rows.allies if a.kind == "regulator" and a.region is not None
                  for ins in by_region.get(a.region, ())]

    # 5: search: the matches and their neighbours through every edge that survived step 3.
    needle = clean_text(filters.search).strip().casefold()
    if needle:
        hits = {n for n, x in made.items() if needle in x.label.casefold()}
        keep = set(hits)
        pairs = [(u, v) for (u, v), link in links.items() if link_ok(link)]
        pairs += [(f"ally:{a}", f"issue:{i}") for a, i in stance_of]
        pairs += [(u, v) for _, u, v, _ in structure]
        for u, v in pairs:
            if u in hits and v in made:
                keep.add(v)
            if v in hits and u in made:
                keep.add(u)
        made = {n: x for n, x in made.items() if n in keep}

    if needle:
        order = {n: k for n, k in order.items() if n in made}
    nodes = sorted(made.values(), key=lambda x: order[x.id])
    edges = _edges(links, stance_of, structure, order, min_strength)

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
        "issue": clean_text(issue.title) if issue is not None else None,
        "include_contact_details": bool(include_contact_details),
        "node_count": len(nodes),
        "edge_count": len(edges),
        "pseudonymised": pseudonymised,
        "positions": any(n.x is not None for n in nodes),
    }
    return MapData(nodes, edges, meta)


_NONE = object()


def _edges(links: dict, stance_of: dict, structure, order: dict[str, int], min_strength: int) -> list[MapEdge]:
    """The ``MapEdge`` of every edge between two kept nodes (``order``: node -> sort key),
    sorted by type, then source, then target. One loop per type, as the map has hundreds of
    thousands of edges; what depends only on the kind or on the usable strength (a few
    thousand values) is worked out once."""
    get = order.get
    relationships, reports, stances = [], [], []
    kinds = Memo(lambda kind: clean_text(str(kind)))
    looks = Memo(lambda usable: (style.edge_width("relationship", usable), round(usable, 4)))
    iso = Memo(date.isoformat)
    owners = Memo(lambda member_id: f"member:{member_id}")
    for r, a, target, strength, age, usable, _, _ in links.values():
        ks, kt = get(a), get(target)
        if ks is None or kt is None:
            continue
        if r is None:
            reports.append(((ks << 48) + kt, MapEdge(
                f"reports:{a[8:]}", a, target, "reports_to", "reports_to", style.edge_width("reports_to", usable),
                False, strength, round(usable, 4))))
            continue
        if strength < min_strength:
            continue
        width, shown = looks[usable]
        when = r.last_contact
        relationships.append(((ks << 48) + kt, MapEdge(
            f"rel:{r.id}", a, target, "relationship", kinds[r.kind or "relationship"], width,
            (when is None and r.since is None) or age > STALE_AFTER_DAYS, strength, shown,
            owners[r.owner_member_id] if r.owner_member_id is not None else None,
            iso[when] if when is not None else None)))
    stance_width = style.edge_width("stance", None)
    for (ally, issue), stance in stance_of.items():
        source, target = f"ally:{ally}", f"issue:{issue}"
        ks, kt = get(source), get(target)
        if ks is None or kt is None:
            continue
        stances.append(((ks << 48) + kt, MapEdge(f"stance:{ally}-{issue}", source, target, "stance",
                                                 kinds[stance or "unknown"], stance_width)))
    others: dict[str, list] = {"employment": [], "oversight": []}
    for et, source, target, ident in structure:
        ks, kt = get(source), get(target)
        if ks is None or kt is None:
            continue
        others[et].append(((ks << 48) + kt, MapEdge(f"{_EDGE_PREFIX[et]}:{ident}", source, target, et, et,
                                                    style.edge_width(et, None))))
    edges: list[MapEdge] = []
    first, second = itemgetter(0), itemgetter(1)
    for found in (relationships, reports, stances, others["employment"], others["oversight"]):
        found.sort(key=first)
        edges.extend(map(second, found))
    return edges


class Memo(dict):
    """``memo[x]`` is ``make(x)``, made once: for values that repeat across a map's thousands
    of nodes and edges (kinds, regions, dates, escaped texts)."""

    def __init__(self, make):
        super().__init__()
        self.make = make

    def __missing__(self, key):
        value = self[key] = self.make(key)
        return value


def _opt(value) -> str | None:
    if value is None:
        return None
    return clean_text(str(value)) or None
