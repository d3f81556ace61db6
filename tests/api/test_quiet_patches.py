"""A PATCH that changes nothing writes nothing: the same services as the browser's forms
(see tests/platform/test_quiet_saves.py), so no audit row, no new version of the row and no
new data version of the chapter. A task's target was written twice on every save."""
from __future__ import annotations

from datetime import datetime

import pytest

from coalition.models import Ally
from tests.platform.test_quiet_saves import audit_tail, set_values, snapshot

PATCHES = [
    ("allies", "ally_id", {"name": "Casey Coordinator-Ally"}),
    ("relationships", "relationship_id", {"strength": 3}),
    ("issues", "issue_id", {"title": "12-visit annual cap"}),
    ("tasks", "task_id", {"title": "Call Casey"}),  # its target: an ally
    ("tasks", "own_task_id", {"title": "Write to Reggie"}),  # its target: a contact
]


@pytest.mark.parametrize(("resource", "key", "same"), PATCHES,
                         ids=[f"{r}-{k}" for r, k, _ in PATCHES])
def test_a_patch_that_changes_nothing_writes_nothing(app, api, world, resource, key, same):
    w = world["alpha"]
    # Consent is recorded with its time on every path but the test factory's.
    set_values(app, Ally, w["ally_id"], consent_at=datetime(2026, 5, 3, 10, 0))
    path = f"/{resource}/{w[key]}"
    row = api.get(path).get_json()
    before = snapshot(app, w["chapter_id"])
    response = api.patch(path, json={"version": row["version"], **same})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["version"] == row["version"]
    after = snapshot(app, w["chapter_id"])
    assert after == before, audit_tail(app, after[0] - before[0])
