"""The task queue: immediate in tests, and through a real consumer process on the SQLite
storage the way ``make run`` uses it (a job is taken and answered; a consumer stopped under a
running job puts the job back, so a new consumer runs it)."""
from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from coalition.platform import queue
from tests.consumers import queued_app


def test_jobs_run_at_once_under_testing(app):
    assert app.config["QUEUE_IMMEDIATE"] is True
    with app.app_context():
        assert queue.ping().get() == "pong"
    assert "coalition.trash.jobs.purge_trash" in queue.huey._registry._registry


@pytest.fixture
def queued(tmp_path):
    """An app on a real (SQLite) queue in tmp_path, and a way to start consumers on it."""
    with queued_app(tmp_path) as running:
        yield running


def test_a_consumer_takes_jobs_from_the_sqlite_queue(queued):
    app, start = queued
    assert (Path(app.instance_path) / "queue.db").exists()
    with app.app_context():
        result = queue.ping()
    assert queue.huey.pending_count() == 1  # waiting: nobody consumes yet
    consumer = start()
    assert result.get(blocking=True, timeout=30) == "pong"
    consumer.send_signal(signal.SIGINT)  # Ctrl-C: finish and leave
    assert consumer.wait(30) == 0


def test_a_job_interrupted_by_stopping_the_consumer_is_run_again(queued):
    app, start = queued
    with app.app_context():
        result = queue.ping(seconds=4)
    consumer = start()
    deadline = time.monotonic() + 30
    while queue.huey.pending_count() and time.monotonic() < deadline:
        time.sleep(0.1)  # until the consumer has taken the job
    assert queue.huey.pending_count() == 0
    time.sleep(0.5)  # ...and is running it
    consumer.send_signal(signal.SIGTERM)  # stop now, under the running job
    consumer.wait(30)
    assert queue.huey.pending_count() == 1, consumer.stdout.read()  # put back, not lost
    start()
    assert result.get(blocking=True, timeout=60) == "pong"
