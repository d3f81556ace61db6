"""Task reminders, with fixed dates: the day before a task is due and once it is overdue,
to its owner only, once each however often the job runs."""
from __future__ import annotations

import threading
from datetime import date
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest
from sqlalchemy import select

from coalition.models import Membership, User
from coalition.models.notices import SentNotice
from coalition.models.outreach import Task
from coalition.outreach import reminders
from coalition.outreach.jobs import send_task_reminders
from coalition.platform.extensions import db

# The world: alpha's and beta's coordinators own "Call Casey", due 1 November 2026; their
# members own "Write to Reggie", due 2 November.
OCT_31, NOV_1, NOV_2, NOV_3 = date(2026, 10, 31), date(2026, 11, 1), date(2026, 11, 2), date(2026, 11, 3)


def outbox(app) -> list:
    folder = Path(app.instance_path) / "outbox"
    return [message_from_bytes(p.read_bytes(), policy=default)
            for p in sorted(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns)] \
        if folder.exists() else []


def text(message) -> str:
    return message.get_body(("plain",)).get_content()


def run(app, today) -> int:
    with app.app_context():
        return reminders.send_reminders(db.session, today)


def test_the_day_before_then_once_overdue_each_once(app, world):
    assert run(app, OCT_31) == 2
    sent = outbox(app)
    assert sorted(m["To"] for m in sent) == ["coord-alpha@example.org", "coord-beta@example.org"]
    alpha = next(m for m in sent if m["To"] == "coord-alpha@example.org")
    assert alpha["Subject"] == "Reminder: “Call: Call Casey” is due tomorrow"
    body = text(alpha)
    assert "Hello coord-alpha," in body
    assert "in the Alpha Chapter is due tomorrow, Sunday 1 November:" in body
    assert "- Call: Call Casey (issue: 12-visit annual cap; with Casey Coordinator-Ally)" in body
    assert f"http://localhost:5000/c/alpha/outreach/tasks/{world['alpha']['task_id']}" in body
    assert "because the task is yours in the Alpha Chapter's outreach plan" in body
    assert alpha.get_body(("html",)) is not None

    assert run(app, OCT_31) == 0  # again the same day: nothing more
    assert run(app, NOV_1) == 2  # the members' letters are due tomorrow
    assert sorted(m["To"] for m in outbox(app)[2:]) == ["member-alpha@example.org",
                                                         "member-beta@example.org"]
    assert run(app, NOV_2) == 2  # the calls are overdue; the letters due today say nothing
    overdue = [m for m in outbox(app)[4:]]
    assert sorted(m["To"] for m in overdue) == ["coord-alpha@example.org", "coord-beta@example.org"]
    assert all(m["Subject"] == "Reminder: “Call: Call Casey” is overdue" for m in overdue)
    assert "due on Sunday 1 November" in text(overdue[0])
    assert run(app, NOV_2) == 0
    assert run(app, NOV_3) == 2  # now the letters are overdue
    assert run(app, NOV_3) == 0 and run(app, date(2026, 11, 5)) == 0
    assert len(outbox(app)) == 8
    with app.app_context():
        assert db.session.scalar(select(db.func.count(SentNotice.id))) == 8


def test_nothing_for_tasks_without_owner_closed_or_owned_by_people_who_left(app, world):
    a, b = world["alpha"], world["beta"]
    with app.app_context():
        db.session.get(Task, a["own_task_id"]).status = "done"
        db.session.get(Task, a["task_id"]).status = "cancelled"
        beta_coord = db.session.get(Membership, b["coordinator_membership_id"])
        db.session.get(User, beta_coord.user_id).active = False  # deactivated
        db.session.get(Membership, b["membership_id"]).status = "pending"
        orphan = db.session.get(Task, b["task_id"])
        db.session.add(Task(chapter_id=orphan.chapter_id, issue_id=orphan.issue_id, kind="call",
                            title="Nobody's call", due_on=NOV_1))  # no owner
        db.session.commit()
    assert run(app, OCT_31) == 0
    assert run(app, NOV_1) == 0
    assert run(app, NOV_2) == 0
    assert outbox(app) == []


def test_a_task_in_the_trash_says_nothing(app, world):
    from coalition.trash import service as trash

    with app.app_context():
        for key in ("alpha", "beta"):
            trash.discard(db.session, db.session.get(Task, world[key]["task_id"]))
        db.session.commit()
    assert run(app, OCT_31) == 0


def test_a_postponed_task_is_reminded_of_its_new_date(app, world):
    assert run(app, OCT_31) == 2
    with app.app_context():
        db.session.get(Task, world["alpha"]["task_id"]).due_on = date(2026, 11, 6)
        db.session.commit()
    assert run(app, date(2026, 11, 5)) == 4  # beta's call and both letters are overdue
    to_alpha = [m for m in outbox(app)[2:] if m["To"] == "coord-alpha@example.org"]
    assert [m["Subject"] for m in to_alpha] == ["Reminder: “Call: Call Casey” is due tomorrow"]


def test_several_tasks_of_one_person_go_in_one_message(app, world):
    a = world["alpha"]
    with app.app_context():
        task = db.session.get(Task, a["task_id"])
        db.session.add(Task(chapter_id=task.chapter_id, issue_id=task.issue_id, kind="meeting",
                            title="Meet Dana", owner_member_id=task.owner_member_id,
                            due_on=date(2026, 10, 30)))
        db.session.commit()
    assert run(app, OCT_31) == 2
    message = next(m for m in outbox(app) if m["To"] == "coord-alpha@example.org")
    assert message["Subject"] == "Reminder: 2 of your tasks need you"
    body = text(message)
    assert "is due tomorrow" in body and "Call Casey" in body
    assert "is now overdue:" in body and "Meet Dana" in body and "due on Friday 30 October" in body


def test_two_consumers_at_once_send_each_reminder_once(app, world):
    """Two threads run the job at the same moment, as two consumers would."""
    start = threading.Barrier(2)
    results = []

    def consumer():
        with app.app_context():
            start.wait()
            results.append(reminders.send_reminders(db.session, OCT_31))
            db.session.remove()

    threads = [threading.Thread(target=consumer) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sum(results) == 2
    assert sorted(m["To"] for m in outbox(app)) == ["coord-alpha@example.org",
                                                    "coord-beta@example.org"]


def test_the_scheduled_job_uses_today(app, world, time_machine):
    time_machine.move_to("2026-10-31 07:00")
    with app.app_context():
        assert send_task_reminders.call_local() == 2


@pytest.fixture
def smtp_server():
    """A real SMTP server (aiosmtpd) on a free port, collecting what it receives."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:  # a free port (the controller cannot start on port 0)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    received = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            received.append(envelope)
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, received
    finally:
        controller.stop()


def test_reminders_go_out_through_smtp(app_factory, world, smtp_server):
    port, received = smtp_server
    app = app_factory(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False,
                      PUBLIC_URL="https://coalition.example.org")
    assert run(app, OCT_31) == 2
    assert sorted(e.rcpt_tos[0] for e in received) == ["coord-alpha@example.org",
                                                       "coord-beta@example.org"]
    message = message_from_bytes(received[0].content, policy=default)
    assert "https://coalition.example.org/c/" in text(message)
