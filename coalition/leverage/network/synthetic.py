"""A random but realistic chapter, for measuring speed and for demos.

``synthetic_rows(n_allies, seed)`` builds a chapter with about ``n_allies / 20``
members, three insurers with eight contacts each (one decision maker and one
medical director at the top of a reports-to tree), six issues, about four
relationships per ally and one or two stances per ally. Allies live in regions
and mostly know people of their own region, which gives the graph community
structure. The same ``seed`` always gives the same rows.

Run ``python -m coalition.leverage.network.synthetic [n_allies]`` to print timings.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from .rows import (
    AllyRow,
    ChapterRows,
    ContactRow,
    InsurerRow,
    IssueRow,
    MemberRow,
    RelationshipRow,
    StanceRow,
)

REGIONS = ("north", "south", "east", "west", "central", "coast")
TODAY = date(2025, 1, 1)

# Kind mix of a real chapter: many patients and physicians, very few regulators.
_KIND_WEIGHTS = (
    ("patient", 45.0),
    ("medical", 20.0),
    ("support_group", 8.0),
    ("other", 7.0),
    ("employer", 6.0),
    ("patient_org", 5.0),
    ("media", 4.0),
    ("legislator", 3.0),
    ("regulator", 0.1),
)
_CONTACT_ROLES = (
    "decision_maker",
    "medical_director",
    "provider_relations",
    "provider_relations",
    "network_manager",
    "network_manager",
    "other",
    "other",
)
_STANCE_WEIGHTS = (
    ("champion", 5.0),
    ("supporter", 25.0),
    ("neutral", 20.0),
    ("unknown", 40.0),
    ("opposed", 10.0),
)
_REL_KINDS = ("knows", "refers_to", "treats", "belongs_to", "works_with")


def _pick(rng: random.Random, weighted) -> str:
    names = [n for n, _ in weighted]
    weights = [w for _, w in weighted]
    return rng.choices(names, weights)[0]


def synthetic_rows(n_allies: int, seed: int = 0, chapter_id: int = 1, id_offset: int = 0) -> ChapterRows:
    """Return a random chapter of ``n_allies`` allies (deterministic for a seed).

    ``id_offset`` is added to every id, so two chapters with different offsets
    have disjoint ids.
    """
    rng = random.Random(seed)
    o = id_offset
    n_members = max(3, n_allies // 20)
    members = tuple(MemberRow(o + i + 1, f"Member {i + 1}") for i in range(n_members))
    member_region = {m.id: rng.choice(REGIONS) for m in members}

    allies = []
    for i in range(n_allies):
        kind = _pick(rng, _KIND_WEIGHTS)
        influence = min(5, 1 + int(rng.expovariate(0.9)))
        allies.append(
            AllyRow(
                id=o + i + 1,
                name=f"Ally {i + 1}",
                kind=kind,
                influence=influence,
                region=rng.choice(REGIONS),
                organisation=None if rng.random() < 0.7 else f"Org {rng.randrange(1, 50)}",
                consent=rng.random() < 0.6,
            )
        )
    # Every chapter knows at least two regulators (the commissioner and a deputy).
    for j, region in enumerate(REGIONS[:2]):
        if not any(a.kind == "regulator" and a.region == region for a in allies) and allies:
            k = j * max(1, n_allies // 2)
            a = allies[k % len(allies)]
            allies[k % len(allies)] = AllyRow(a.id, a.name, "regulator", 4, region, "Insurance commissioner", True)
    allies = tuple(allies)

    insurers = []
    contacts = []
    cid = 0
    for k in range(3):
        regions = tuple(rng.sample(REGIONS, rng.randint(2, 4)))
        insurers.append(InsurerRow(o + k + 1, f"Insurer {k + 1}", regions))
        first = cid
        for r, role in enumerate(_CONTACT_ROLES):
            cid += 1
            if r == 0:
                boss = None
            elif r == 1:
                boss = o + first + 1
            else:
                boss = o + first + 1 + rng.randrange(0, r)
            title = role.replace("_", " ").title()
            contacts.append(ContactRow(o + cid, o + k + 1, f"Contact {cid}", title, role, boss))
    insurers = tuple(insurers)
    contacts = tuple(contacts)

    issues = []
    titles = ("12-visit cap", "Fee-schedule cut", "Prior authorisation", "Narrow network", "Denials",
              "Credentialing delay")
    for k in range(6):
        ins = insurers[k % 3]
        gaps = tuple(rng.sample(ins.regions, rng.randint(0, min(2, len(ins.regions)))))
        services = tuple(rng.sample(("vestibular", "pelvic health", "lymphedema", "paediatric"), rng.randint(0, 2)))
        issues.append(IssueRow(o + k + 1, ins.id, f"{titles[k]} ({ins.name})", gaps, services))
    issues = tuple(issues)

    stances = []
    for a in allies:
        for issue in rng.sample(issues, rng.choice((1, 1, 2))):
            stances.append(StanceRow(a.id, issue.id, _pick(rng, _STANCE_WEIGHTS)))
    stances = tuple(stances)

    by_region: dict[str, list[int]] = {r: [] for r in REGIONS}
    for a in allies:
        by_region[a.region].append(a.id)
    members_by_region: dict[str, list[int]] = {r: [] for r in REGIONS}
    for m in members:
        members_by_region[member_region[m.id]].append(m.id)

    rels = []

    def rel(a_type, a_id, b_type, b_id, owner):
        age = rng.randint(0, 900)
        last = None if rng.random() < 0.15 else TODAY - timedelta(days=age)
        since = None if rng.random() < 0.5 else TODAY - timedelta(days=age + rng.randint(0, 2000))
        rels.append(
            RelationshipRow(
                o + len(rels) + 1, a_type, a_id, b_type, b_id, rng.choice(_REL_KINDS),
                rng.randint(1, 5), since, last, owner,
            )
        )

    n_rel = 4 * n_allies
    member_ids = [m.id for m in members]
    contact_ids = [c.id for c in contacts]
    while len(rels) < n_rel:
        x = rng.random()
        a = rng.choice(allies)
        same_region = rng.random() < 0.85
        if x < 0.40:  # member knows ally
            pool = members_by_region[a.region] if same_region and members_by_region[a.region] else member_ids
            m = rng.choice(pool)
            rel("member", m, "ally", a.id, m)
        elif x < 0.93:  # ally knows ally
            pool = by_region[a.region] if same_region else [b.id for b in rng.sample(allies, 1)]
            b = rng.choice(pool)
            if b != a.id:
                rel("ally", a.id, "ally", b, None)
        elif x < 0.97:  # ally knows an insurer contact
            rel("ally", a.id, "contact", rng.choice(contact_ids), None)
        elif x < 0.99:  # member knows an insurer contact
            m = rng.choice(member_ids)
            rel("member", m, "contact", rng.choice(contact_ids), m)
        else:  # members know each other
            m1, m2 = rng.sample(member_ids, 2) if len(member_ids) > 1 else (member_ids[0], member_ids[0])
            if m1 != m2:
                rel("member", m1, "member", m2, m1)
    return ChapterRows(
        chapter_id=chapter_id,
        members=members,
        allies=allies,
        contacts=contacts,
        insurers=insurers,
        issues=issues,
        stances=stances,
        relationships=tuple(rels),
    )


def _timings(n_allies: int, seed: int = 1, repeat: int = 3) -> dict[str, float]:
    """Best-of-``repeat`` wall times in seconds of the main steps (for development)."""
    import time

    import networkx as nx

    from .graph import build_graph, people_graph
    from .leverage import analyse_issue, build_network, chapter_parts

    def best(fn):
        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        return min(times)

    rows = synthetic_rows(n_allies, seed)
    graph = build_graph(rows, TODAY)
    members = [f"member:{m.id}" for m in rows.members]
    people = people_graph(graph).copy()
    issue = rows.issues[0].id
    return {
        "rows_rebuild": best(lambda: ChapterRows(rows.chapter_id, *(
            tuple(type(x)(*x.__dict__.values()) for x in part)
            for part in (rows.members, rows.allies, rows.contacts, rows.insurers, rows.issues, rows.stances,
                         rows.relationships)))),
        "build_graph": best(lambda: build_graph(rows, TODAY)),
        "nx_dijkstra": best(lambda: nx.multi_source_dijkstra(people, members, weight="cost")),
        "issue_cold": best(lambda: analyse_issue(build_network(rows, TODAY, graph=graph), issue)),
        "chapter_parts": best(lambda: chapter_parts(build_network(rows, TODAY, graph=graph)), ),
    }


if __name__ == "__main__":  # pragma: no cover - development aid
    import sys

    for n in [int(a) for a in sys.argv[1:]] or [1000, 10000]:
        t = _timings(n)
        print(f"n={n}: " + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in t.items()))
        print(f"  build/rows {t['build_graph'] / t['rows_rebuild']:.1f}x, "
              f"issue/dijkstra {t['issue_cold'] / t['nx_dijkstra']:.1f}x")
