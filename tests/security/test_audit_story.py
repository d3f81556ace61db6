"""The audit trail reads as sentences with names and links, not class names and ids; a
record deleted since says so without a link; the names cost one query per kind of record,
not one per entry."""
from __future__ import annotations

import re

from sqlalchemy import event, select

from coalition.models import Ally, User
from coalition.platform.extensions import db
from coalition.privacy import audit


def _trail(client) -> list[str]:
    html = client.get("/c/alpha/audit").get_data(as_text=True)
    items = re.findall(r"<li><time[^>]*>[^<]*</time>(.*?)</li>", html, re.S)
    return [re.sub(r"\s+", " ", item).strip() for item in items]


def _names(app, world):
    with app.app_context():
        coord = db.session.scalar(select(User).where(User.email == world["alpha"]["coordinator"]))
        return coord.id, coord.name


def test_entries_read_as_sentences_with_links(app, client, auth, world):
    a = world["alpha"]
    coord_id, coord = _names(app, world)
    with app.app_context():
        db.session.execute(audit.AuditEntry.__table__.delete())
        audit.record(db.session, "changed", "Ally", a["ally_id"], a["chapter_id"], ["email", "region"],
                     actor_id=coord_id)
        audit.record(db.session, "created", "Task", a["task_id"], a["chapter_id"], actor_id=coord_id)
        db.session.commit()
    auth.login(a["coordinator"])
    client.post(f"/c/alpha/outreach/issues/{a['issue_id']}/checklist", data={"item": "decision_makers", "done": "1"})
    assert client.get("/c/alpha/map/export?format=graphml").status_code == 200
    trail = _trail(client)
    html = client.get("/c/alpha/audit").get_data(as_text=True)

    assert f"<strong>{coord}</strong> exported the map (GraphML)" in trail
    assert (f"<strong>{coord}</strong> ticked ‘Decision makers identified’ "
            f'<a href="/c/alpha/issues/{a["issue_id"]}">‘Decision makers identified’ on 12-visit annual cap</a>'
            ) not in trail  # the item is said once
    assert any(line.startswith(f"<strong>{coord}</strong> ticked") and "Decision makers identified" in line
               and "12-visit annual cap" in line and f'href="/c/alpha/issues/{a["issue_id"]}"' in line
               for line in trail), trail
    assert (f'<strong>{coord}</strong> edited the ally <a href="/c/alpha/allies/{a["ally_id"]}">'
            "Casey Coordinator-Ally</a> (e-mail, region)") in trail
    assert (f'<strong>{coord}</strong> added the task <a href="/c/alpha/outreach/tasks/{a["task_id"]}">'
            "Call Casey</a>") in trail
    for raw in ("PreparationTick", "network.export", "#", "Ally "):
        assert raw not in " ".join(trail), raw
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d">\d{1,2} \w{3} \d{4}, \d\d:\d\d</time>', html)


def test_a_record_deleted_since_says_so_without_a_link(app, client, auth, world):
    a = world["alpha"]
    coord_id, coord = _names(app, world)
    with app.app_context():
        ally = db.session.get(Ally, a["pending_ally_id"])
        pending_id = ally.id
        db.session.execute(audit.AuditEntry.__table__.delete())
        audit.record(db.session, "changed", "Ally", pending_id, a["chapter_id"], ["name"], actor_id=coord_id)
        db.session.delete(ally)
        db.session.commit()
    auth.login(a["coordinator"])
    trail = _trail(client)
    edited = [line for line in trail if "edited the ally" in line]
    assert edited == [f'<strong>{coord}</strong> edited the ally (name) <span class="muted">(deleted since)</span>']


def test_the_names_cost_one_query_per_kind_not_per_entry(app, client, auth, world):
    a = world["alpha"]
    coord_id, _ = _names(app, world)

    def queries():
        seen = []
        with app.app_context():
            engine = db.engine
        listener = lambda *args: seen.append(1)  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert client.get("/c/alpha/audit").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(seen)

    def add(n):
        with app.app_context():
            for _ in range(n):
                for kind, key in (("Ally", "ally_id"), ("Task", "task_id"), ("Stance", "stance_id"),
                                  ("IssueEvent", "event_id"), ("Relationship", "relationship_id")):
                    audit.record(db.session, "changed", kind, a[key], a["chapter_id"], ["notes"], actor_id=coord_id)
            db.session.commit()

    auth.login(a["coordinator"])
    add(1)
    queries()  # the first page of the session reads more (the log-in's bookkeeping)
    before = queries()
    add(8)  # 40 entries more on the page: not one query more
    assert queries() <= before
