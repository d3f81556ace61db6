"""The dashboard leads with what changed in the last seven days and what waits for the
viewer, read through the real page."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from coalition.models import Ally, Stance
from coalition.models.outreach import Task
from coalition.platform.extensions import db
from tests.outreach.helpers import login


def _set(app, model, ident, **values):
    with app.app_context():
        row = db.session.get(model, ident)
        for k, v in values.items():
            setattr(row, k, v)
        db.session.commit()


def test_changes_and_what_is_due(app, client, world):
    w = world["alpha"]
    old = datetime.now() - timedelta(days=30)
    with app.app_context():  # everything of the world is old, but for what the test makes new
        for model in (Ally, Stance, Task):
            db.session.query(model).update({model.updated_at: old, model.created_at: old},
                                           synchronize_session=False)
        db.session.commit()
    _set(app, Task, w["task_id"], due_on=date.today() - timedelta(days=2))
    _set(app, Task, w["own_task_id"], status="done")
    login(client, w["coordinator"])
    page = client.get("/c/alpha/").get_data(as_text=True)
    lead = page[page.index('id="changes-h"'):page.index('id="issues-h"')]
    assert "Tasks done: 1" in lead and "Write to Reggie" in lead
    assert "New allies" not in lead and "Stances recorded" not in lead
    assert "Your overdue tasks: 1" in lead and "Call Casey" in lead
    assert "Waiting for approval:" in lead
    assert ">1 ally sign-up</a>" in lead and ">1 member</a>" in lead
    # A member sees their own tasks only, and no sign-ups.
    login(client, w["member"])
    page = client.get("/c/alpha/").get_data(as_text=True)
    lead = page[page.index('id="changes-h"'):page.index('id="issues-h"')]
    assert "Call Casey" not in lead and "sign-up" not in lead


def test_another_chapters_changes_never_show(app, client, world):
    _set(app, Task, world["beta"]["task_id"], status="done", title="Beta's secret task")
    login(client, world["alpha"]["coordinator"])
    assert "Beta's secret task" not in client.get("/c/alpha/").get_data(as_text=True)
