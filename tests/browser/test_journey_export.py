"""Journey: a coordinator opens the ally map and downloads it for Gephi (GEXF) and for
Kumu (CSV, first without contact details, then with them), then, for one issue, for yEd
(GraphML). Each download has a telling file name and holds the allies the map shows;
e-mail addresses only when asked for, and only of allies who consented."""
from __future__ import annotations

import csv
import io
import zipfile

from lxml import etree

from tests.browser.conftest import PHONE, WIDE, expect, go, login, look, screenshot

# alpha's active allies; Morgan Member gave no consent to be named: a pseudonym.
NAMED_ALLIES = {"Casey Coordinator-Ally", "Olive Org", "Gus Group", "Rita Regulator",
                "Lee Legislator", "Pia Patient"}


def _download(page, link: str, tmp_path) -> tuple[str, bytes]:
    page.get_by_text("Export", exact=True).click()  # the menu opens (or closes) on a click
    with page.expect_download() as info:
        page.get_by_role("link", name=link).click()
    download = info.value
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    page.get_by_text("Export", exact=True).click()
    return download.suggested_filename, target.read_bytes()


def _kumu_elements(body: bytes) -> list[dict]:
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        assert sorted(archive.namelist()) == ["connections.csv", "elements.csv"]
        return list(csv.DictReader(io.StringIO(archive.read("elements.csv").decode("utf-8"))))


def test_export_the_map_for_gephi_kumu_and_yed(page, live, tmp_path):
    base, world, _ = live
    login(page, base, world["alpha"]["coordinator"])
    go(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Map"))
    expect(page.get_by_role("status").filter(has_text="Showing")).to_have_text("Showing 13 nodes and 13 links.")
    look(page, "map-page")
    page.set_viewport_size(PHONE)  # on a phone the menu opens within the screen
    page.get_by_text("Export", exact=True).click()
    menu = page.locator(".export-menu ul").bounding_box()
    assert menu["x"] >= 0 and menu["x"] + menu["width"] <= 390, menu
    screenshot(page, "map-export-menu-phone")
    page.get_by_text("Export", exact=True).click()
    page.set_viewport_size(WIDE)

    name, body = _download(page, "GEXF (Gephi)", tmp_path)
    assert name == "alpha-map.gexf"
    gexf = etree.fromstring(body)
    labels = {node.get("label") for node in gexf.iter("{*}node")}
    assert len(labels) == 13
    assert NAMED_ALLIES | {"coord-alpha", "member-alpha", "Dana Decider", "Alpha Health Plan"} <= labels
    assert "Morgan Member" not in labels and "Sam Signup" not in labels  # no consent; pending
    assert len(list(gexf.iter("{*}edge"))) == 13

    name, body = _download(page, "Kumu CSV (zip of nodes and links)", tmp_path)
    assert name == "alpha-map.zip"
    elements = _kumu_elements(body)
    allies = {row["Label"]: row for row in elements if row["Type"] == "ally"}
    assert NAMED_ALLIES <= set(allies) and len(allies) == 7
    assert allies["Olive Org"]["Description"] == "Patient organisation (influence 5)"
    assert "Email" not in elements[0]  # contact details stay out unless asked for

    page.get_by_text("Export", exact=True).click()
    page.get_by_label("Include e-mail and phone").check()
    page.get_by_text("Export", exact=True).click()
    name, body = _download(page, "Kumu CSV (zip of nodes and links)", tmp_path)
    emails = {row["Label"]: row["Email"] for row in _kumu_elements(body)
              if row["Email"] and row["Type"] == "ally"}
    assert emails == {"Olive Org": "olive@example.org", "Gus Group": "gus@example.org",
                      "Rita Regulator": "rita@example.org", "Lee Legislator": "lee@example.org",
                      "Pia Patient": "pia@example.org", "Casey Coordinator-Ally": "casey-alpha@example.org"}

    # One issue's map, for yEd.
    page.get_by_label("Issue").select_option(label="12-visit annual cap")
    go(page, page.get_by_role("button", name="Apply filters"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ally map: 12-visit annual cap")
    name, body = _download(page, "GraphML (yEd, Gephi)", tmp_path)
    assert name == f"alpha-map-issue-{world['alpha']['issue_id']}.graphml"
    graphml = etree.fromstring(body)
    keys = {key.get("id"): key.get("attr.name") for key in graphml.iter("{*}key")}
    label_key = next(k for k, v in keys.items() if v == "label")
    names = {data.text for data in graphml.iter("{*}data") if data.get("key") == label_key}
    # The allies with a stance on the issue, the members, the insurer and its contacts.
    assert names == {"12-visit annual cap", "Alpha Health Plan", "Dana Decider", "Reggie Relations",
                     "coord-alpha", "member-alpha", "Casey Coordinator-Ally", "Olive Org", "Pia Patient"}
    assert b"@example.org" not in body  # the page was loaded again: no contact details asked for
