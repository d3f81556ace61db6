"""The task board's status buttons: a card moves to another column through a POST with the
CSRF token and the version the board showed; a change made meanwhile is never overwritten;
pressing the same button twice is quiet; members move their own tasks only."""
from __future__ import annotations

import re

from sqlalchemy import select

from coalition.models.outreach import Task
from coalition.platform.extensions import db
from coalition.platform.forms import NO_CHANGES
from tests import html_forms
from tests.outreach.helpers import get, login
from tests.platform.test_quiet_saves import flashes, snapshot

URL = "/c/alpha/outreach"


def card_form(client, task_id: int, query: str = "", index: int = 0):
    page = client.get(f"{URL}/board{query}").get_data(as_text=True)
    return html_forms.find(page, f"{URL}/tasks/{task_id}/status", index=index)


def press(client, task_id: int, status: str, query: str = ""):
    """The card's button for ``status``, as the browser sends it (the drag sends another
    status through the same form)."""
    data = card_form(client, task_id, query).data()
    data["status"] = status
    return client.post(f"{URL}/tasks/{task_id}/status", data=data)


def test_the_card_offers_the_moves_of_its_status(app, client, world):
    w = world["alpha"]
    login(client, w["coordinator"])
    page = client.get(f"{URL}/board").get_data(as_text=True)
    card = page[page.index(f'data-task="{w["task_id"]}"'):]
    card = card[:card.index("</li>")]
    moves = re.findall(r'name="status" value="(\w+)">\s*<button type="submit"[^>]*>([^<]+)<', card)
    assert moves == [("in_progress", "Start"), ("done", "Mark done")]
    assert card.count('name="csrf_token"') == 2 and card.count('name="version" value="1"') == 2


def test_start_then_mark_done_then_reopen(app, client, world):
    w = world["alpha"]
    login(client, w["coordinator"])
    for status, said in (("in_progress", "in progress"), ("done", "done"), ("planned", "planned")):
        response = press(client, w["task_id"], status)
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"{URL}/board")
        assert get(app, Task, w["task_id"]).status == status
        assert flashes(client.get(response.headers["Location"]).get_data(as_text=True)) == \
            [f"“Call Casey” is now {said}."]


def test_the_board_keeps_its_filter(app, client, world):
    w = world["alpha"]
    login(client, w["coordinator"])
    response = press(client, w["task_id"], "in_progress", f"?issue={w['issue_id']}")
    assert response.headers["Location"].endswith(f"{URL}/board?issue={w['issue_id']}")


def test_the_same_status_twice_is_quiet(app, client, world):
    w = world["alpha"]
    login(client, w["coordinator"])
    data = card_form(client, w["task_id"]).data()
    data["status"] = "in_progress"
    url = f"{URL}/tasks/{w['task_id']}/status"
    assert client.post(url, data=data).status_code == 302
    data["version"] = str(get(app, Task, w["task_id"]).version)  # the board shown again
    client.get(f"{URL}/board")  # shows (and clears) the first message
    before = snapshot(app, w["chapter_id"])
    second = client.post(url, data=data)
    assert snapshot(app, w["chapter_id"]) == before
    assert flashes(client.get(second.headers["Location"]).get_data(as_text=True)) == [NO_CHANGES]


def test_a_change_made_meanwhile_is_not_overwritten(app, client, world):
    w = world["alpha"]
    login(client, w["coordinator"])
    stale = card_form(client, w["task_id"]).data()  # the board as it was opened
    with app.app_context():  # meanwhile, someone else finishes the task
        task = db.session.get(Task, w["task_id"])
        task.status, task.outcome = "done", "interested"
        db.session.commit()
    before = snapshot(app, w["chapter_id"])
    stale["status"] = "in_progress"
    response = client.post(f"{URL}/tasks/{w['task_id']}/status", data=stale)
    assert response.status_code == 302
    assert snapshot(app, w["chapter_id"]) == before
    task = get(app, Task, w["task_id"])
    assert (task.status, task.outcome) == ("done", "interested")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "was changed by someone else after you opened this page, so nothing was saved" in page


def test_an_unknown_status_changes_nothing(app, client, world):
    w = world["alpha"]
    login(client, w["coordinator"])
    before = snapshot(app, w["chapter_id"])
    response = press(client, w["task_id"], "finished")
    assert snapshot(app, w["chapter_id"]) == before
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "That status is not one of the list; nothing was saved." in page


def test_a_member_moves_their_own_task_only(app, client, world):
    w = world["alpha"]
    login(client, w["member"])
    own = get(app, Task, w["own_task_id"])
    response = client.post(f"{URL}/tasks/{own.id}/status",
                           data={"status": "done", "version": str(own.version)})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"{URL}/mine")
    assert get(app, Task, own.id).status == "done"
    other = get(app, Task, w["task_id"])
    assert client.post(f"{URL}/tasks/{other.id}/status",
                       data={"status": "done", "version": str(other.version)}).status_code == 403
    beta = world["beta"]["task_id"]
    assert client.post(f"{URL}/tasks/{beta}/status",
                       data={"status": "done", "version": "1"}).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(Task.status).where(Task.id == beta)) == "planned"
