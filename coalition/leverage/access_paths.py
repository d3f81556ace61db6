"""The access paths of one issue, as the map page offers them for highlighting.

The analysis (``coalition.leverage.network``) finds, for every target of the issue's insurer
(decision makers, medical directors, overseeing regulators), the strongest paths from a
chapter member. The map only needs each path's nodes and links, so this returns plain
dicts with node ids; the page names the nodes with the map's own (possibly
pseudonymised) labels, never with the analysis' real names.
"""
from __future__ import annotations

from datetime import date

from coalition.leverage.network import build_network, insurer_access
from coalition.leverage.network.rows import ChapterRows

TARGET_KINDS = {
    "decision_maker": "Decision maker",
    "medical_director": "Medical director",
    "regulator": "Regulator",
}


def issue_paths(rows: ChapterRows, today: date, issue_id: int,
                half_life_days: float = 180.0) -> list[dict]:
    """``[{"id", "target", "target_kind", "target_kind_label", "rank", "strength",
    "nodes", "edges"}]``: strongest first within each target, targets in the analysis'
    order. ``edges`` are the relationship ids (``rel:<id>``) or ``reports:<id>`` of the
    map's edges along the path. An issue that is not in the rows has no paths."""
    issue = next((i for i in rows.issues if i.id == issue_id), None)
    if issue is None:
        return []
    network = build_network(rows, today, half_life_days)
    out = []
    for target in insurer_access(network, issue.insurer_id).targets:
        for rank, path in enumerate(target.paths, start=1):
            nodes = [path.member] + [hop.to_node for hop in path.hops]
            edges = []
            for hop in path.hops:
                if hop.relationship_id is not None:
                    edges.append(f"rel:{hop.relationship_id}")
                else:  # reports-to: the map names it after the subordinate
                    a = network.graph._adj[hop.from_node][hop.to_node]["a"]  # noqa: SLF001
                    edges.append(f"reports:{a.partition(':')[2]}")
            out.append({
                "id": f"{target.node}#{rank}",
                "target": target.node,
                "target_kind": target.target_kind,
                "target_kind_label": TARGET_KINDS.get(target.target_kind, target.target_kind),
                "rank": rank,
                "strength": round(path.strength, 4),
                "nodes": nodes,
                "edges": edges,
            })
    return out
