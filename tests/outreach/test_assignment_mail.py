"""A task given to a member tells them by e-mail (category "assignments"), through a real
SMTP server, once the save is committed; taking a task oneself, keeping the owner or a
refused save tells nobody."""
from __future__ import annotations

from sqlalchemy import select

from coalition.accounts import mail_choices
from coalition.models import User
from coalition.models.outreach import Task
from coalition.platform.extensions import db
from tests.outreach.helpers import login
from tests.outreach.test_paths import _link_casey_to_dana, _path_via_casey
from tests.outreach.test_tasks import URL, edit_form, form


def _sent(smtp_server):
    return [(to, m["Subject"]) for m, to in zip(smtp_server.messages, smtp_server.recipients(),
                                                strict=True)]


def test_a_coordinator_giving_a_task_tells_its_owner(app, client, world, smtp_server):
    app.config.update(smtp_server.settings)
    w = world["alpha"]
    login(client, w["coordinator"])
    response = client.post(f"{URL}/tasks/new", data=form(world))  # owner: the member
    assert response.status_code == 302

    message = smtp_server.wait()
    assert smtp_server.recipients() == [w["member"]]
    assert message["Subject"] == "New task for you: Call Casey about the cap"
    with app.app_context():
        task_id = db.session.scalar(select(Task.id).where(
            Task.title == "Call Casey about the cap"))
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "coord-alpha gave you a task in Alpha Chapter" in text
    assert "“Call Casey about the cap” (call, due 1 December 2026)" in text
    assert f"http://localhost/c/alpha/outreach/tasks/{task_id}" in text
    assert "because a task in Alpha Chapter was given to you" in text
    assert message["List-Unsubscribe"].startswith("<http://localhost/unsubscribe/")


def test_taking_a_task_oneself_tells_nobody(app, client, world, smtp_server):
    app.config.update(smtp_server.settings)
    w = world["alpha"]
    login(client, w["member"])  # a member plans for themselves only
    assert client.post(f"{URL}/tasks/new", data=form(world)).status_code == 302
    login(client, w["coordinator"])
    assert client.post(f"{URL}/tasks/new", data=form(
        world, title="Mine", owner_member_id=w["coordinator_membership_id"])).status_code == 302
    assert smtp_server.messages == []


def test_changing_the_owner_tells_the_new_one_and_other_edits_nobody(app, client, world,
                                                                     smtp_server):
    app.config.update(smtp_server.settings)
    w = world["alpha"]
    login(client, w["coordinator"])
    # The coordinator's own task, edited but kept: nothing.
    assert client.post(f"{URL}/tasks/{w['task_id']}/edit", data=edit_form(
        app, world, w["task_id"], status="in_progress")).status_code == 302
    assert smtp_server.messages == []
    # Given to the member: the member hears of it.
    assert client.post(f"{URL}/tasks/{w['task_id']}/edit", data=edit_form(
        app, world, w["task_id"], owner_member_id=w["membership_id"])).status_code == 302
    assert smtp_server.wait()["Subject"] == "New task for you: Call Casey"
    assert smtp_server.recipients() == [w["member"]]


def test_a_refused_save_sends_nothing(app, client, world, smtp_server):
    app.config.update(smtp_server.settings)
    w = world["alpha"]
    login(client, w["coordinator"])
    stale = edit_form(app, world, w["task_id"], owner_member_id=w["membership_id"],
                      version="0")  # someone saved in the meantime
    page = client.post(f"{URL}/tasks/{w['task_id']}/edit", data=stale)
    assert page.status_code == 200 and "Saved values and yours" in page.get_data(as_text=True)
    bad_target = form(world, target=f"ally:{world['beta']['ally_id']}")
    assert client.post(f"{URL}/tasks/new", data=bad_target).status_code == 200
    with app.app_context():
        owner = db.session.scalar(select(Task.owner_member_id).where(Task.id == w["task_id"]))
    assert owner == w["coordinator_membership_id"]
    assert smtp_server.messages == []


def test_a_member_who_switched_it_off_is_not_told(app, client, world, smtp_server):
    app.config.update(smtp_server.settings)
    w = world["alpha"]
    with app.app_context():
        member = db.session.scalar(select(User).where(User.email == w["member"]))
        mail_choices.save(db.session, member, {"assignments": False})
        db.session.commit()
    login(client, w["coordinator"])
    assert client.post(f"{URL}/tasks/new", data=form(world)).status_code == 302
    assert smtp_server.messages == []


def test_a_path_planned_by_a_coordinator_tells_the_owners_of_its_links(app, client, world,
                                                                       smtp_server):
    app.config.update(smtp_server.settings)
    w = world["alpha"]
    _link_casey_to_dana(app, w, w["membership_id"])  # the member owns Casey -> Dana
    target, index, _path = _path_via_casey(app, w)
    login(client, w["coordinator"])
    response = client.post(f"{URL}/issues/{w['issue_id']}/tasks-from-path",
                           data={"target": target, "path": str(index)})
    assert response.status_code == 302
    # The coordinator's own first step tells nobody; the member's step tells the member.
    message = smtp_server.wait()
    assert smtp_server.recipients() == [w["member"]]
    assert message["Subject"].startswith("New task for you: Reach Dana Decider")
