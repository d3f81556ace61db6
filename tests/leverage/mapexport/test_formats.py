"""Every format read back by an independent reader, on the hand-built chapter of conftest.py
(17 nodes, 14 edges, ally 2 pseudonymised as "Patient 2")."""
from __future__ import annotations

import csv
import io
import json
import struct
import zipfile
from pathlib import Path

import igraph
import networkx as nx
import pytest
from lxml import etree

from coalition.leverage.mapexport import FORMATS, MapFilters, build_map, export
from coalition.leverage.mapexport.html import MissingAsset, write_html

from .conftest import CONTACT_DETAILS, FORMULA_ALLY, TODAY

REPO = Path(__file__).resolve().parents[3]
SCHEMAS = REPO / ".." / "shared" / "schemas"
CYTOSCAPE = REPO / "node_modules" / "cytoscape" / "dist" / "cytoscape.min.js"
needs_cytoscape = pytest.mark.skipif(not CYTOSCAPE.is_file(), reason="node_modules/cytoscape missing: run make setup")
SECRETS = ("Secret Clinic", "secret@example.org", "555-0102", "<script>alert(1)", "&lt;script&gt;")


@pytest.fixture
def full(rows):
    return build_map(rows, TODAY, positions={"ally:1": (10.0, -20.0)})


def _formats():
    return [f for f in FORMATS if f != "html" or CYTOSCAPE.is_file()]


def text_of(fmt: str, data: bytes) -> str:
    if fmt == "csv":
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return "\n".join(zf.read(n).decode() for n in zf.namelist())
    if fmt == "png":
        return data.decode("latin-1")
    return data.decode("utf-8")


def test_graphml_read_back_by_networkx_and_igraph(full, tmp_path):
    data = export(full, "graphml")
    G = nx.read_graphml(io.BytesIO(data))
    assert (G.number_of_nodes(), G.number_of_edges()) == (17, 14)
    a1 = G.nodes["ally:1"]
    assert (a1["label"], a1["kind"], a1["influence"], a1["region"], a1["x"], a1["y"]) == (
        "Alice Advocate", "patient_org", 4, "north", 10.0, -20.0)
    assert a1["colour"] == "#F28E2B" and a1["map_shape"] == "ellipse" and "shape" not in a1
    assert a1["pseudonymised"] is False
    assert G.nodes["ally:2"]["label"] == "Patient 2" and G.nodes["ally:2"]["pseudonymised"] is True
    e = G.edges["member:1", "ally:1"]
    assert (e["id"], e["strength"], e["stale"], e["owner"]) == ("rel:1", 4, False, "member:1")
    assert G.edges["member:1", "ally:2"]["stale"] is True
    path = tmp_path / "m.graphml"
    path.write_bytes(data)
    g = igraph.Graph.Read_GraphML(str(path))
    assert (g.vcount(), g.ecount()) == (17, 14)
    v = g.vs.find(id="contact:2")
    assert (v["label"], v["role"], v["type"]) == ("Reggie Relations", "provider_relations", "contact")
    assert sorted(g.es["type"]) == sorted(x.type for x in full.edges)
    assert sorted(g.es["stale"]) == [False] * 12 + [True] * 2
    # yEd's graphics: a ShapeNode with a fill colour and a shape for every node
    root = etree.fromstring(data)
    y = "{http://www.yworks.com/xml/graphml}"
    assert len(root.findall(f".//{y}ShapeNode")) == 17
    shapes = {s.get("type") for s in root.iter(f"{y}Shape")}
    assert shapes == {"diamond", "ellipse", "roundrectangle", "hexagon", "star5"}
    assert len(root.findall(f".//{y}LineStyle[@type='dashed']")) == 2  # r2, r3


def test_gexf_validates_against_official_xsd(full):
    xsd = SCHEMAS / "gexf-1.3" / "gexf.xsd"
    if not xsd.is_file():
        pytest.skip(f"GEXF schemas not found at {SCHEMAS.resolve()} (shared/schemas beside the repo)")
    schema = etree.XMLSchema(etree.parse(str(xsd)))
    data = export(full, "gexf")
    doc = etree.fromstring(data)
    assert schema.validate(doc), schema.error_log
    ns = {"g": "http://gexf.net/1.3"}
    assert len(doc.findall(".//g:node", ns)) == 17 and len(doc.findall(".//g:edge", ns)) == 14
    n = doc.find(".//g:node[@id='ally:1']", ns)
    assert n.get("label") == "Alice Advocate"
    assert n.find("g:color", ns).attrib == {"r": "242", "g": "142", "b": "43"}
    assert n.find("g:position", ns).get("x") == "10.0"
    assert n.find("g:attvalues/g:attvalue[@for='region']", ns).get("value") == "north"
    # networkx reads nodes, edges and attributes
    G = nx.read_gexf(io.BytesIO(data))
    assert (G.number_of_nodes(), G.number_of_edges()) == (17, 14)
    assert G.nodes["ally:2"]["label"] == "Patient 2" and G.nodes["ally:3"]["kind"] == "medical"


def test_cytoscape_json(full):
    doc = json.loads(export(full, "cytoscape"))
    nodes, edges = doc["elements"]["nodes"], doc["elements"]["edges"]
    assert len(nodes) == 17 and len(edges) == 14
    assert all(set(n["position"]) == {"x", "y"} for n in nodes)
    a1 = next(n for n in nodes if n["data"]["id"] == "ally:1")
    assert a1["position"] == {"x": 10.0, "y": -20.0} and a1["data"]["colour"] == "#F28E2B"
    ids = {n["data"]["id"] for n in nodes}
    assert all(e["data"]["source"] in ids and e["data"]["target"] in ids for e in edges)
    assert len({e["data"]["id"] for e in edges}) == 14
    assert sum(e.get("classes") == "stale" for e in edges) == 2
    assert any(s["selector"] == "edge.stale" for s in doc["style"])


def test_nodelink_json_reads_into_networkx(full):
    doc = json.loads(export(full, "nodelink"))
    assert "edges" in doc and "links" not in doc  # networkx 3.6's default key
    G = nx.node_link_graph(doc)
    assert (G.number_of_nodes(), G.number_of_edges()) == (17, 14)
    assert G.nodes["contact:1"]["title"] == "VP Networks"
    assert G.edges["ally:4", "insurer:1"]["id"] == "oversight:4-1"


def test_kumu_zip(full):
    with zipfile.ZipFile(io.BytesIO(export(full, "csv"))) as zf:
        assert sorted(zf.namelist()) == ["connections.csv", "elements.csv"]
        elements = list(csv.DictReader(io.StringIO(zf.read("elements.csv").decode())))
        connections = list(csv.DictReader(io.StringIO(zf.read("connections.csv").decode())))
    assert len(elements) == 17 and len(connections) == 14
    assert list(elements[0])[:5] == ["ID", "Label", "Type", "Description", "Tags"]
    assert list(connections[0])[:4] == ["From", "To", "Type", "Strength"]
    by = {r["ID"]: r for r in elements}
    assert by["ally:3"]["Label"] == "'" + FORMULA_ALLY
    assert by["ally:6"]["Label"] == "'+1" and by["ally:7"]["Label"] == "'@cmd"
    assert by["ally:8"]["Label"] == "'\tTabbed" and by["contact:3"]["Label"] == "'\rCarriage Return"
    assert by["member:2"]["Label"] == "'-2 minus"
    assert by["ally:5"]["Label"] == 'Q "quote" & amp'
    assert by["ally:2"]["Label"] == "Patient 2" and by["ally:2"]["Region"] == ""
    # Descriptions are read by people in Kumu: kinds by their names, not their codes.
    assert all(" (influence " not in r["Description"] or "_" not in r["Description"] for r in elements)
    assert by["ally:2"]["Description"].startswith("Patient (influence ")
    assert "Email" not in elements[0]
    for row in elements + connections:
        for cell in row.values():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    r1 = next(r for r in connections if r["ID"] == "rel:1")
    assert (r1["From"], r1["To"], r1["Strength"], r1["Stale"]) == ("member:1", "ally:1", "4", "false")


def test_svg_is_valid_xml_with_every_node(full):
    root = etree.fromstring(export(full, "svg"))
    svg = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{svg}svg"
    shapes = root.find(f".//{svg}g[@id='nodes']")
    assert len(shapes) == 17
    assert len(root.find(f".//{svg}g[@id='links']")) == 14
    labels = [t.text for t in root.find(f".//{svg}g[@id='labels']")]
    assert "Patient 2" in labels and 'Q "quote" & amp' in labels
    assert root.find(f"{svg}g[@id='legend']") is not None


def test_png_reads_back(full):
    data = export(full, "png")
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1675, 1312)  # a title band on top, a legend wide enough for the kinds' names
    from PIL import Image

    img = Image.open(io.BytesIO(data))
    img.load()
    assert img.size == (1675, 1312) and len(img.getcolors(2 ** 20)) > 5


@needs_cytoscape
def test_html_is_self_contained_and_escaped(full):
    page = export(full, "html").decode()
    library = CYTOSCAPE.read_text()
    assert library in page
    own = page.replace(library, "")
    assert "<script>alert" not in own and "http://" not in own.replace('"http://x', "")
    assert "src=" not in own  # nothing loaded from elsewhere
    start = own.index('<script type="application/json" id="map-data">') + len(
        '<script type="application/json" id="map-data">')
    block = own[start:own.index("</script>", start)]
    assert "<" not in block and ">" not in block and "&" not in block
    doc = json.loads(block)
    assert len(doc["elements"]["nodes"]) == 17 and len(doc["elements"]["edges"]) == 14
    labels = {n["data"]["id"]: n["data"]["label"] for n in doc["elements"]["nodes"]}
    assert labels["ally:2"] == "Patient 2" and labels["ally:3"] == FORMULA_ALLY


def test_html_without_cytoscape_names_make_setup(full, tmp_path):
    with pytest.raises(MissingAsset, match="make setup"):
        write_html(full, library=tmp_path / "missing.js")


@pytest.mark.parametrize("fmt", _formats())
def test_hostile_names_privacy_and_determinism(rows, fmt):
    plain = build_map(rows, TODAY, contact_details=CONTACT_DETAILS)
    data = export(plain, fmt)
    assert data == export(plain, fmt)
    text = text_of(fmt, data)
    for secret in SECRETS + ("alice@example.org", "mia@example.org", "555-0101"):
        assert secret not in text, (fmt, secret)
    for ch in "\x00\x07\x1b":
        assert ch not in text or fmt == "png"
    if fmt in ("graphml", "gexf", "svg"):
        etree.fromstring(data)  # well-formed despite quotes, & and control characters
    asked = build_map(rows, TODAY, include_contact_details=True, contact_details=CONTACT_DETAILS)
    text = text_of(fmt, export(asked, fmt))
    if fmt not in ("png", "svg"):  # the pictures show no contact details at all
        assert "alice@example.org" in text and "mia@example.org" in text
    for secret in SECRETS:
        assert secret not in text, (fmt, secret)


@pytest.mark.parametrize("fmt", _formats())
def test_filters_reduce_every_format(rows, fmt):
    small = build_map(rows, TODAY, filters=MapFilters(issue_id=1))
    assert len(small.nodes) == 8
    text = text_of(fmt, export(small, fmt))
    if fmt != "png":
        assert "Fee cut" not in text and "Beacon Care" not in text and "12-visit cap" in text


def test_unknown_format(full):
    with pytest.raises(ValueError, match="unknown format"):
        export(full, "pdf")
