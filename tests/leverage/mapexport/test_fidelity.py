"""Export fidelity, read back by independent parsers on the hand-built chapter of conftest.py
(17 nodes, 14 edges): every format carries the same positions for every node (the saved
layout when there is one, else the computed one), the map's shape is ``map_shape`` and no
attribute is called ``shape``, the drawn formats have a title and the kinds' real names,
and the writers stream."""
from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from lxml import etree
from PIL import Image

from coalition.leverage.mapexport import build_map, cyjs, export, export_chunks, kumu, stream
from coalition.leverage.mapexport.style import KIND_DISPLAY_LABELS
from coalition.models.allies import ALLY_KINDS

from .conftest import TODAY

G = "{http://graphml.graphdrawing.org/xmlns}"
Y = "{http://www.yworks.com/xml/graphml}"
GX = "{http://gexf.net/1.3}"
SVG = "{http://www.w3.org/2000/svg}"
NODE_IDS = {
    "member:1", "member:2", "insurer:1", "insurer:2", "issue:1", "issue:2",
    *(f"ally:{i}" for i in range(1, 9)), *(f"contact:{i}" for i in range(1, 4)),
}


def graphml_positions(data: bytes) -> tuple[dict, set]:
    root = etree.fromstring(data)
    names = {k.get("id"): k.get("attr.name") for k in root.iter(f"{G}key") if k.get("attr.name")}
    out = {}
    for node in root.iter(f"{G}node"):
        values = {names[d.get("key")]: d.text for d in node.iter(f"{G}data") if d.get("key") in names}
        geometry = node.find(f".//{Y}Geometry")
        half = float(geometry.get("width")) / 2
        # yEd's geometry is the node's corner: its centre is the position.
        assert float(geometry.get("x")) + half == pytest.approx(float(values["x"]), abs=0.01)
        out[node.get("id")] = (float(values["x"]), float(values["y"]))
    return out, set(names.values())


def gexf_positions(data: bytes) -> tuple[dict, set]:
    root = etree.fromstring(data)
    declared = {a.get("title") for a in root.iter(f"{GX}attribute")}
    out = {}
    for node in root.iter(f"{GX}node"):
        pos = node.find(f"{GX}position")
        out[node.get("id")] = (float(pos.get("x")), float(pos.get("y")))
    return out, declared


def cytoscape_positions(data: bytes) -> tuple[dict, set]:
    nodes = json.loads(data)["elements"]["nodes"]
    keys = set().union(*(n["data"] for n in nodes))
    return {n["data"]["id"]: (n["position"]["x"], n["position"]["y"]) for n in nodes}, keys


def nodelink_positions(data: bytes) -> tuple[dict, set]:
    nodes = json.loads(data)["nodes"]
    keys = set().union(*nodes)
    return {n["id"]: (n["x"], n["y"]) for n in nodes}, keys


def kumu_positions(data: bytes) -> tuple[dict, set]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        rows = list(csv.DictReader(io.StringIO(zf.read("elements.csv").decode())))
    def number(cell):  # a negative number is written as text ('-20.0) so no spreadsheet runs it
        return float(cell.lstrip("'"))

    return {r["ID"]: (number(r["X"]), number(r["Y"])) for r in rows}, set(rows[0])


READERS = {"graphml": graphml_positions, "gexf": gexf_positions, "cytoscape": cytoscape_positions,
           "nodelink": nodelink_positions, "csv": kumu_positions}


def test_computed_positions_are_the_same_in_every_format(rows):
    map_data = build_map(rows, TODAY)  # no saved layout
    assert all(n.x is None for n in map_data.nodes)
    seen = {}
    for fmt, read in READERS.items():
        where, names = read(export(map_data, fmt))
        assert set(where) == NODE_IDS, fmt
        seen[fmt] = where
        # the computed layout is spread out, not every node on one spot
        assert len(set(where.values())) == 17, fmt
    first = seen["graphml"]
    for fmt, where in seen.items():
        for node, (x, y) in where.items():
            assert (x, y) == pytest.approx(first[node], abs=0.01), (fmt, node)


def test_saved_layout_is_written_as_saved_everywhere(rows):
    saved = {node: (float(i * 10), float(-i * 5)) for i, node in enumerate(sorted(NODE_IDS))}
    map_data = build_map(rows, TODAY, positions=saved)
    for fmt, read in READERS.items():
        where, _ = read(export(map_data, fmt))
        assert where == {k: pytest.approx(v) for k, v in saved.items()}, fmt


def test_partly_saved_layout_keeps_the_saved_nodes(rows):
    map_data = build_map(rows, TODAY, positions={"ally:1": (10.0, -20.0), "member:1": (500.0, 300.0)})
    for fmt, read in READERS.items():
        where, _ = read(export(map_data, fmt))
        assert where["ally:1"] == (10.0, -20.0) and where["member:1"] == (500.0, 300.0), fmt
        assert len(set(where.values())) == 17, fmt


def test_the_shape_attribute_is_map_shape_in_every_format(rows):
    map_data = build_map(rows, TODAY)
    for fmt, read in READERS.items():
        _, names = read(export(map_data, fmt))
        assert "shape" not in names and "Shape" not in names, fmt
        assert ("Map shape" if fmt == "csv" else "map_shape") in names, fmt
    gexf = etree.fromstring(export(map_data, "gexf"))
    ally = gexf.find(f".//{GX}node[@id='ally:1']")
    assert ally.find(f"{GX}attvalues/{GX}attvalue[@for='map_shape']").get("value") == "ellipse"
    assert ally.find(f"{GX}shape").get("value") == "disc"
    style = json.loads(export(map_data, "cytoscape"))["style"][0]["style"]
    assert style["shape"] == "data(map_shape)"


def test_svg_has_a_title_and_the_kinds_real_names(rows):
    map_data = build_map(rows, TODAY)
    map_data.meta["chapter"] = "Springfield chapter"
    root = etree.fromstring(export(map_data, "svg"))
    heading = root.find(f"{SVG}text[@id='heading']").text
    assert heading == "Springfield chapter: ally map - 1 June 2025"
    assert root.find(f"{SVG}title").text == heading
    legend = [t.text for t in root.find(f"{SVG}g[@id='legend']").iter(f"{SVG}text")]
    assert "Ally: Other" in legend and "Ally: Insurance commissioner / regulator" in legend
    assert "Ally: Media / public" in legend and "Ally: Ally" not in legend


def test_svg_title_names_the_issue(rows):
    map_data = build_map(rows, TODAY, filters=_issue_filter())
    map_data.meta["chapter"] = "Springfield chapter"
    heading = etree.fromstring(export(map_data, "svg")).find(f"{SVG}text[@id='heading']").text
    assert heading == "Springfield chapter: ally map - issue 12-visit cap - 1 June 2025"


def _issue_filter():
    from coalition.leverage.mapexport import MapFilters

    return MapFilters(issue_id=1)


def test_png_has_a_title_band_and_a_wider_legend(rows):
    map_data = build_map(rows, TODAY)
    map_data.meta["chapter"] = "Springfield chapter"
    img = Image.open(io.BytesIO(export(map_data, "png"))).convert("L")
    # 1000 units of drawing + 340 of legend wide, a 50-unit title band over the 1000-unit
    # drawing; 1.25 px per unit
    assert img.size == (1675, 1312)
    band = img.crop((0, 0, 1250, 58))
    assert band.getextrema()[0] < 100  # dark title text in the band
    legend = img.crop((1250, 63, 1675, 1312))
    assert legend.getextrema()[0] < 100


def test_kind_names_are_the_apps():
    assert KIND_DISPLAY_LABELS == ALLY_KINDS


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "cytoscape", "nodelink", "csv", "svg"])
def test_writers_stream_in_chunks(rows, monkeypatch, fmt):
    map_data = build_map(rows, TODAY)
    whole = export(map_data, fmt)
    monkeypatch.setattr(stream, "CHUNK", 512)
    monkeypatch.setattr(cyjs, "BATCH", 2)
    monkeypatch.setattr(kumu, "BATCH", 2)
    chunks = list(export_chunks(map_data, fmt))
    # the zip comes out as the compressor lets go of it: per file at least, on a map this small
    assert len(chunks) >= (3 if fmt == "csv" else 4) and all(chunks)
    assert b"".join(chunks) == whole
    if fmt != "csv":  # the zip's chunks follow the compressor, not CHUNK
        assert max(len(c) for c in chunks) < 512 + 4096


def test_kumu_numbers_keep_their_own_text(rows):
    with zipfile.ZipFile(io.BytesIO(export(build_map(rows, TODAY), "csv"))) as zf:
        links = {r["ID"]: r for r in csv.DictReader(io.StringIO(zf.read("connections.csv").decode()))}
    assert links["rel:6"]["Strength"] == "1" and links["employ:1"]["Width"] == "1.0"
    assert links["rel:2"]["Stale"] == "true" and links["rel:1"]["Stale"] == "false"


def test_a_large_maps_computed_layout_is_the_same_every_time():
    """Above layout.LARGE nodes the layout starts from igraph's random positions: seeded, so
    two exports of the same map place every node alike, whatever else used ``random``."""
    import random

    from coalition.leverage.mapexport.layout import LARGE, map_positions
    from coalition.leverage.network.synthetic import TODAY as SYNTHETIC_TODAY
    from coalition.leverage.network.synthetic import synthetic_rows

    rows = synthetic_rows(LARGE + 500, seed=2)
    first = map_positions(build_map(rows, SYNTHETIC_TODAY))
    random.random()
    second = map_positions(build_map(rows, SYNTHETIC_TODAY))
    assert len(first) > LARGE and first == second
    assert len(set(first.values())) == len(first)  # spread out, not stacked
