"""The parts of an issue's page: each its own address, what each shows, and forms that
return to the part they were posted from, with their errors and input shown there."""
import re

from tests.html_forms import find, path
from tests.outreach.helpers import login

A = "/c/alpha"


def test_each_part_has_its_address_and_marks_its_tab(client, world):
    w = world["alpha"]
    login(client, w["coordinator"])
    base = f"{A}/issues/{w['issue_id']}"
    for address, tab, shows in ((base, "Overview", "What matters most"),
                                (base + "/plan", "Plan", "Preparation:"),
                                (base + "/evidence", "Evidence", "Add a count"),
                                (base + "/history", "History", "Add to the history"),
                                (base + "/details", "Details", "Leverage factors")):
        html = client.get(address).get_data(as_text=True)
        assert re.search(rf'aria-current="page">{tab}</a>', html), address
        assert shows in html, address
        ids = re.findall(r'\sid="([^"]+)"', html)
        assert len(ids) == len(set(ids)), f"{address}: duplicate ids"
    overview = client.get(base).get_data(as_text=True)
    # The overview leaves the forms and the figures to the parts.
    assert "<form method=\"post\"" not in overview.split('aria-label="Parts of this issue"')[1]
    assert "Add a count" not in overview and "Plan 1 task" not in overview


def test_an_evidence_error_is_shown_on_the_evidence_part_with_the_input(client, world):
    w = world["alpha"]
    login(client, w["member"])
    page = client.get(f"{A}/issues/{w['issue_id']}/evidence").get_data(as_text=True)
    form = find(page, f"{A}/outreach/issues/{w['issue_id']}/evidence")
    response = client.post(path(form.action), data=form.data(count="-3", source="clinic survey"))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'aria-current="page">Evidence</a>' in html and 'id="count-error"' in html
    assert 'value="clinic survey"' in html
    done = client.post(path(form.action), data=form.data(count="3"))
    assert done.headers["Location"].endswith(f"/issues/{w['issue_id']}/evidence#add-evidence-h")


def test_a_stage_error_is_shown_on_the_plan_part_and_success_returns_there(client, world):
    w = world["alpha"]
    login(client, w["coordinator"])
    page = client.get(f"{A}/issues/{w['issue_id']}/plan").get_data(as_text=True)
    form = find(page, f"{A}/outreach/issues/{w['issue_id']}/stage")
    response = client.post(path(form.action), data=form.data(reason="They called back."))
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and 'aria-current="page">Plan</a>' in html
    assert "Choose the stage to move to." in html and "They called back." in html
    done = client.post(path(form.action), data=form.data(stage="negotiation", reason="They called back."))
    assert done.headers["Location"].endswith(f"/issues/{w['issue_id']}/plan#stage-h")


def test_the_history_form_returns_to_the_history(client, world):
    w = world["alpha"]
    login(client, w["member"])
    page = client.get(f"{A}/issues/{w['issue_id']}/history").get_data(as_text=True)
    form = find(page, f"{A}/issues/{w['issue_id']}/events")
    done = client.post(path(form.action), data=form.data(occurred_on="2026-03-01", kind="note", summary="Called"))
    assert done.headers["Location"].endswith(f"/issues/{w['issue_id']}/history")


def test_another_chapters_issue_parts_answer_404(client, world):
    login(client, world["beta"]["coordinator"])
    for part in ("", "/plan", "/evidence", "/history", "/details"):
        assert client.get(f"/c/beta/issues/{world['alpha']['issue_id']}{part}").status_code == 404


def test_help_pages_need_no_account(client, world):
    assert "Access path" in client.get("/help/glossary").get_data(as_text=True)
    assert "20 × W / (W + 20)" in client.get("/help/method").get_data(as_text=True)
