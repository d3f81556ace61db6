"""The API deletes into the same Trash: the row and what went with it vanish from every
answer, and a coordinator can restore them from the Trash page."""
from __future__ import annotations

from sqlalchemy import select

from coalition.models.trash import TrashEntry
from coalition.platform.extensions import db


def test_a_deleted_issue_vanishes_from_the_api_and_comes_back(app, api, client, auth, world):
    a = world["alpha"]
    assert api.delete(f"/issues/{a['issue_id']}").status_code == 204
    assert api.get(f"/issues/{a['issue_id']}").status_code == 404
    assert api.get(f"/events/{a['event_id']}").status_code == 404  # went with the issue
    listed = api.get("/issues").get_json()
    assert a["issue_id"] not in [row["id"] for row in listed["items"]]
    tasks = api.get("/tasks").get_json()
    assert {row["id"] for row in tasks["items"]} & {a["task_id"], a["own_task_id"]} == set()

    with app.app_context():
        entry = db.session.scalar(select(TrashEntry.id).where(TrashEntry.kind == "issue"))
    auth.login(a["coordinator"])
    assert client.post(f"/c/alpha/trash/{entry}/restore").status_code == 302
    assert api.get(f"/issues/{a['issue_id']}").status_code == 200
    assert len(api.get("/tasks").get_json()["items"]) == 2


def test_a_stance_deleted_through_the_api_can_be_set_again(api, world):
    a = world["alpha"]
    assert api.delete(f"/stances/{a['stance_id']}").status_code == 204
    again = api.post("/stances", json={"ally_id": a["ally_id"], "issue_id": a["issue_id"],
                                       "stance": "champion"})
    assert again.status_code in (200, 201), again.get_json()
