"""The analysis through a real consumer process on the SQLite queue, as ``make run`` and
``make serve`` use it: the first result is computed by the consumer while the page waits
for it; a page served while the data changed gets the older result, labelled, and the job,
run by the consumer, stores the current one."""
from __future__ import annotations

import os
import signal
import time

import pytest
from sqlalchemy import select

from coalition.models import AnalysisResult, Chapter, Stance
from coalition.platform import queue
from coalition.platform.extensions import db
from tests import factories
from tests.consumers import queued_app, wait_until_running

LABEL = "ago; recomputing with the newest changes"


@pytest.fixture
def served(tmp_path, world):
    """An app like a web worker's (jobs wait in tmp_path's queue.db), and its consumer."""
    with queued_app(tmp_path, ANALYSIS_REFRESH_FACTOR=0) as running:
        yield running


def _stored_versions(app, chapter_id, issue_id):
    with app.app_context():
        return db.session.scalars(select(AnalysisResult.data_version).where(
            AnalysisResult.chapter_id == chapter_id,
            AnalysisResult.subject == f"issue:{issue_id}")).all()


def test_a_stale_page_and_the_consumer_stores_the_current_result(served, world):
    app, consumer = served
    alpha = world["alpha"]
    client = app.test_client()
    client.post("/login", data={"email": alpha["coordinator"], "password": factories.PASSWORD})
    url = f"/c/alpha/issues/{alpha['issue_id']}"
    process = consumer()
    first = client.get(url)  # waits for the consumer's first result
    assert first.status_code == 200, first.status_code
    assert LABEL not in first.get_data(as_text=True)
    assert app.extensions["coalition.analysis"].stats["computed"] == 0  # not in the request
    wait_until_running(process)
    process.send_signal(signal.SIGINT)
    assert process.wait(30) == 0

    with app.app_context():
        db.session.add(Stance(chapter_id=alpha["chapter_id"], ally_id=alpha["own_ally_id"],
                              issue_id=alpha["issue_id"], stance="champion"))
        db.session.commit()
        version = db.session.scalar(select(Chapter.data_version).where(
            Chapter.id == alpha["chapter_id"]))
    for _ in range(3):  # several page views (or workers): one job
        assert LABEL in client.get(url).get_data(as_text=True)
    waiting = [t for t in queue.huey.pending() if t.name.endswith("refresh_analysis")]
    assert [t.args[1] for t in waiting] == [f"issue:{alpha['issue_id']}"]
    assert _stored_versions(app, alpha["chapter_id"], alpha["issue_id"]) == [version - 1]

    process = consumer()  # started again
    deadline = time.monotonic() + 60
    while _stored_versions(app, alpha["chapter_id"], alpha["issue_id"]) != [version]:
        assert time.monotonic() < deadline, process.stdout.read() if process.poll() else "slow"
        time.sleep(0.2)
    page = client.get(url).get_data(as_text=True)
    assert LABEL not in page


def test_a_consumer_started_with_nice_runs_at_lower_priority(served):
    """``flask queue --nice 5``: the web workers on the same host come first."""
    _app, consumer = served
    process = consumer("--nice", "5")
    mine = os.getpriority(os.PRIO_PROCESS, 0)
    deadline = time.monotonic() + 30
    while os.getpriority(os.PRIO_PROCESS, process.pid) != mine + 5:
        assert process.poll() is None, process.stdout.read()
        assert time.monotonic() < deadline, "the consumer's priority did not change"
        time.sleep(0.1)
    wait_until_running(process)
    process.send_signal(signal.SIGINT)
    assert process.wait(30) == 0
