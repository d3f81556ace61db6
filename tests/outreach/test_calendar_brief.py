"""The calendar file of "my tasks" and the meeting brief (page and PDF)."""
from __future__ import annotations

import io
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
