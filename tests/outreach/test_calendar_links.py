"""The secret calendar address: made on "My tasks", fetched without a cookie, stable UIDs,
new link and turning off, and nothing of another chapter or of people who left."""
from __future__ import annotations

import html
import re

import icalendar
from sqlalchemy import select

from coalition.models import IssueEvent, Membership, User
from coalition.models.notices import CalendarLink
from coalition.models.outreach import Task
from coalition.platform.extensions import db
from tests.outreach.helpers import login

MINE = "/c/alpha/outreach/mine"
NEW = "/c/alpha/outreach/calendar/new"
OFF = "/c/alpha/outreach/calendar/revoke"


def make_link(client, confirmed=False) -> str:
    response = client.post(NEW, data={"confirmed": "yes"} if confirmed else {})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = html.unescape(response.get_data(as_text=True))
    assert "Copy it now: it is shown only this once." in page
    url = re.search(r'id="calendar-url"[^>]*value="([^"]+)"', page).group(1)
    assert url.startswith("http://localhost/calendar/") and url.endswith(".ics")
    return url.removeprefix("http://localhost")


def fetch(app, path):
    """As a calendar app: a new client, no cookie."""
    return app.test_client().get(path)


def events(response) -> dict:
    cal = icalendar.Calendar.from_ical(response.get_data())
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_the_feed_needs_no_cookie_and_holds_my_tasks_and_the_issue_history(app, client, world):
    a, b = world["alpha"], world["beta"]
    login(client, a["member"])
    path = make_link(client)
    response = fetch(app, path)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    found = events(response)
    assert set(found) == {f"task-{a['own_task_id']}@alpha.coalition",
                          f"event-{a['event_id']}@alpha.coalition"}
    task = found[f"task-{a['own_task_id']}@alpha.coalition"]
    assert str(task["SUMMARY"]) == "Letter or e-mail: Write to Reggie"
    assert task["DTSTART"].dt.isoformat() == "2026-11-02"
    event = found[f"event-{a['event_id']}@alpha.coalition"]
    assert str(event["SUMMARY"]) == "12-visit annual cap: Letter sent"
    assert event["DTSTART"].dt.isoformat() == "2026-02-01"
    assert str(event["URL"]).endswith(f"/c/alpha/issues/{a['issue_id']}/history")
    # Nothing of beta (same titles there, other ids).
    assert b["own_task_id"] != a["own_task_id"] and b["event_id"] != a["event_id"]
    assert b"Beta" not in response.get_data()
    # The page now says a link exists, without showing it again.
    page = client.get(MINE).get_data(as_text=True)
    assert "You have a calendar link, made on" in page and path not in page
    assert "A calendar app last fetched it on" in page


def test_uids_stay_and_sequence_grows_after_an_edit(app, client, world, time_machine):
    a = world["alpha"]
    time_machine.move_to("2030-01-01 09:00")
    login(client, a["member"])
    path = make_link(client)
    before = events(fetch(app, path))
    time_machine.move_to("2030-01-02 09:00")
    with app.app_context():
        db.session.get(Task, a["own_task_id"]).title = "Write to Reggie, again"
        db.session.get(IssueEvent, a["event_id"]).summary = "Letter sent by post"
        db.session.commit()
    after = events(fetch(app, path))
    assert set(after) == set(before)
    for uid in after:
        assert int(after[uid]["SEQUENCE"]) > int(before[uid]["SEQUENCE"])
        assert after[uid]["LAST-MODIFIED"].dt > before[uid]["LAST-MODIFIED"].dt
    assert str(after[f"task-{a['own_task_id']}@alpha.coalition"]["SUMMARY"]).endswith("again")

    with app.app_context():  # done: it leaves the calendar
        db.session.get(Task, a["own_task_id"]).status = "done"
        db.session.commit()
    assert set(events(fetch(app, path))) == {f"event-{a['event_id']}@alpha.coalition"}


def test_a_new_link_asks_first_and_ends_the_old_one(app, client, world):
    login(client, world["alpha"]["member"])
    old = make_link(client)
    asked = client.post(NEW)  # a link exists: ask before replacing it
    assert asked.status_code == 200
    page = asked.get_data(as_text=True)
    assert 'name="confirmed" value="yes"' in page and "Make a new calendar link?" in page
    assert fetch(app, old).status_code == 200
    new = make_link(client, confirmed=True)
    assert new != old
    assert fetch(app, old).status_code == 404
    assert fetch(app, new).status_code == 200


def test_turning_the_link_off(app, client, world):
    login(client, world["alpha"]["member"])
    path = make_link(client)
    asked = client.post(OFF)
    assert "Turn off your calendar link?" in asked.get_data(as_text=True)
    assert fetch(app, path).status_code == 200
    done = client.post(OFF, data={"confirmed": "yes"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/mine#calendar")
    assert fetch(app, path).status_code == 404
    assert "Your calendar link is turned off" in client.get(MINE).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(CalendarLink.id)) is None


def test_people_who_left_lose_their_feed(app, client, world):
    a = world["alpha"]
    login(client, a["member"])
    member_path = make_link(client)
    login(client, a["coordinator"])
    coord_path = make_link(client)
    with app.app_context():
        db.session.delete(db.session.get(Membership, a["membership_id"]))  # removed
        coord = db.session.get(Membership, a["coordinator_membership_id"])
        db.session.get(User, coord.user_id).active = False  # deactivated
        db.session.commit()
    assert fetch(app, member_path).status_code == 404
    assert fetch(app, coord_path).status_code == 404


def test_each_chapter_its_own_link(app, client, world):
    """A person in two chapters has a link per chapter, each with that chapter's rows."""
    from coalition.models import Chapter
    from tests import factories

    with app.app_context():
        beta = db.session.get(Chapter, world["beta"]["chapter_id"])
        factories.member(db.session, beta, world["alpha"]["member"])
        db.session.commit()
    login(client, world["alpha"]["member"])
    alpha_path = make_link(client)
    response = client.post("/c/beta/outreach/calendar/new")
    beta_path = re.search(r'id="calendar-url"[^>]*value="http://localhost([^"]+)"',
                          response.get_data(as_text=True)).group(1)
    assert alpha_path != beta_path
    assert all(uid.endswith("@alpha.coalition") for uid in events(fetch(app, alpha_path)))
    beta_uids = set(events(fetch(app, beta_path)))
    assert beta_uids == {f"event-{world['beta']['event_id']}@beta.coalition"}


def test_guessing_tokens_is_slowed_down(app, world):
    app.config["API_FAILURES_PER_ADDRESS"] = "3 per 10 minutes"
    for _ in range(3):
        assert fetch(app, "/calendar/guess.ics").status_code == 404
    assert fetch(app, "/calendar/guess.ics").status_code == 429
