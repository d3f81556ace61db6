"""network.power: an issue's power map, server-rendered and scoped to the chapter; and the
map page's legend and filter chips."""
from __future__ import annotations

import re

from coalition.models import Chapter, Issue
from coalition.platform.extensions import db
from tests import factories


def _page(client, issue_id, query="", slug="alpha", status=200):
    response = client.get(f"/c/{slug}/map/power/{issue_id}{query}")
    assert response.status_code == status, response.data[:300]
    return response.get_data(as_text=True)


def _group(html: str, key: str) -> str:
    """The table section of one quadrant."""
    start = html.index(f'id="pm-{key}"')
    end = html.find('<section class="pm-group"', start + 1)
    return html[start:end if end > 0 else None]


def test_people_are_grouped_by_quadrant(client, auth, mapped):
    a = mapped["alpha"]
    auth.login(a["member"])
    html = _page(client, a["issue_id"])
    # Olive: patient organisation, influence 5, champion; Casey: medical, influence 3,
    # supporter; Dana: decision maker (5), Reggie: provider relations (2), no stance.
    assert "Olive Org" in _group(html, "champions")
    assert "Casey Coordinator-Ally" in _group(html, "grow")
    unknown = _group(html, "unknown")
    assert "Dana Decider" in unknown and "Reggie Relations" in unknown
    assert unknown.index("Dana Decider") < unknown.index("Reggie Relations")  # by influence
    assert "Nobody here" in _group(html, "watch") and "Nobody here" in _group(html, "win_over")
    # Wendy has no stance on the issue; Bea is beta's
    assert "Wendy West" not in html and "Bea Betaonly" not in html
    assert "4 people on the map" in html


def test_each_dot_links_to_the_person_with_a_name(client, auth, mapped):
    a = mapped["alpha"]
    auth.login(a["member"])
    html = _page(client, a["issue_id"])
    dot = re.search(r'<a class="pm-dot pm-k-patient_org" href="([^"]+)" aria-label="([^"]+)"', html)
    assert dot, "Olive's dot"
    assert dot.group(1) == f"/allies/{mapped['olive_id']}" or dot.group(1).endswith(f"/{mapped['olive_id']}")
    assert dot.group(2).startswith("Olive Org: Patient organisation, influence 5 of 5, stance champion")
    assert client.get(dot.group(1)).status_code == 200
    # a contact's dot opens its insurer's page
    contact = re.search(r'<a class="pm-dot pm-k-contact" href="([^"]+)" aria-label="Dana Decider', html)
    assert contact and client.get(contact.group(1)).status_code == 200


def test_an_ally_without_consent_keeps_their_pseudonym(client, auth, app, world):
    a = world["alpha"]
    with app.app_context():
        alpha = db.session.get(Chapter, a["chapter_id"])
        hidden = factories.ally(db.session, alpha, "Secret Sue", "other", influence=4)
        factories.stance(db.session, hidden, db.session.get(Issue, a["issue_id"]), "opposed")
        db.session.commit()
        hidden_id = hidden.id
    auth.login(a["member"])
    html = _page(client, a["issue_id"])
    assert "Secret Sue" not in html
    assert f"Ally {hidden_id}" in _group(html, "win_over")
    found = _page(client, a["issue_id"], "?q=Sue")  # a real name finds nobody hidden
    assert "Nobody matches these filters." in found and f"Ally {hidden_id}" not in found


def test_filters_are_the_maps(client, auth, mapped):
    a = mapped["alpha"]
    auth.login(a["coordinator"])
    html = _page(client, a["issue_id"], "?kind=patient_org")
    assert "Olive Org" in html and "Casey Coordinator-Ally" not in html
    assert "Dana Decider" in html  # contacts stay, as on the map
    assert re.search(r'name="kind" value="patient_org" checked', html)
    html = _page(client, a["issue_id"], "?stance=supporter")
    assert "Casey Coordinator-Ally" in html and "Olive Org" not in html
    html = _page(client, a["issue_id"], "?q=olive")
    assert "Olive Org" in html and "Dana Decider" not in html
    html = _page(client, a["issue_id"], "?region=Nowhere&kind=bogus")  # unknown values ignored
    assert "Olive Org" in html


def test_another_chapters_issue_is_not_found(client, auth, mapped):
    auth.login(mapped["alpha"]["member"])
    _page(client, mapped["beta"]["issue_id"], status=404)
    _page(client, 999999, status=404)
    _page(client, mapped["alpha"]["issue_id"], slug="beta", status=404)  # not a member there


def test_the_issue_page_and_the_map_link_to_the_power_map(client, auth, mapped):
    a = mapped["alpha"]
    auth.login(a["member"])
    issue_page = client.get(f"/c/alpha/issues/{a['issue_id']}").get_data(as_text=True)
    assert f'/c/alpha/map/power/{a["issue_id"]}' in issue_page
    assert f'/c/alpha/map/?issue={a["issue_id"]}' in issue_page
    map_page = client.get(f"/c/alpha/map/?issue={a['issue_id']}").get_data(as_text=True)
    assert f'/c/alpha/map/power/{a["issue_id"]}' in map_page


def test_map_filters_are_chips_and_the_legend_names_kinds_as_the_app_does(client, auth, mapped):
    auth.login(mapped["alpha"]["member"])
    html = client.get("/c/alpha/map/?kind=other").get_data(as_text=True)
    assert "<select" not in html.split('id="map-filters"')[1].split("</form>")[0].replace(
        '<select id="f-issue"', "")  # only the issue is a select; no multi-selects
    assert 'type="checkbox" name="kind" value="other" checked' in html
    assert "Ctrl" not in html
    legend = client.get("/c/alpha/map/data.json").get_json()["legend"]
    kinds = {k["kind"]: k["label"] for k in legend["kinds"]}
    assert kinds["other"] == "Other" and kinds["regulator"] == "Insurance commissioner / regulator"
    assert {s["stance"]: s["label"] for s in legend["stances"]}["champion"] == "Champion"
