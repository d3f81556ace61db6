"""A real queue for the analysis tests that need jobs to wait: the process's Huey on a SQLite
file in the test's folder (as ``make run`` uses it), and ``run()`` doing what a consumer
does with the waiting jobs; back to immediate afterwards."""
from __future__ import annotations

import pytest
from huey import SqliteHuey

from coalition.platform import queue


class Jobs:
    def __init__(self, app):
        self.app = app

    def pending(self) -> list:
        return queue.huey.pending()

    def run(self) -> list:
        """Run every waiting job, each in an app context of its own, as a consumer would."""
        done = []
        while (job := queue.huey.dequeue()) is not None:
            with self.app.app_context():
                queue.huey.execute(job)
            done.append(job)
        return done


@pytest.fixture
def queued_jobs(app, tmp_path):
    huey = queue.huey
    huey.immediate = False
    huey.storage = SqliteHuey("coalition", filename=str(tmp_path / "queue.db")).storage
    try:
        yield Jobs(app)
    finally:
        huey.immediate = True  # in-memory storage again, as under TESTING
