"""The pickers through the real forms: the no-JavaScript Find keeps what was typed, the
value sent is checked against the chapter; the regions page adds, renames and merges."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from coalition.allies import regions
from coalition.models import Ally, Chapter, Relationship
from coalition.models.allies import Region
from coalition.platform.extensions import db
from tests import factories
from tests.allies.test_records import login

A = "/c/alpha"
API = "/api/v1"


def options(html: str, name: str) -> list[tuple[str, str]]:
    select_html = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option (?:selected )?value="([^"]*)">([^<]*)</option>', select_html)


def test_find_without_javascript_lists_matches_and_keeps_the_typed_fields(app, client, world):
    w = world["alpha"]
    login(client, w["coordinator"])
    response = client.post(f"{A}/relationships/new", data={
        "a": f"member:{w['coordinator_membership_id']}", "kind": "works_with", "strength": "4",
        "notes": "Met at the state conference", "b": "", "b-q": "  REGG ", "find": "b"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Met at the state conference" in html and '<option selected value="works_with">' in html
    # One match is chosen already; the person still presses Save.
    assert options(html, "b") == [("", "Choose…"), (f"contact:{w['contact_id']}",
                                                     "Reggie Relations (insurer contact, provider-relations "
                                                     "representative, Alpha Health Plan)")]
    assert '<option selected value="contact:' in html
    assert "1 match for “REGG”" in html
    with app.app_context():
        assert db.session.scalar(select(func.count(Relationship.id))) == 4  # nothing saved


def test_find_says_when_nothing_matches(client, world):
    login(client, world["alpha"]["coordinator"])
    html = client.post(f"{A}/outreach/tasks/new", data={
        "title": "Call someone", "target-q": "zzz", "find": "target"}).get_data(as_text=True)
    assert "Nothing matches “zzz”" in html and 'value="Call someone"' in html


def test_a_foreign_or_unknown_id_is_a_clear_field_error(app, client, world):
    w, beta = world["alpha"], world["beta"]
    login(client, w["coordinator"])
    for target in (f"ally:{beta['ally_id']}", "ally:0", "typed:Casey"):
        html = client.post(f"{A}/outreach/tasks/new", data={
            "title": "Call", "kind": "call", "issue_id": w["issue_id"], "target": target,
            "owner_member_id": w["coordinator_membership_id"], "status": "planned"}).get_data(as_text=True)
        assert 'id="target-error"' in html and "Not found in this chapter" in html, target
    html = client.post(f"{A}/outreach/touchpoints/new", data={
        "relationship_id": beta["relationship_id"], "occurred_on": "2026-01-05", "channel": "call",
        "summary": "x"}).get_data(as_text=True)
    assert 'id="relationship_id-error"' in html


def test_the_ally_form_chooses_a_listed_region(app, client, world):
    w = world["alpha"]
    login(client, w["coordinator"])
    data = {"name": "Nora North", "kind": "patient", "influence": "3", "region": "Nowhere Land"}
    html = client.post(f"{A}/allies/new", data=data).get_data(as_text=True)
    assert "Not one of the chapter&#39;s regions" in html or "Not one of the chapter's regions" in html
    assert 'value="Nora North"' in html
    html = client.post(f"{A}/allies/new", data=dict(data, region="", **{"region-q": "ore", "find": "region"})
                       ).get_data(as_text=True)
    assert options(html, "region") == [("", "No region"), ("Oregon", "Oregon")]
    response = client.post(f"{A}/allies/new", data=dict(data, region="oregon"))
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Ally.region).where(Ally.name == "Nora North")) == "Oregon"


def test_the_api_refuses_an_unknown_region_and_matches_a_known_one_in_any_case(app, client, world):
    from tests.api.conftest import token_for

    with app.app_context():
        secret = token_for(world)
    headers = {"Authorization": f"Bearer {secret}"}
    bad = client.post(f"{API}/allies", json={"name": "X", "region": "Portland Metr"}, headers=headers)
    assert bad.status_code == 422
    assert bad.json["error"]["fields"]["region"].startswith("“Portland Metr” is not one of the chapter's regions.")
    good = client.post(f"{API}/allies", json={"name": "X", "region": " OREGON "}, headers=headers)
    assert good.status_code == 201 and good.json["region"] == "Oregon"


def test_regions_page_adds_renames_and_merges(app, client, world):
    w = world["alpha"]
    login(client, w["coordinator"])
    assert client.get(f"{A}/regions/").status_code == 200
    assert client.post(f"{A}/regions/", data={"name": "  Portland   Metr "}).status_code == 302
    html = client.post(f"{A}/regions/", data={"name": "portland metr"}).get_data(as_text=True)
    assert "“Portland Metr” is already in the list." in html
    with app.app_context():
        typo = db.session.scalar(select(Region).where(Region.name == "Portland Metr"))
        ch = db.session.get(Chapter, w["chapter_id"])
        factories.ally(db.session, ch, "Tia Typo", region="Portland Metr")
        kept = regions.add(db.session, ch.id, "Portland Metro")
        db.session.commit()
        typo_id, kept_id, oregon = typo.id, kept.id, w["region_id"]
    # Rename: every ally follows; a name already listed is refused.
    html = client.post(f"{A}/regions/{oregon}", data={"name": "Portland Metro"}).get_data(as_text=True)
    assert "already in the list: merge the two instead" in html
    assert client.post(f"{A}/regions/{oregon}", data={"name": "Oregon State"}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Ally.region).where(Ally.id == w["ally_id"])) == "Oregon State"
    # Merge: asked first by GET, done by POST; the allies move, the region leaves the list.
    page = client.get(f"{A}/regions/{typo_id}/merge?into={kept_id}").get_data(as_text=True)
    assert "Merge “Portland Metr” into “Portland Metro”?" in page
    with app.app_context():
        assert db.session.get(Region, typo_id) is not None  # nothing changed by asking
    response = client.post(f"{A}/regions/{typo_id}/merge", data={"into": kept_id, "confirmed": "yes"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Region, typo_id) is None
        assert db.session.scalar(select(Ally.region).where(Ally.name == "Tia Typo")) == "Portland Metro"
    # Another chapter's region answers 404, as into or as the region merged.
    beta_region = world["beta"]["region_id"]
    assert client.get(f"{A}/regions/{kept_id}/merge?into={beta_region}").status_code in (200, 404)
    assert "Not a valid choice" in client.get(f"{A}/regions/{kept_id}/merge?into={beta_region}").get_data(
        as_text=True)
    assert client.get(f"{A}/regions/{beta_region}").status_code == 404


def test_members_may_not_change_regions(client, world):
    login(client, world["alpha"]["member"])
    assert client.get(f"{A}/regions/").status_code == 403
    assert client.post(f"{A}/regions/", data={"name": "Sneaky"}).status_code == 403
