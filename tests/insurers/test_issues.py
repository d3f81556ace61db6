"""Issues through the real forms: CRUD, filters, the stage history, the version guard and
other chapters' ids."""
from __future__ import annotations

import re
from datetime import date

from sqlalchemy import func, select

from coalition.accounts import service as accounts
from coalition.models import Chapter, Issue, IssueEvent, Stance
from coalition.platform.extensions import db
from tests import factories


def login(auth, email):
    assert auth.login(email).status_code == 302


def issue_data(insurer_id, **kw):
    data = {"title": "15% fee-schedule cut", "insurer_id": str(insurer_id),
            "category": "reimbursement_rate", "stage": "preparation",
            "description": "Cut announced for July.", "desired_outcome": "Keep 2025 rates.",
            "fallback": "Phase the cut over two years.",
            "coverage_gap_regions": "Harney, Malheur", "unique_services": "Pelvic-floor PT",
            "opened_on": "2026-03-02", "closed_on": ""}
    data.update(kw)
    return data


def hidden_version(html):
    tag = re.search(r'<input[^>]*name="version"[^>]*>', html).group(0)
    return re.search(r'value="([^"]*)"', tag).group(1)


def test_coordinator_opens_an_issue(app, client, auth, world):
    a = world["alpha"]
    login(auth, a["coordinator"])
    form = client.get("/c/alpha/issues/new").get_data(as_text=True)
    assert f'value="{date.today().isoformat()}"' in form  # opened today by default
    assert "Alpha Health Plan" in form and "Beta Health Plan" not in form
    response = client.post("/c/alpha/issues/new", data=issue_data(a["insurer_id"]))
    assert response.status_code == 302
    with app.app_context():
        issue = db.session.scalar(select(Issue).where(Issue.title == "15% fee-schedule cut"))
        assert (issue.chapter_id, issue.insurer_id, issue.stage, issue.opened_on) == (
            a["chapter_id"], a["insurer_id"], "preparation", date(2026, 3, 2))
        issue_id = issue.id
    html = "".join(client.get(f"/c/alpha/issues/{issue_id}/{part}").get_data(as_text=True)
                   for part in ("details", "plan"))
    for text in ("Keep 2025 rates.", "Phase the cut over two years.", "Harney, Malheur",
                 "Pelvic-floor PT", "Reimbursement rate / fee schedule", "Preparation"):
        assert text in html


def test_insurer_link_preselects_the_insurer(client, auth, world):
    login(auth, world["alpha"]["coordinator"])
    html = client.get(f"/c/alpha/issues/new?insurer_id={world['alpha']['insurer_id']}"
                      ).get_data(as_text=True)
    assert re.search(rf'<option selected value="{world["alpha"]["insurer_id"]}"|'
                     rf'<option value="{world["alpha"]["insurer_id"]}" selected', html)


def test_issue_form_errors_keep_typed_values(app, client, auth, world):
    login(auth, world["alpha"]["coordinator"])
    response = client.post("/c/alpha/issues/new", data=issue_data(
        world["alpha"]["insurer_id"], title="", opened_on="2026-03-02", closed_on="2026-01-01"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="title-error"' in html and 'id="closed_on-error"' in html
    assert "cannot be before the opening date" in html
    assert "Keep 2025 rates." in html and 'value="Harney, Malheur"' in html
    with app.app_context():
        assert db.session.scalar(select(func.count(Issue.id))) == 2


def test_issue_with_another_chapters_insurer_is_refused(app, client, auth, world):
    login(auth, world["alpha"]["coordinator"])
    response = client.post("/c/alpha/issues/new",
                           data=issue_data(world["beta"]["insurer_id"]))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="insurer_id-error"' in html
    response = client.post(f"/c/alpha/issues/{world['alpha']['issue_id']}/edit",
                           data=issue_data(world["beta"]["insurer_id"], version="1"))
    assert 'id="insurer_id-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Issue.id)).where(
            Issue.insurer_id == world["beta"]["insurer_id"])) == 1
        assert db.session.get(Issue, world["alpha"]["issue_id"]).insurer_id == \
            world["alpha"]["insurer_id"]


def test_members_may_not_change_issues(app, client, auth, world):
    a = world["alpha"]
    login(auth, a["member"])
    assert client.post("/c/alpha/issues/new", data=issue_data(a["insurer_id"])).status_code == 403
    assert client.post(f"/c/alpha/issues/{a['issue_id']}/edit",
                       data=issue_data(a["insurer_id"], version="1")).status_code == 403
    assert client.post(f"/c/alpha/issues/{a['issue_id']}/delete", data={"confirmed": "yes"}).status_code == 403
    html = client.get(f"/c/alpha/issues/{a['issue_id']}/history").get_data(as_text=True)
    assert "Edit issue" not in html and "Add entry" in html
    with app.app_context():
        assert db.session.get(Issue, a["issue_id"]).title == "12-visit annual cap"


def test_list_filters(app, client, auth, world):
    a = world["alpha"]
    with app.app_context():
        chapter = db.session.get(Chapter, a["chapter_id"])
        other = factories.insurer(db.session, chapter, "Other Insurer")
        factories.issue(db.session, other, "Prior auth after visit 6",
                        category="prior_authorization", stage="negotiation")
        factories.issue(db.session, other, "Old denials", category="claim_denial",
                        stage="resolved_agreement", closed_on=date(2026, 2, 1))
        db.session.commit()
        other_id = other.id
    login(auth, a["member"])

    def titles(query=""):
        html = client.get("/c/alpha/issues/" + query).get_data(as_text=True)
        return set(re.findall(r'data-label="Issue"><a [^>]*>([^<]+)</a>', html))

    assert titles() == {"12-visit annual cap", "Prior auth after visit 6"}
    assert titles("?status=closed") == {"Old denials"}
    assert titles("?status=all") == {"12-visit annual cap", "Prior auth after visit 6",
                                     "Old denials"}
    assert titles("?status=all&stage=negotiation") == {"Prior auth after visit 6"}
    assert titles("?status=all&category=visit_cap") == {"12-visit annual cap"}
    assert titles(f"?status=all&insurer={other_id}") == {"Prior auth after visit 6",
                                                         "Old denials"}
    # Nonsense in the address falls back to the default list, beta's rows never show.
    assert titles(f"?insurer={world['beta']['insurer_id']}") == {
        "12-visit annual cap", "Prior auth after visit 6"}


def test_stage_change_is_written_to_the_history(app, client, auth, world):
    a = world["alpha"]
    login(auth, a["coordinator"])
    url = f"/c/alpha/issues/{a['issue_id']}/edit"
    version = hidden_version(client.get(url).get_data(as_text=True))
    response = client.post(url, data=issue_data(a["insurer_id"], stage="negotiation",
                                                 version=version,
                                                 why="The insurer agreed to meet."))
    assert response.status_code == 302
    with app.app_context():
        events = db.session.scalars(select(IssueEvent).where(
            IssueEvent.issue_id == a["issue_id"], IssueEvent.kind == "stage_change")).all()
        assert len(events) == 1
        ev = events[0]
        assert ev.summary == "Stage changed from Relationship building to Negotiation"
        assert ev.details == "The insurer agreed to meet."
        assert ev.occurred_on == date.today()
        assert ev.created_by_id == accounts.find_user(db.session, a["coordinator"]).id
        issue = db.session.get(Issue, a["issue_id"])
        assert issue.stage == "negotiation" and issue.title == "15% fee-schedule cut"
    html = client.get(f"/c/alpha/issues/{a['issue_id']}/history").get_data(as_text=True)
    history = html[html.index('id="history"'):]
    # Newest first: today's stage change before the world's letter of 1 Feb 2026.
    assert history.index("Stage changed from") < history.index("Letter sent")
    assert "Recorded by coord-alpha" in history


def test_edit_without_stage_change_writes_no_event(app, client, auth, world):
    a = world["alpha"]
    login(auth, a["coordinator"])
    url = f"/c/alpha/issues/{a['issue_id']}/edit"
    version = hidden_version(client.get(url).get_data(as_text=True))
    response = client.post(url, data=issue_data(a["insurer_id"], stage="relationship_building",
                                                version=version))
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(IssueEvent.id)).where(
            IssueEvent.issue_id == a["issue_id"])) == 1


def test_final_stage_closes_the_issue(app, client, auth, world):
    a = world["alpha"]
    login(auth, a["coordinator"])
    url = f"/c/alpha/issues/{a['issue_id']}/edit"
    version = hidden_version(client.get(url).get_data(as_text=True))
    client.post(url, data=issue_data(a["insurer_id"], stage="resolved_agreement",
                                     version=version))
    with app.app_context():
        assert db.session.get(Issue, a["issue_id"]).closed_on == date.today()


def test_version_conflict_does_not_overwrite(app, client, auth, world):
    a = world["alpha"]
    login(auth, a["coordinator"])
    url = f"/c/alpha/issues/{a['issue_id']}/edit"
    version = hidden_version(client.get(url).get_data(as_text=True))
    # Someone else saves in the meantime.
    with app.app_context():
        issue = db.session.get(Issue, a["issue_id"])
        issue.title = "Annual cap: 12 visits (their title)"
        issue.stage = "escalation"
        db.session.commit()
        newer = issue.version
    assert str(newer) != version
    response = client.post(url, data=issue_data(a["insurer_id"], title="My typed title",
                                                 stage="negotiation", version=version,
                                                 why="My reason"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Someone else changed this issue" in html
    conflict = html[html.index('class="conflict"'):html.index("</section>")]
    assert "Annual cap: 12 visits (their title)" in conflict and "My typed title" in conflict
    assert "Escalation" in conflict and "Negotiation" in conflict
    assert 'value="My typed title"' in html and "My reason" in html
    assert hidden_version(html) == str(newer)
    with app.app_context():
        issue = db.session.get(Issue, a["issue_id"])
        assert (issue.title, issue.stage) == ("Annual cap: 12 visits (their title)", "escalation")
        assert db.session.scalar(select(func.count(IssueEvent.id)).where(
            IssueEvent.kind == "stage_change")) == 0
    # Having seen the saved values, saving again replaces them deliberately.
    response = client.post(url, data=issue_data(a["insurer_id"], title="My typed title",
                                                 stage="negotiation", version=str(newer)))
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Issue, a["issue_id"]).title == "My typed title"


def test_missing_version_is_treated_as_a_conflict(app, client, auth, world):
    a = world["alpha"]
    login(auth, a["coordinator"])
    response = client.post(f"/c/alpha/issues/{a['issue_id']}/edit",
                           data=issue_data(a["insurer_id"], title="No version"))
    assert "Someone else changed this issue" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Issue, a["issue_id"]).title == "12-visit annual cap"


def test_delete_issue_removes_its_history_and_stances(app, client, auth, world):
    a = world["alpha"]
    login(auth, a["coordinator"])
    response = client.post(f"/c/alpha/issues/{a['issue_id']}/delete", data={"confirmed": "yes"}, follow_redirects=True)
    assert "Deleted the issue “12-visit annual cap” with 1 history entry" in \
        response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Issue, a["issue_id"]) is None
        assert db.session.get(IssueEvent, a["event_id"]) is None
        assert db.session.get(Stance, a["stance_id"]) is None
        assert db.session.get(Issue, world["beta"]["issue_id"]) is not None


# --- history -------------------------------------------------------------------------

def event_data(**kw):
    data = {"occurred_on": "2026-03-10", "kind": "meeting",
            "summary": "Met the network manager", "details": "She will check the caps."}
    data.update(kw)
    return data


def test_member_adds_edits_and_deletes_own_history_entry(app, client, auth, world):
    a = world["alpha"]
    login(auth, a["member"])
    response = client.post(f"/c/alpha/issues/{a['issue_id']}/events", data=event_data())
    assert response.status_code == 302
    with app.app_context():
        ev = db.session.scalar(select(IssueEvent).where(
            IssueEvent.summary == "Met the network manager"))
        assert (ev.chapter_id, ev.issue_id, ev.kind, ev.occurred_on) == (
            a["chapter_id"], a["issue_id"], "meeting", date(2026, 3, 10))
        ev_id = ev.id
    html = client.get(f"/c/alpha/issues/{a['issue_id']}/history").get_data(as_text=True)
    history = html[html.index('id="history"'):]
    assert history.index("Met the network manager") < history.index("Letter sent")
    assert f"/c/alpha/issues/events/{ev_id}/edit" in html
    assert f"/c/alpha/issues/events/{a['event_id']}/edit" not in html  # coordinator's entry

    form = client.get(f"/c/alpha/issues/events/{ev_id}/edit").get_data(as_text=True)
    assert 'value="Met the network manager"' in form
    response = client.post(f"/c/alpha/issues/events/{ev_id}/edit",
                           data=event_data(summary="Met Nora", kind="call"))
    assert response.status_code == 302
    with app.app_context():
        ev = db.session.get(IssueEvent, ev_id)
        assert (ev.summary, ev.kind) == ("Met Nora", "call")

    assert client.post(f"/c/alpha/issues/events/{ev_id}/delete", data={"confirmed": "yes"}).status_code == 302
    with app.app_context():
        assert db.session.get(IssueEvent, ev_id) is None


def test_member_may_not_change_others_entries(app, client, auth, world):
    a = world["alpha"]
    login(auth, a["member"])
    assert client.post(f"/c/alpha/issues/events/{a['event_id']}/edit",
                       data=event_data()).status_code == 403
    assert client.post(f"/c/alpha/issues/events/{a['event_id']}/delete", data={"confirmed": "yes"}).status_code == 403
    with app.app_context():
        assert db.session.get(IssueEvent, a["event_id"]).summary == "Letter sent"


def test_coordinator_changes_any_entry(app, client, auth, world):
    a = world["alpha"]
    with app.app_context():
        issue = db.session.get(Issue, a["issue_id"])
        member = accounts.find_user(db.session, a["member"])
        ev = factories.event(db.session, issue, "Member's note", created_by_id=member.id)
        db.session.commit()
        ev_id = ev.id
    login(auth, a["coordinator"])
    assert client.post(f"/c/alpha/issues/events/{ev_id}/edit",
                       data=event_data(summary="Tidied")).status_code == 302
    assert client.post(f"/c/alpha/issues/events/{ev_id}/delete", data={"confirmed": "yes"}).status_code == 302


def test_history_form_errors_keep_typed_values(app, client, auth, world):
    a = world["alpha"]
    login(auth, a["member"])
    response = client.post(f"/c/alpha/issues/{a['issue_id']}/events",
                           data=event_data(summary="", occurred_on="not a date",
                                           details="Typed details stay."))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="summary-error"' in html and 'id="occurred_on-error"' in html
    assert "Typed details stay." in html and 'value="not a date"' in html
    response = client.post(f"/c/alpha/issues/{a['issue_id']}/events",
                           data=event_data(kind="bribe"))
    assert 'id="kind-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(IssueEvent.id)).where(
            IssueEvent.issue_id == a["issue_id"])) == 1


def test_other_chapters_issues_and_events_answer_404(client, auth, world):
    a = world["alpha"]
    login(auth, world["beta"]["coordinator"])
    assert client.get(f"/c/beta/issues/{a['issue_id']}").status_code == 404
    assert client.post(f"/c/beta/issues/{a['issue_id']}/events",
                       data=event_data()).status_code == 404
    assert client.post(f"/c/beta/issues/events/{a['event_id']}/delete", data={"confirmed": "yes"}).status_code == 404
    assert client.post(f"/c/beta/issues/{a['issue_id']}/delete", data={"confirmed": "yes"}).status_code == 404
