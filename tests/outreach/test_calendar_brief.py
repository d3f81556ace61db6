"""The calendar file of "my tasks" and the meeting brief (page and PDF)."""
from __future__ import annotations

import io
import re
from datetime import date

import icalendar
import pypdf

from coalition.models import Issue
from coalition.models.outreach import Task
from coalition.outreach.calendar_feed import escape, fold
from coalition.platform.extensions import db
from tests.outreach.helpers import login

URL = "/c/alpha/outreach"


def test_calendar_parses_with_an_independent_reader(app, client, world):
    w = world["alpha"]
    with app.app_context():
        task = db.session.get(Task, w["own_task_id"])
        task.title = "Write, politely; to Reggie — about the 12-visit cap " + "x" * 80
        task.follow_up = "Line one\nLine two, with a comma"
        db.session.commit()
    login(client, w["member"])
    response = client.get(f"{URL}/calendar.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    raw = response.get_data()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    cal = icalendar.Calendar.from_ical(raw)
    events = list(cal.walk("VEVENT"))
    assert len(events) == 1  # only the member's own task
    event = events[0]
    assert str(event["UID"]) == f"task-{w['own_task_id']}@alpha.coalition"
    assert event["DTSTAMP"].dt is not None
    assert event["DTSTART"].dt == date(2026, 11, 2)
    assert str(event["SUMMARY"]).startswith("Letter or e-mail: Write, politely; to Reggie —")
    description = str(event["DESCRIPTION"])
    assert "Target: Reggie Relations" in description
    assert "Issue: 12-visit annual cap" in description
    assert "Line one\nLine two, with a comma" in description
    assert str(event["URL"]).endswith(f"/c/alpha/outreach/tasks/{w['own_task_id']}")
    # The UID is stable from one download to the next.
    again = icalendar.Calendar.from_ical(client.get(f"{URL}/calendar.ics").get_data())
    assert [str(e["UID"]) for e in again.walk("VEVENT")] == [str(event["UID"])]


def test_escaping_and_folding():
    assert escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    folded = fold("SUMMARY:" + "é" * 80)
    parts = folded.split("\r\n")
    assert all(len(p.encode()) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == "SUMMARY:" + "é" * 80


def _prepare(app, w):
    with app.app_context():
        issue = db.session.get(Issue, w["issue_id"])
        issue.desired_outcome = "Lift the 12-visit cap for post-surgical rehabilitation"
        issue.fallback = "A cap of 30 visits"
        db.session.commit()


def test_brief_page_is_print_friendly(app, client, world):
    w = world["alpha"]
    _prepare(app, w)
    login(client, w["member"])
    html = client.get(f"{URL}/issues/{w['issue_id']}/brief").get_data(as_text=True)
    assert "Brief: 12-visit annual cap" in html
    assert "Lift the 12-visit cap" in html and "A cap of 30 visits" in html
    assert "Medical community" in html and "Casey Coordinator-Ally" in html  # committed
    assert "Call Casey" in html  # open tasks
    assert "Letter sent" in html  # history
    assert "<svg" in html  # the evidence chart
    assert "outreach.css" in html
    css = client.get("/static/outreach.css").get_data(as_text=True)
    assert "@media print" in css


def test_brief_pdf_contains_the_title_and_the_ask(app, client, world):
    w = world["alpha"]
    _prepare(app, w)
    login(client, w["member"])
    response = client.get(f"{URL}/issues/{w['issue_id']}/brief.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.get_data()))
    text = " ".join(page.extract_text() for page in reader.pages)
    text = " ".join(text.split())
    assert "12-visit annual cap" in text
    assert "Lift the 12-visit cap for post-surgical rehabilitation" in text
    assert "A cap of 30 visits" in text
    assert "Casey Coordinator-Ally" in text and "Call Casey" in text


def _patient_everywhere(app, w) -> list[str]:
    """A patient who is committed, the target of a task and named in the history; returns
    every ally name of the chapter."""
    from sqlalchemy import select

    from coalition.models import Ally, Chapter, Membership
    from tests import factories

    with app.app_context():
        chapter = db.session.get(Chapter, w["chapter_id"])
        issue = db.session.get(Issue, w["issue_id"])
        coord = db.session.get(Membership, w["coordinator_membership_id"])
        patient = factories.ally(db.session, chapter, "Patricia Painewright", "patient", consent=True)
        factories.stance(db.session, patient, issue, "champion")
        factories.event(db.session, issue, "Met Patricia Painewright at the clinic", details="Her knee: 14 visits")
        db.session.add(Task(chapter_id=chapter.id, issue_id=issue.id, kind="call", title="Ask Patricia to testify",
                            ally_id=patient.id, owner_member_id=coord.id, due_on=date(2026, 11, 3)))
        db.session.commit()
        return list(db.session.scalars(select(Ally.name).where(Ally.chapter_id == chapter.id)))


def test_the_counts_only_brief_names_no_ally_or_patient(app, client, world):
    w = world["alpha"]
    _prepare(app, w)
    names = _patient_everywhere(app, w)
    login(client, w["member"])
    full = client.get(f"{URL}/issues/{w['issue_id']}/brief").get_data(as_text=True)
    assert "Patricia Painewright" in full
    assert f'href="/c/alpha/outreach/issues/{w["issue_id"]}/brief?counts=only"' in full

    html = client.get(f"{URL}/issues/{w['issue_id']}/brief?counts=only").get_data(as_text=True)
    response = client.get(f"{URL}/issues/{w['issue_id']}/brief.pdf?counts=only")
    assert response.status_code == 200 and "counts" in response.headers["Content-Disposition"]
    reader = pypdf.PdfReader(io.BytesIO(response.get_data()))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    for shown in (html, text):
        for name in names + ["Patricia", "Painewright", "knee"]:
            assert name not in shown, name
        assert "Lift the 12-visit cap" in shown  # the issue's own text stays
    assert "Patient" in html and "1 committed, 1 of them a champion" in html
    assert re.search(r"Patients?[^:]*: 1 committed, 1 of them a champion", text), text
    assert re.search(r"Call: \d", text), text  # the open tasks as counts per kind
    assert f'href="/c/alpha/outreach/issues/{w["issue_id"]}/brief.pdf?counts=only"' in html
    assert "Counts only" in text and "Counts only" in html
