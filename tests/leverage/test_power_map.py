"""The power map's placement (coalition.leverage.power_map): pure, hand-worked cases."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from coalition.leverage import power_map as pm
from coalition.leverage.mapexport.style import KIND_COLOURS, TYPE_COLOURS


def person(name, influence, stance, kind="patient", type_="ally"):
    return pm.Person(key=f"{type_}:{name}", type=type_, name=name, influence=influence,
                     stance=stance, kind=kind)


@pytest.mark.parametrize("influence,stance,quadrant", [
    (5, "champion", "champions"),       # high and supportive
    (4, "supporter", "champions"),      # 4 is the lowest high
    (3, "supporter", "grow"),           # 3, the default rating, is low
    (1, "champion", "grow"),
    (5, "opposed", "win_over"),
    (4, "neutral", "win_over"),         # neutral is "not supportive yet"
    (3, "neutral", "watch"),
    (1, "opposed", "watch"),
    (5, "unknown", "unknown"),          # no quadrant without a stance, however influential
    (2, "unknown", "unknown"),
    (9, "champion", "champions"),       # out-of-range ratings are clamped, not refused
    (0, "opposed", "watch"),
])
def test_quadrant_of(influence, stance, quadrant):
    assert pm.quadrant_of(influence, stance) == quadrant


def test_contacts_influence_follows_their_role():
    assert pm.contact_influence("decision_maker") == 5
    assert pm.contact_influence("medical_director") == 4
    assert pm.contact_influence("provider_relations") == 2
    assert pm.contact_influence(None) == pm.contact_influence("something new") == 2


def test_build_places_people_in_cells_and_groups():
    people = [person("Ann", 5, "champion"), person("Bob", 4, "opposed"), person("Cy", 2, "supporter"),
              person("Di", 1, "neutral"), person("Ed", 4, "unknown"),
              person("Dana", 5, "unknown", kind="contact", type_="contact"), person("Al", 5, "champion")]
    grid = pm.build(people)
    assert grid.total == 7
    # rows top (5) to bottom (1); columns: unknown, opposed, neutral, supporter, champion
    assert [r[0].influence for r in grid.rows] == [5, 4, 3, 2, 1]
    assert [c.column for c in grid.rows[0]] == ["unknown", "opposed", "neutral", "supporter", "champion"]
    top = {c.column: [p.name for p in c.shown] for c in grid.rows[0]}
    assert top == {"unknown": ["Dana"], "opposed": [], "neutral": [], "supporter": [],
                   "champion": ["Al", "Ann"]}  # by name within a cell
    assert [p.name for p in grid.rows[1][1].shown] == ["Bob"]
    assert grid.rows[1][1].quadrant == "win_over"
    assert [p.name for p in grid.rows[3][3].shown] == ["Cy"] and grid.rows[3][3].quadrant == "grow"
    groups = {q.key: [p.name for p in found] for q, found in grid.groups}
    assert list(groups) == ["champions", "win_over", "grow", "watch", "unknown"]
    assert groups == {"champions": ["Al", "Ann"], "win_over": ["Bob"], "grow": ["Cy"],
                      "watch": ["Di"], "unknown": ["Dana", "Ed"]}  # most influential first


def test_a_full_cell_counts_the_rest_and_the_table_lists_everyone():
    people = [person(f"P{i:03}", 5, "champion") for i in range(300)]
    grid = pm.build(people, cap=8)
    cell = grid.rows[0][4]
    assert len(cell.shown) == 8 and cell.more == 292
    assert len(dict((q.key, f) for q, f in grid.groups)["champions"]) == 300


def test_quadrant_names_are_the_decided_wording():
    assert [q.title for q in pm.QUADRANTS.values()] == [
        "Champions to mobilise", "Influential people to win over", "Supporters to grow", "Watch",
        "Stance not known yet"]


def test_power_map_colours_are_the_maps():
    css = (Path(__file__).resolve().parents[2] / "coalition/static/power_map.css").read_text()
    found = dict(re.findall(r"\.pm-k-(\w+) \{ --dot: (#[0-9A-Fa-f]{6}); \}", css))
    assert found == dict(KIND_COLOURS, contact=TYPE_COLOURS["contact"])
