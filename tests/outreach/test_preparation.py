"""Stages with a reason in the history, and the preparation checklist."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from coalition.models import InsurerContact, Issue, IssueEvent, User
from coalition.models.outreach import PreparationTick
from coalition.platform.extensions import db
from tests import factories
from tests.outreach.helpers import get, login

URL = "/c/alpha/outreach"


def test_move_to_stage_writes_a_dated_entry_with_who_and_why(app, client, world):
    w = world["alpha"]
    login(client, w["coordinator"])
    response = client.post(f"{URL}/issues/{w['issue_id']}/stage",
                           data={"stage": "negotiation", "reason": "The insurer agreed to meet."})
    assert response.status_code == 302
    issue = get(app, Issue, w["issue_id"])
    assert issue.stage == "negotiation" and issue.closed_on is None
    with app.app_context():
        event = db.session.scalar(select(IssueEvent).where(
            IssueEvent.issue_id == w["issue_id"], IssueEvent.kind == "stage_change"))
        assert event.occurred_on == date.today()
        assert event.details == "The insurer agreed to meet."
        assert "Negotiation" in event.summary
        assert db.session.get(User, event.created_by_id).email == w["coordinator"]
    page = client.get(f"/c/alpha/issues/{w['issue_id']}/history").get_data(as_text=True)
    assert "The insurer agreed to meet." in page


def test_a_resolution_stage_closes_the_issue(app, client, world):
    w = world["alpha"]
    login(client, w["coordinator"])
    client.post(f"{URL}/issues/{w['issue_id']}/stage",
                data={"stage": "resolved_agreement", "reason": "Cap lifted to 30 visits."})
    assert get(app, Issue, w["issue_id"]).closed_on == date.today()
    client.post(f"{URL}/issues/{w['issue_id']}/stage",
                data={"stage": "escalation", "reason": "They went back on it."})
    issue = get(app, Issue, w["issue_id"])
    assert issue.stage == "escalation" and issue.closed_on is None


def test_stage_change_needs_a_reason_and_keeps_what_was_typed(app, client, world):
    w = world["alpha"]
    login(client, w["coordinator"])
    response = client.post(f"{URL}/issues/{w['issue_id']}/stage",
                           data={"stage": "escalation", "reason": "  "})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="reason-error"' in html
    assert '<option selected value="escalation">' in html or \
        'value="escalation" selected' in html
    response = client.post(f"{URL}/issues/{w['issue_id']}/stage",
                           data={"stage": "no-such-stage", "reason": "why"})
    assert response.status_code == 400
    response = client.post(f"{URL}/issues/{w['issue_id']}/stage",
                           data={"stage": "relationship_building", "reason": "same"})
    assert response.status_code == 400 and "already at the stage" in response.get_data(
        as_text=True)
    assert get(app, Issue, w["issue_id"]).stage == "relationship_building"


def test_members_cannot_change_the_stage(app, client, world):
    w = world["alpha"]
    login(client, w["member"])
    response = client.post(f"{URL}/issues/{w['issue_id']}/stage",
                           data={"stage": "negotiation", "reason": "x"})
    assert response.status_code == 403


def _progress(client, issue_id):
    html = client.get(f"/c/alpha/issues/{issue_id}/plan").get_data(as_text=True)
    import re
    match = re.search(r"Preparation: (\d) of 6 done", html)
    assert match, "no checklist on the issue page"
    return int(match.group(1)), html


def test_checklist_is_ticked_from_the_data(app, client, world):
    w = world["alpha"]
    login(client, w["coordinator"])
    # The world: a decision maker and one evidence count; one contact reports to another.
    done, html = _progress(client, w["issue_id"])
    assert done == 2
    assert "<progress" in html and "2 of 6" in html
    with app.app_context():
        session = db.session
        issue = session.get(Issue, w["issue_id"])
        insurer = issue.insurer
        boss = session.get(InsurerContact, w["boss_contact_id"])
        for name in ("A", "B"):
            factories.contact(session, insurer, f"Analyst {name}", "other", reports_to_id=boss.id)
        factories.event(session, issue, "Second")
        factories.event(session, issue, "Third")
        issue.desired_outcome, issue.fallback = "No cap", "A cap of 40 visits"
        from coalition.leverage.network.scoring import COVERAGE_KINDS
        for kind in COVERAGE_KINDS:
            ally = factories.ally(session, _chapter(session, w), f"Ally {kind}", kind)
            factories.stance(session, ally, issue, "supporter")
        session.commit()
    done, html = _progress(client, w["issue_id"])
    assert done == 6


def _chapter(session, w):
    from coalition.models import Chapter
    return session.get(Chapter, w["chapter_id"])


def test_allies_item_names_the_missing_kinds(app, client, world):
    w = world["alpha"]
    login(client, w["coordinator"])
    _, html = _progress(client, w["issue_id"])
    assert "Still missing: patient" in html  # only the medical community is committed


def test_coordinator_ticks_and_unticks_by_hand(app, client, world):
    w = world["alpha"]
    login(client, w["coordinator"])
    response = client.post(f"{URL}/issues/{w['issue_id']}/checklist",
                           data={"item": "history", "done": "1"})
    assert response.status_code == 302
    assert _progress(client, w["issue_id"])[0] == 3
    client.post(f"{URL}/issues/{w['issue_id']}/checklist", data={"item": "history", "done": "1"})
    with app.app_context():
        assert len(db.session.scalars(select(PreparationTick)).all()) == 1
    client.post(f"{URL}/issues/{w['issue_id']}/checklist", data={"item": "history", "done": "0"})
    assert _progress(client, w["issue_id"])[0] == 2
    response = client.post(f"{URL}/issues/{w['issue_id']}/checklist",
                           data={"item": "bogus", "done": "1"}, follow_redirects=True)
    assert "Choose an item of the checklist." in response.get_data(as_text=True)


def test_members_cannot_tick(app, client, world):
    w = world["alpha"]
    login(client, w["member"])
    response = client.post(f"{URL}/issues/{w['issue_id']}/checklist",
                           data={"item": "history", "done": "1"})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.scalars(select(PreparationTick)).all() == []
