"""Outreach tasks through the real forms: who may change which, the version guard, the
stance a committed outcome brings, the lists and the board."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from coalition.models import IssueEvent, Stance
from coalition.models.outreach import Task
from coalition.platform.extensions import db
from tests.outreach.helpers import get, login

URL = "/c/alpha/outreach"


def form(world, **over):
    w = world["alpha"]
    data = {"title": "Call Casey about the cap", "kind": "call", "issue_id": w["issue_id"],
            "target": f"ally:{w['ally_id']}", "owner_member_id": w["membership_id"],
            "due_on": "2026-12-01", "status": "planned", "outcome": "", "outcome_notes": "",
            "follow_up": ""}
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def edit_form(app, world, task_id, **over):
    task = get(app, Task, task_id)
    target = f"ally:{task.ally_id}" if task.ally_id else (
        f"contact:{task.contact_id}" if task.contact_id else "")
    data = {"title": task.title, "kind": task.kind, "issue_id": task.issue_id,
            "target": target, "owner_member_id": task.owner_member_id or "",
            "due_on": task.due_on.isoformat() if task.due_on else "", "status": task.status,
            "outcome": task.outcome or "", "outcome_notes": task.outcome_notes or "",
            "follow_up": task.follow_up or "", "version": str(task.version)}
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def test_member_plans_a_task_for_themselves_only(app, client, world):
    w = world["alpha"]
    login(client, w["member"])
    response = client.post(f"{URL}/tasks/new",
                           data=form(world, owner_member_id=w["coordinator_membership_id"]))
    assert response.status_code == 302
    with app.app_context():
        task = db.session.scalar(select(Task).where(Task.title == "Call Casey about the cap"))
        assert task.owner_member_id == w["membership_id"]
        assert task.ally_id == w["ally_id"] and task.chapter_id == w["chapter_id"]


def test_coordinator_assigns_a_task_to_a_member(app, client, world):
    w = world["alpha"]
    login(client, w["coordinator"])
    assert client.post(f"{URL}/tasks/new", data=form(world)).status_code == 302
    with app.app_context():
        task = db.session.scalar(select(Task).where(Task.title == "Call Casey about the cap"))
        assert task.owner_member_id == w["membership_id"]


def test_bad_input_shows_errors_beside_fields_and_keeps_typed_values(app, client, world):
    w = world["alpha"]
    login(client, w["coordinator"])
    response = client.post(f"{URL}/tasks/new", data=form(world, title="", due_on="not a date",
                                                          follow_up="Send the letter"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="title-error"' in html and 'id="due_on-error"' in html
    assert "Send the letter" in html


def test_targets_and_issues_of_another_chapter_are_refused(app, client, world):
    w, b = world["alpha"], world["beta"]
    login(client, w["coordinator"])
    response = client.post(f"{URL}/tasks/new", data=form(world, target=f"ally:{b['ally_id']}"))
    assert response.status_code == 200 and 'id="target-error"' in response.get_data(as_text=True)
    response = client.post(f"{URL}/tasks/new", data=form(world, issue_id=b["issue_id"]))
    assert response.status_code == 200
    response = client.post(f"{URL}/tasks/new",
                           data=form(world, owner_member_id=b["membership_id"]))
    assert response.status_code == 200
    with app.app_context():
        assert db.session.scalar(select(Task).where(
            Task.title == "Call Casey about the cap")) is None


def test_member_changes_only_their_own_tasks(app, client, world):
    w = world["alpha"]
    login(client, w["member"])
    response = client.post(f"{URL}/tasks/{w['task_id']}/edit",
                           data=edit_form(app, world, w["task_id"], title="Hijacked"))
    assert response.status_code == 403
    assert client.post(f"{URL}/tasks/{w['task_id']}/delete", data={"confirmed": "yes"}).status_code == 403
    response = client.post(f"{URL}/tasks/{w['own_task_id']}/edit",
                           data=edit_form(app, world, w["own_task_id"], status="in_progress"))
    assert response.status_code == 302
    assert get(app, Task, w["own_task_id"]).status == "in_progress"
    assert get(app, Task, w["task_id"]).title == "Call Casey"
    # The member's edit page offers no owner field: the task stays theirs.
    page = client.get(f"{URL}/tasks/{w['own_task_id']}/edit").get_data(as_text=True)
    assert 'name="owner_member_id"' not in page


def test_coordinator_changes_every_task_of_the_chapter(app, client, world):
    w = world["alpha"]
    login(client, w["coordinator"])
    response = client.post(f"{URL}/tasks/{w['own_task_id']}/edit",
                           data=edit_form(app, world, w["own_task_id"], title="Renamed"))
    assert response.status_code == 302
    assert get(app, Task, w["own_task_id"]).title == "Renamed"
    assert client.post(f"{URL}/tasks/{w['own_task_id']}/delete", data={"confirmed": "yes"}).status_code == 302
    assert get(app, Task, w["own_task_id"]) is None


def test_edit_refuses_to_overwrite_a_newer_version(app, client, world):
    w = world["alpha"]
    login(client, w["coordinator"])
    stale = edit_form(app, world, w["task_id"], title="My typed title")
    with app.app_context():  # someone else saves first
        db.session.get(Task, w["task_id"]).title = "Their newer title"
        db.session.commit()
    response = client.post(f"{URL}/tasks/{w['task_id']}/edit", data=stale)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Someone else changed this task" in html
    assert "Their newer title" in html  # the current value
    assert 'value="My typed title"' in html  # the typed value kept
    assert get(app, Task, w["task_id"]).title == "Their newer title"
    # Saving again with the version the conflict page showed goes through.
    fresh = get(app, Task, w["task_id"])
    response = client.post(f"{URL}/tasks/{w['task_id']}/edit",
                           data=dict(stale, version=str(fresh.version)))
    assert response.status_code == 302
    assert get(app, Task, w["task_id"]).title == "My typed title"


def _stance(app, ally_id, issue_id):
    with app.app_context():
        return db.session.scalar(select(Stance.stance).where(
            Stance.ally_id == ally_id, Stance.issue_id == issue_id))


def _stance_events(app, issue_id):
    with app.app_context():
        return db.session.scalars(select(IssueEvent).where(
            IssueEvent.issue_id == issue_id, IssueEvent.kind == "stance_change")).all()


def test_done_with_committed_outcome_makes_the_ally_a_supporter(app, client, world):
    w = world["alpha"]
    with app.app_context():  # the ally is neutral on the issue to begin with
        db.session.get(Stance, w["stance_id"]).stance = "neutral"
        db.session.commit()
    login(client, w["coordinator"])
    response = client.post(f"{URL}/tasks/{w['task_id']}/edit", data=edit_form(
        app, world, w["task_id"], status="done", outcome="committed",
        outcome_notes="Casey will write a letter."))
    assert response.status_code == 302
    assert _stance(app, w["ally_id"], w["issue_id"]) == "supporter"
    events = _stance_events(app, w["issue_id"])
    assert len(events) == 1
    assert "Casey Coordinator-Ally" in events[0].summary and "Supporter" in events[0].summary
    page = client.get(f"/c/alpha/issues/{w['issue_id']}/history").get_data(as_text=True)
    assert events[0].summary in page  # in the issue's history
    # Saving the same outcome again changes nothing and writes no second entry.
    client.post(f"{URL}/tasks/{w['task_id']}/edit", data=edit_form(app, world, w["task_id"]))
    assert len(_stance_events(app, w["issue_id"])) == 1


def test_champion_when_the_form_says_so(app, client, world):
    w = world["alpha"]
    login(client, w["coordinator"])
    response = client.post(f"{URL}/tasks/{w['task_id']}/edit", data=edit_form(
        app, world, w["task_id"], status="done", outcome="committed", champion="y"))
    assert response.status_code == 302
    assert _stance(app, w["ally_id"], w["issue_id"]) == "champion"
    assert "Champion" in _stance_events(app, w["issue_id"])[0].summary


def test_a_new_stance_is_created_when_the_ally_had_none(app, client, world):
    w = world["alpha"]
    login(client, w["coordinator"])
    response = client.post(f"{URL}/tasks/new", data=form(
        world, target=f"ally:{w['own_ally_id']}", status="done", outcome="committed"))
    assert response.status_code == 302
    assert _stance(app, w["own_ally_id"], w["issue_id"]) == "supporter"


def test_other_outcomes_and_open_tasks_leave_the_stance_alone(app, client, world):
    w = world["alpha"]
    with app.app_context():
        db.session.get(Stance, w["stance_id"]).stance = "neutral"
        db.session.commit()
    login(client, w["coordinator"])
    client.post(f"{URL}/tasks/{w['task_id']}/edit", data=edit_form(
        app, world, w["task_id"], status="in_progress", outcome="committed"))
    client.post(f"{URL}/tasks/{w['task_id']}/edit", data=edit_form(
        app, world, w["task_id"], status="done", outcome="declined"))
    assert _stance(app, w["ally_id"], w["issue_id"]) == "neutral"
    assert _stance_events(app, w["issue_id"]) == []


def test_my_tasks_lists_only_mine_and_marks_overdue_in_words(app, client, world):
    w = world["alpha"]
    with app.app_context():
        db.session.get(Task, w["own_task_id"]).due_on = date.today() - timedelta(days=3)
        db.session.commit()
    login(client, w["member"])
    html = client.get(f"{URL}/mine").get_data(as_text=True)
    assert "Write to Reggie" in html and "Call Casey" not in html
    assert "Overdue" in html


def test_done_tasks_are_never_overdue(app, client, world):
    w = world["alpha"]
    with app.app_context():
        task = db.session.get(Task, w["own_task_id"])
        task.due_on, task.status = date.today() - timedelta(days=3), "done"
        db.session.commit()
    login(client, w["member"])
    assert "Overdue" not in client.get(f"{URL}/mine").get_data(as_text=True)


def test_board_has_a_column_per_status_and_filters(app, client, world):
    w = world["alpha"]
    login(client, w["coordinator"])
    html = client.get(f"{URL}/board").get_data(as_text=True)
    for label in ("Planned", "In progress", "Done", "Cancelled"):
        assert f">{label} <span" in html
    assert "Call Casey" in html and "Write to Reggie" in html
    html = client.get(f"{URL}/board?owner={w['membership_id']}").get_data(as_text=True)
    assert "Write to Reggie" in html and "Call Casey" not in html
    html = client.get(f"{URL}/board?issue={w['issue_id']}").get_data(as_text=True)
    assert "Write to Reggie" in html and "Call Casey" in html
    # Unknown values (another chapter's member) fall back to the whole board.
    html = client.get(f"{URL}/board?owner={world['beta']['membership_id']}").get_data(
        as_text=True)
    assert "Write to Reggie" in html and "Call Casey" in html
    assert client.get(f"{URL}/board?issue=abc").status_code == 200
