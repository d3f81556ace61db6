"""The association's map: chapters that linked an insurer, the national profiles and the
shared contacts, weighted by each chapter's best path; exported in every format of the
chapter map, with nothing of any chapter's allies."""
from __future__ import annotations

import io
import json
import zipfile

import pytest
from lxml import etree

from coalition.association.network import association_map, reach_rows
from coalition.leverage import map_exports
from coalition.platform.extensions import db
from tests.leverage.mapexport.test_formats import SCHEMAS

SECRETS = ("Casey", "Morgan", "Sam Signup", "Reggie", "example.org", "ally:")


def test_the_map_of_the_world(app, world):
    with app.app_context():
        m = association_map(db.session)
        db.session.rollback()
    alpha, beta = world["alpha"], world["beta"]
    ids = {n.id: n.label for n in m.nodes}
    # By hand: both chapters linked their insurer to the one profile; Dana is the one shared
    # contact; omega linked nothing and does not appear.
    assert ids == {f"chapter:{alpha['chapter_id']}": "Alpha Chapter",
                   f"chapter:{beta['chapter_id']}": "Beta Chapter",
                   f"insurer:{alpha['profile_id']}": "National Health Plan",
                   f"contact:{alpha['shared_contact_id']}": "Dana Decider"}
    kinds = sorted((e.type, e.source.split(":")[0], e.target.split(":")[0]) for e in m.edges)
    # Each chapter's member knows Reggie Relations, who reports to Dana: both reach her.
    assert kinds == [("employment", "contact", "insurer"), ("linked", "chapter", "insurer"),
                     ("linked", "chapter", "insurer"), ("relationship", "chapter", "contact"),
                     ("relationship", "chapter", "contact")]
    for e in m.edges:
        if e.type != "employment":
            assert 0 < e.usable < 1 and e.width == round(1 + 4 * e.usable, 2)
    rows = reach_rows(m)
    assert {r[0] for r in rows} == {"Alpha Chapter", "Beta Chapter"}
    assert rows == sorted(rows, key=lambda r: (-r[2], r[0], r[1]))


@pytest.mark.parametrize("fmt", list(map_exports.formats()))
def test_every_format_downloads_and_names_no_ally(client, auth, world, fmt):
    auth.login(world["beta"]["member"])
    response = client.get(f"/association/map/export?format={fmt}")
    assert response.status_code == 200, response.status_code
    assert response.headers["Content-Disposition"].startswith("attachment")
    body = response.get_data()
    if fmt == "csv":
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            text = "".join(z.read(name).decode() for name in z.namelist())
    elif fmt == "png":
        assert body.startswith(b"\x89PNG")
        return
    else:
        text = body.decode()
    assert "Dana Decider" in text and "National Health Plan" in text
    for secret in SECRETS:
        assert secret not in text
    if fmt == "nodelink":
        graph = json.loads(text)
        assert {n["type"] for n in graph["nodes"]} == {"chapter", "insurer", "contact"}


def test_the_gexf_validates_against_the_official_schema(client, auth, world):
    xsd = SCHEMAS / "gexf-1.3" / "gexf.xsd"
    if not xsd.is_file():
        pytest.skip("GEXF schemas not found beside the repository")
    auth.login(world["admin"])
    body = client.get("/association/map/export?format=gexf").get_data()
    schema = etree.XMLSchema(etree.parse(str(xsd)))
    doc = etree.fromstring(body)
    assert schema.validate(doc), schema.error_log


def test_the_map_page(client, auth, world):
    auth.login(world["alpha"]["coordinator"])
    page = client.get("/association/map").get_data(as_text=True)
    assert "2 chapters linked to 1 insurer profile, with 1 shared contact." in page
    assert "Alpha Chapter" in page and "Dana Decider" in page
    assert all(secret not in page for secret in SECRETS[:4])
