"""One click on an access path plans the chain of tasks along it, each for the owner of
its link; the path is read again from the analysis, never trusted from the form."""
from __future__ import annotations

from sqlalchemy import select

from coalition.leverage.analysis import cache
from coalition.models import Chapter, Membership
from coalition.models.outreach import Task
from coalition.platform.extensions import db
from tests import factories
from tests.outreach.helpers import login

URL = "/c/alpha/outreach"


def _link_casey_to_dana(app, w, owner_id):
    with app.app_context():
        chapter = db.session.get(Chapter, w["chapter_id"])
        owner = db.session.get(Membership, owner_id) if owner_id else None
        factories.relationship(db.session, chapter, ("ally", w["ally_id"]),
                               ("contact", w["boss_contact_id"]), strength=5, owner=owner)
        db.session.commit()


def _path_via_casey(app, w):
    with app.app_context():
        analysis = cache.issue(w["chapter_id"], w["issue_id"])
    target = f"contact:{w['boss_contact_id']}"
    for t in analysis["targets"]:
        if t["node"] == target:
            for index, p in enumerate(t["paths"]):
                if [h["to_node"] for h in p["hops"]] == [f"ally:{w['ally_id']}", target]:
                    return target, index, p
    raise AssertionError("no path through Casey in the analysis")


def _tasks(app, w):
    with app.app_context():
        return db.session.scalars(select(Task).where(
            Task.issue_id == w["issue_id"], Task.path_key.is_not(None)).order_by(
            Task.due_on)).all()


def test_each_task_goes_to_the_owner_of_its_link(app, client, world):
    w = world["alpha"]
    _link_casey_to_dana(app, w, w["membership_id"])  # the member owns Casey -> Dana
    target, index, path = _path_via_casey(app, w)
    assert path["member"] == f"member:{w['coordinator_membership_id']}"
    login(client, w["coordinator"])
    response = client.post(f"{URL}/issues/{w['issue_id']}/tasks-from-path",
                           data={"target": target, "path": str(index)})
    assert response.status_code == 302
    tasks = _tasks(app, w)
    assert [(t.ally_id, t.contact_id, t.owner_member_id) for t in tasks] == [
        (w["ally_id"], None, w["coordinator_membership_id"]),  # coordinator -> Casey
        (None, w["boss_contact_id"], w["membership_id"]),  # Casey -> Dana, owned by member
    ]
    assert all(t.status == "planned" and t.due_on for t in tasks)
    # The member finds their step in "My tasks".
    login(client, w["member"])
    assert "Dana Decider" in client.get(f"{URL}/mine").get_data(as_text=True)


def test_a_link_without_owner_goes_to_the_starting_member(app, client, world):
    w = world["alpha"]
    _link_casey_to_dana(app, w, None)
    target, index, _ = _path_via_casey(app, w)
    login(client, w["coordinator"])
    client.post(f"{URL}/issues/{w['issue_id']}/tasks-from-path",
                data={"target": target, "path": str(index)})
    assert [t.owner_member_id for t in _tasks(app, w)] == [w["coordinator_membership_id"]] * 2


def test_the_same_path_is_not_planned_twice(app, client, world):
    w = world["alpha"]
    _link_casey_to_dana(app, w, w["membership_id"])
    target, index, _ = _path_via_casey(app, w)
    login(client, w["coordinator"])
    client.post(f"{URL}/issues/{w['issue_id']}/tasks-from-path",
                data={"target": target, "path": str(index)})
    # Planning changed the data version, so find the path again.
    target, index, _ = _path_via_casey(app, w)
    response = client.post(f"{URL}/issues/{w['issue_id']}/tasks-from-path",
                           data={"target": target, "path": str(index)}, follow_redirects=True)
    assert "already planned" in response.get_data(as_text=True)
    assert len(_tasks(app, w)) == 2


def test_a_planned_path_shows_as_planned_until_its_tasks_are_closed(app, client, world):
    w = world["alpha"]
    _link_casey_to_dana(app, w, w["membership_id"])
    target, index, _ = _path_via_casey(app, w)
    login(client, w["coordinator"])
    button = "coord-alpha → Casey Coordinator-Ally → Dana Decider</span></button>"
    assert button in client.get(f"/c/alpha/issues/{w['issue_id']}/plan").get_data(as_text=True)
    client.post(f"{URL}/issues/{w['issue_id']}/tasks-from-path",
                data={"target": target, "path": str(index)})
    html = client.get(f"/c/alpha/issues/{w['issue_id']}/plan").get_data(as_text=True)
    assert button not in html
    assert ('<strong>Planned:</strong><span class="visually-hidden"> coord-alpha → Casey Coordinator-Ally → '
            'Dana Decider</span>') in html
    assert "Reggie Relations → Dana Decider</span></button>" in html  # other paths stay buttons
    with app.app_context():
        for task in db.session.scalars(select(Task).where(Task.path_key.is_not(None))):
            task.status = "cancelled"
        db.session.commit()
    assert button in client.get(f"/c/alpha/issues/{w['issue_id']}/plan").get_data(as_text=True)


def test_paths_not_in_the_analysis_plan_nothing(app, client, world):
    w = world["alpha"]
    login(client, w["coordinator"])
    for data in ({"target": f"contact:{w['boss_contact_id']}", "path": "7"},
                 {"target": f"contact:{w['contact_id']}", "path": "0"},
                 {"target": f"contact:{world['beta']['boss_contact_id']}", "path": "0"},
                 {"target": "", "path": "x"},
                 # hops in the form are ignored: only the analysis counts
                 {"target": "member:1", "path": "0", "hops": "ally:999"}):
        response = client.post(f"{URL}/issues/{w['issue_id']}/tasks-from-path", data=data,
                               follow_redirects=True)
        assert "no longer in the analysis" in response.get_data(as_text=True), data
    assert _tasks(app, w) == []


def test_issue_page_offers_the_paths_to_coordinators_only(app, client, world):
    w = world["alpha"]
    login(client, w["coordinator"])
    html = client.get(f"/c/alpha/issues/{w['issue_id']}/plan").get_data(as_text=True)
    assert "tasks-from-path" in html and "Reggie Relations → Dana Decider" in html
    login(client, w["member"])
    html = client.get(f"/c/alpha/issues/{w['issue_id']}/plan").get_data(as_text=True)
    assert "tasks-from-path" not in html


def test_a_path_through_an_ally_without_consent_plans_nothing(app, client, world):
    w = world["alpha"]
    _link_casey_to_dana(app, w, w["membership_id"])
    with app.app_context():
        from coalition.models import Ally

        db.session.get(Ally, w["ally_id"]).consent = False
        db.session.commit()
    target, index, _ = _path_via_casey(app, w)
    login(client, w["coordinator"])
    page = client.post(f"{URL}/issues/{w['issue_id']}/tasks-from-path",
                       data={"target": target, "path": str(index)}, follow_redirects=True)
    assert "not consented to be contacted" in page.get_data(as_text=True)
    assert _tasks(app, w) == []
