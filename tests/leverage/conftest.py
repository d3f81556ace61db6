"""A real queue for the analysis tests that need jobs to wait: after ``hold()`` the process's
Huey keeps jobs in a SQLite file in the test's folder (as ``make run`` does), and ``run()``
does what a consumer does with them; immediate before (first results are computed in the
caller then) and afterwards."""
from __future__ import annotations

import pytest
from huey import SqliteHuey

from coalition.platform import queue


class Jobs:
    def __init__(self, app, path: str):
        self.app, self.path = app, path

    def hold(self) -> None:
        """From now on, jobs wait for ``run()``."""
        huey = queue.huey
        huey.immediate = False
        huey.storage = SqliteHuey("coalition", filename=self.path).storage

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
    try:
        yield Jobs(app, str(tmp_path / "queue.db"))
    finally:
        queue.huey.immediate = True  # in-memory storage again, as under TESTING
