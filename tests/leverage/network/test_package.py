"""The package stays pure, and the synthetic chapter works end to end."""

import ast
import json
from datetime import date
from pathlib import Path

import coalition.leverage.network as network
from coalition.leverage.network import (
    analyse_chapter,
    analyse_issue,
    build_network,
    chapter_parts,
)
from coalition.leverage.network.synthetic import synthetic_rows

TODAY = date(2025, 1, 1)
FORBIDDEN = {"flask", "sqlalchemy", "flask_sqlalchemy", "flask_login", "flask_wtf", "werkzeug",
             "coalition"}


def _imports(path: Path):
    """(module named, relative level) of every import in the file, nested ones included."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from ((a.name, 0) for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            yield node.module or "", node.level


def test_modules_import_neither_flask_nor_the_database_nor_the_app():
    """Every file of the package, found by walking its folder: a new module is checked too."""
    folder = Path(network.__file__).parent
    files = sorted(folder.rglob("*.py"))
    assert {f.stem for f in files} >= {"__init__", "rows", "graph", "paths", "leverage"}
    for path in files:
        for module, level in _imports(path):
            if level:  # relative: must stay inside the package
                assert level == 1, (path.name, module)
                continue
            assert module.split(".")[0] not in FORBIDDEN, (path.name, module)


def test_synthetic_chapter_is_deterministic_and_serialisable():
    rows = synthetic_rows(300, seed=7)
    assert rows == synthetic_rows(300, seed=7)
    assert len(rows.members) == 15 and len(rows.issues) == 6 and len(rows.insurers) == 3
    one = analyse_chapter(rows, TODAY, seed=1).to_dict()
    two = analyse_chapter(rows, TODAY, seed=1).to_dict()
    assert one == two
    assert json.loads(json.dumps(one))["chapter_id"] == rows.chapter_id
    assert all(0 <= s["score"] <= 100 for s in one["summary"])


def test_per_issue_analysis_with_cached_parts_matches_the_chapter_analysis():
    rows = synthetic_rows(200, seed=3)
    net = build_network(rows, TODAY)
    parts = chapter_parts(net, seed=0)
    whole = analyse_chapter(rows, TODAY, seed=0)
    for issue in whole.issues:
        assert analyse_issue(net, issue.issue_id, parts).to_dict() == issue.to_dict()


def test_a_chapter_without_members_reaches_nobody():
    rows = synthetic_rows(60, seed=2)
    rows = type(rows)(**{**rows.__dict__, "members": ()})
    result = analyse_chapter(rows, TODAY)
    for issue in result.issues:
        comps = {c.name: c for c in issue.score.components}
        access = comps["decision_maker_access"]
        assert access.points == 0.0 and "No member" in access.explanation
        assert all(t.paths == [] for t in issue.targets)
        assert len(issue.cut_off) == issue.coverage.committed
        assert all(m.introduction is None for m in issue.next_moves)


def test_network_and_parts_survive_pickling_for_a_cache():
    import pickle

    rows = synthetic_rows(80, seed=5)
    net = build_network(rows, TODAY)
    parts = chapter_parts(net)
    expected = analyse_issue(net, rows.issues[0].id, parts).to_dict()
    net2, parts2 = pickle.loads(pickle.dumps((net, parts)))
    assert analyse_issue(net2, rows.issues[0].id, parts2).to_dict() == expected


def test_a_cached_graph_must_match_the_day():
    import pytest

    from coalition.leverage.network import build_graph

    rows = synthetic_rows(20, seed=5)
    graph = build_graph(rows, TODAY)
    assert build_network(rows, TODAY, graph=graph).graph is graph
    with pytest.raises(ValueError):
        build_network(rows, date(2025, 1, 2), graph=graph)
