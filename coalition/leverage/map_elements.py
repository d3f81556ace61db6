"""A ``MapData`` as Cytoscape.js elements, in full or as an overview of groups.

A chapter with more visible nodes than the page can draw interactively is shown as an
overview: one summary node per group (allies by kind, everything else by type) with a
count, and summary links between groups that count the links they stand for. One group
can be expanded: its nodes are drawn one by one (the ``limit`` most influential), the
other groups stay summaries, and links from the expanded nodes to a summary are
aggregated into one link per pair.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

GROUP_PREFIX = "group:"


@dataclass(frozen=True)
class GroupInfo:
    key: str  # "kind:patient", "type:member"
    label: str
    count: int


def group_key(node) -> str:
    if node.type == "ally":
        return f"kind:{node.kind or 'other'}"
    return f"type:{node.type}"


def group_label(key: str, legend: dict) -> str:
    facet, _, value = key.partition(":")
    if facet == "kind":
        for k in legend.get("kinds", ()):
            if k["kind"] == value:
                return k["label"]
    for t in legend.get("types", ()):
        if t["type"] == value:
            return t["label"]
    return value.replace("_", " ").capitalize()


def _plain(row) -> dict:
    """The row's fields without the empty ones (what ``to_dict`` gives, without the deep
    copy of ``dataclasses.asdict``: the fields are flat, and this runs per node)."""
    return {k: v for k, v in vars(row).items() if v is not None}


def node_element(node, href: str | None = None) -> dict:
    data = _plain(node)
    x, y = data.pop("x", None), data.pop("y", None)
    if href:
        data["href"] = href
    element = {"data": data}
    if x is not None and y is not None:
        element["position"] = {"x": x, "y": y}
    return element


def edge_element(edge) -> dict:
    return {"data": _plain(edge)}


def full(map_data, link: Callable[[str], str | None] = lambda node_id: None) -> dict:
    return {
        "nodes": [node_element(n, link(n.id)) for n in map_data.nodes],
        "edges": [edge_element(e) for e in map_data.edges],
    }


def groups(map_data, legend: dict) -> list[GroupInfo]:
    counts: dict[str, int] = {}
    for n in map_data.nodes:
        key = group_key(n)
        counts[key] = counts.get(key, 0) + 1
    return [GroupInfo(k, group_label(k, legend), c) for k, c in counts.items()]


def overview(map_data, legend: dict, *, expand: str | None = None, limit: int = 2000,
             link: Callable[[str], str | None] = lambda node_id: None) -> tuple[dict, dict]:
    """Summary elements and a description ``{"groups", "expanded", "shown", "hidden"}``.

    ``expand`` names a group key; its ``limit`` largest nodes (by size, then id order)
    are drawn individually, the rest of that group is left out and counted in
    ``hidden``. An unknown group key expands nothing."""
    infos = groups(map_data, legend)
    known = {g.key for g in infos}
    if expand not in known:
        expand = None
    first: dict[str, object] = {}
    for n in map_data.nodes:
        first.setdefault(group_key(n), n)

    shown: dict[str, object] = {}
    hidden = 0
    if expand:
        members = [n for n in map_data.nodes if group_key(n) == expand]
        ranked = sorted(enumerate(members), key=lambda p: (-p[1].size, p[0]))
        shown = {n.id: n for _, n in ranked[:limit]}
        hidden = max(0, len(members) - limit)

    def rep(node_id: str, key: str) -> str | None:
        if key == expand:
            return node_id if node_id in shown else None
        return GROUP_PREFIX + key

    key_of = {n.id: group_key(n) for n in map_data.nodes}
    nodes = []
    for g in infos:
        if g.key == expand:
            continue
        sample = first[g.key]
        nodes.append({"data": {
            "id": GROUP_PREFIX + g.key, "type": "group", "group": g.key,
            "label": f"{g.label} ({g.count:,})", "count": g.count,
            "colour": sample.colour, "shape": sample.shape,
            "size": round(30 + 12 * math.log2(1 + g.count), 1),
        }})
    nodes += [node_element(n, link(n.id)) for n in shown.values()]

    edges: list[dict] = []
    summary: dict[tuple[str, str], int] = {}
    for e in map_data.edges:
        a = rep(e.source, key_of.get(e.source, ""))
        b = rep(e.target, key_of.get(e.target, ""))
        if a is None or b is None or a == b:
            continue
        if not a.startswith(GROUP_PREFIX) and not b.startswith(GROUP_PREFIX):
            edges.append(edge_element(e))
            continue
        pair = (a, b) if a < b else (b, a)
        summary[pair] = summary.get(pair, 0) + 1
    for (a, b), count in sorted(summary.items()):
        edges.append({"data": {
            "id": f"summary:{a}|{b}", "source": a, "target": b, "type": "summary",
            "kind": "summary", "count": count, "label": f"{count:,}",
            "width": round(1 + min(8.0, math.log2(1 + count)), 2), "stale": False,
        }})
    described = {
        "groups": [{"key": g.key, "label": g.label, "count": g.count} for g in infos],
        "expanded": expand,
        "shown": len(shown),
        "hidden": hidden,
    }
    return {"nodes": nodes, "edges": edges}, described
