"""What the map page's endpoints return, put together from the loader, the map builder,
the saved layout and the access paths. No Flask here; the views pass links and settings.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy.orm import Session

from coalition.leverage import access_paths, auto_layout
from coalition.leverage import map_elements as elements
from coalition.leverage import map_layouts as layouts
from coalition.leverage.loader import load_contact_details, load_rows
from coalition.leverage.mapexport import MapFilters, build_map, legend
from coalition.leverage.network.graph import parse_node_id
from coalition.models import ALLY_KINDS, STANCES, Chapter


@dataclass(frozen=True)
class MapSettings:
    today: date
    half_life_days: float = 180.0
    max_nodes: int = 2000


def map_json(session: Session, chapter: Chapter, filters: MapFilters, settings: MapSettings,
             *, group: str | None = None, link: Callable[[str], str | None] = lambda n: None
             ) -> dict:
    """The page's data: Cytoscape elements, legend, meta and the issue's access paths.

    Up to ``max_nodes`` visible nodes the map is drawn in full (``mode`` "full");
    above, as an overview of groups (``mode`` "overview"), or with ``group`` expanded
    (``mode`` "group")."""
    rows = load_rows(session, chapter.id)
    saved = layouts.positions(session, chapter, filters.issue_id)
    data = build_map(rows, settings.today, filters=filters, positions=saved,
                     half_life_days=settings.half_life_days)
    key = page_legend()
    meta = dict(data.meta, max_nodes=settings.max_nodes, saved_layout=bool(saved),
                server_layout=False)
    if len(data.nodes) <= settings.max_nodes:
        mode = "full"
        if len(data.nodes) > auto_layout.SERVER_LAYOUT_NODES and \
                any(n.x is None for n in data.nodes):
            placed = auto_layout.positions([n.id for n in data.nodes],
                                           [(e.source, e.target) for e in data.edges], saved)
            for n in data.nodes:
                n.x, n.y = placed[n.id]
            meta["server_layout"] = True
        found = elements.full(data, link)
    else:
        found, described = elements.overview(data, key, expand=group,
                                             limit=settings.max_nodes, link=link)
        mode = "group" if described["expanded"] else "overview"
        meta.update(described)
    paths = []
    if filters.issue_id is not None:
        paths = access_paths.issue_paths(rows, settings.today, filters.issue_id,
                                         settings.half_life_days)
    return {"mode": mode, "elements": found, "legend": key, "meta": meta, "paths": paths}


def page_legend() -> dict:
    """The legend with the ally kinds named as everywhere else in the app: the map's own
    names are pseudonym stems ("Ally 12" for kind "other"), not what a reader calls a kind."""
    key = legend()
    key["kinds"] = [dict(k, label=ALLY_KINDS.get(k["kind"], k["label"])) for k in key["kinds"]]
    key["stances"] = [dict(s, label=STANCES.get(s["stance"], s["stance"])) for s in key["stances"]]
    return key


def cached_map_json(chapter_id: int, filters: MapFilters, settings: MapSettings, *,
                    group: str | None = None, links: dict[str, str] | None = None) -> dict:
    """``map_json`` through the leverage cache: computed once per chapter data version,
    filters and group, shared by every worker. ``stale`` as on cached analyses (None when
    the map shows the current data). ``links``: ``{node type: address with {} for the id}``
    (see :func:`node_links`). A search (free text) is computed for the request and never
    stored: what someone types must not become a row of the shared table."""
    from coalition.leverage.analysis import cache
    from coalition.platform.extensions import db

    links = dict(links or {})
    if filters.search:
        return dict(map_json(db.session, db.session.get(Chapter, chapter_id), filters, settings,
                             group=group, link=node_links(db.session, chapter_id, links)),
                    stale=None)

    described = json.dumps([asdict(filters), group, asdict(settings)], sort_keys=True,
                           default=str)
    subject = "map:" + hashlib.sha256(described.encode()).hexdigest()[:32]
    # Plain data, so that a queue job in another process can compute the same map.
    args = {"filters": asdict(filters), "group": group, "settings": asdict(settings),
            "links": links}
    return cache.get(cache.key(chapter_id, settings.today), subject, args)


def compute_map(session: Session, chapter_id: int, args: dict) -> dict:
    """The map that :func:`cached_map_json` described by ``args``."""
    filters = MapFilters(**{k: tuple(v) if isinstance(v, list) else v
                            for k, v in args["filters"].items()})
    return map_json(session, session.get(Chapter, chapter_id), filters,
                    MapSettings(**args["settings"]), group=args["group"],
                    link=node_links(session, chapter_id, args["links"]))


def node_links(session: Session, chapter_id: int, bases: Mapping[str, str]
               ) -> Callable[[str], str | None]:
    """``node id -> page of that row`` from ``{node type: address with {} for the id}``;
    an insurer contact links to its insurer's page."""
    insurer_of = {}  # read on first use: a cached map never calls ``link``

    def link(node: str):
        type_, ident = parse_node_id(node)
        if type_ == "contact":
            if not insurer_of:
                insurer_of.update(contact_insurers(session, chapter_id))
            type_, ident = "insurer", insurer_of.get(ident)
        base = bases.get(type_)
        if ident is None:
            return None
        return base.format(ident) if base else None
    return link


def map_for_export(session: Session, chapter: Chapter, filters: MapFilters,
                   settings: MapSettings, *, include_contact_details: bool = False):
    """The ``MapData`` an export writes, with the saved layout's positions."""
    rows = load_rows(session, chapter.id)
    details = load_contact_details(session, chapter.id) if include_contact_details else None
    return build_map(rows, settings.today, filters=filters,
                     include_contact_details=include_contact_details,
                     contact_details=details,
                     positions=layouts.positions(session, chapter, filters.issue_id),
                     half_life_days=settings.half_life_days)


def contact_insurers(session: Session, chapter_id: int) -> dict[int, int]:
    """``{contact id: insurer id}`` of the chapter's insurer contacts."""
    from sqlalchemy import select

    from coalition.models import InsurerContact

    return dict(session.execute(
        select(InsurerContact.id, InsurerContact.insurer_id)
        .where(InsurerContact.chapter_id == chapter_id)).all())
