"""The association's map: chapters, the insurers' national profiles and the contacts chapters
shared, with each chapter's link weighted by its best path strength. Built from the shared
facts only (``facts``), as a ``MapData`` the chapter map's writers export in every format.

Nodes: ``chapter:<id>`` (a chapter that linked an insurer to a profile; the others do not
appear), ``insurer:<profile id>``, ``contact:<shared contact id>``. Edges:

- ``linked:<chapter>-<profile>`` chapter -> profile, ``usable`` = the chapter's best path
  strength to any decision maker of its open issues with that insurer (0 when none);
- ``reach:<chapter>-<contact>`` chapter -> shared contact, ``usable`` = the chapter's best
  path strength to its own record of that person (only when it has a path);
- ``employ:<contact>`` shared contact -> profile.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from coalition.association import facts as shared
from coalition.leverage.mapexport.mapdata import MapData, MapEdge, MapNode
from coalition.leverage.mapexport.style import TYPE_COLOURS, TYPE_SHAPES
from coalition.models.association import InsurerProfile, ProfileLink, SharedContact

CHAPTER_COLOUR = "#17A589"
LEGEND = [
    ("diamond", CHAPTER_COLOUR, "Chapter"),
    (TYPE_SHAPES["insurer"], TYPE_COLOURS["insurer"], "Insurer (national profile)"),
    (TYPE_SHAPES["contact"], TYPE_COLOURS["contact"], "Contact a chapter shared"),
]


def _width(strength: float) -> float:
    """1 px with no path to 5 px for the strongest (strengths are 0-1)."""
    return round(1.0 + 4.0 * max(0.0, min(1.0, strength)), 2)


def association_map(session: Session, today: date | None = None) -> MapData:
    today = today or date.today()
    profiles = list(session.scalars(select(InsurerProfile).order_by(InsurerProfile.id)))
    people = list(session.scalars(select(SharedContact).order_by(SharedContact.id)))
    links = session.execute(select(ProfileLink.chapter_id, ProfileLink.profile_id)
                            .order_by(ProfileLink.chapter_id, ProfileLink.profile_id)).all()
    open_issues = shared.open_issues_by_profile(session)
    found = shared.issue_facts(session, sorted({p for pairs in open_issues.values() for p in pairs}))
    names = shared.chapter_names(session, {c for c, _ in links})

    best_to_profile: dict[tuple[int, int], float] = defaultdict(float)
    best_to_person: dict[tuple[int, int], float] = defaultdict(float)
    for profile_id, pairs in open_issues.items():
        for pair in pairs:
            f = found.get(pair)
            if f is None:
                continue
            key = (pair[0], profile_id)
            best_to_profile[key] = max(best_to_profile[key], f.best_strength)
            for person_id, strength in f.paths.items():
                best_to_person[(pair[0], person_id)] = max(best_to_person[(pair[0], person_id)], strength)

    nodes = [MapNode(id=f"chapter:{c}", type="chapter", label=names[c], colour=CHAPTER_COLOUR,
                     size=40.0, shape="diamond")
             for c in sorted({c for c, _ in links})]
    nodes += [MapNode(id=f"insurer:{p.id}", type="insurer", label=p.name, colour=TYPE_COLOURS["insurer"],
                      size=60.0, shape=TYPE_SHAPES["insurer"], organisation=p.parent_company)
              for p in profiles]
    nodes += [MapNode(id=f"contact:{c.id}", type="contact", label=c.name, colour=TYPE_COLOURS["contact"],
                      size=30.0, shape=TYPE_SHAPES["contact"], role=c.role, title=c.title)
              for c in people]
    edges = [MapEdge(id=f"linked:{c}-{p}", source=f"chapter:{c}", target=f"insurer:{p}", type="linked",
                     kind="linked", usable=round(best_to_profile.get((c, p), 0.0), 3),
                     width=_width(best_to_profile.get((c, p), 0.0)))
             for c, p in links]
    edges += [MapEdge(id=f"reach:{c}-{person}", source=f"chapter:{c}", target=f"contact:{person}",
                      type="relationship", kind="best path", usable=round(s, 3),
                      width=_width(s))
              for (c, person), s in sorted(best_to_person.items()) if s > 0 and c in names]
    edges += [MapEdge(id=f"employ:{c.id}", source=f"contact:{c.id}", target=f"insurer:{c.profile_id}",
                      type="employment", kind="employment", width=1.0)
              for c in people]
    return MapData(nodes=nodes, edges=edges, meta={
        "title": "Association map", "today": today.isoformat(), "legend_rows": LEGEND,
        "chapters": len(names), "profiles": len(profiles), "shared_contacts": len(people)})


def reach_rows(map_data: MapData) -> list[tuple[str, str, float]]:
    """(chapter, insurer or person, strength) for every weighted link, strongest first: the
    map as a table."""
    label = {n.id: n.label for n in map_data.nodes}
    return sorted(((label[e.source], label[e.target], e.usable or 0.0) for e in map_data.edges
                   if e.source.startswith("chapter:")), key=lambda r: (-r[2], r[0], r[1]))
