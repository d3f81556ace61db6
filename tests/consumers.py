"""A web app on a real SQLite queue in a test's folder (as ``make run`` and ``make serve``
have it), and consumer processes (``flask queue``) started on the same queue and database."""
from __future__ import annotations

import contextlib
import os
import select
import subprocess
import sys
import time

from coalition import create_app
from coalition.platform.extensions import db
from tests.conftest import make_config


@contextlib.contextmanager
def queued_app(tmp_path, **overrides):
    """``(app, start)``: the app keeps jobs in tmp_path/queue.db; ``start(*options)`` runs a
    consumer process on them (``flask queue`` with those options) and returns it. Consumers
    are killed and the process's queue put back in immediate mode afterwards."""
    app = create_app(make_config(tmp_path, TESTING=False, QUEUE_IMMEDIATE=False,
                                 INSTANCE_PATH=str(tmp_path), **overrides))
    started: list[subprocess.Popen] = []

    def start(*options: str) -> subprocess.Popen:
        env = dict(os.environ, COALITION_INSTANCE_PATH=str(tmp_path), COALITION_SECRET_KEY="x",
                   COALITION_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
                   COALITION_QUEUE_IMMEDIATE="0")
        started.append(subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "coalition", "queue", "--workers", "1",
             "--no-periodic", *options], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True))
        return started[-1]

    try:
        yield app, start
    finally:
        for process in started:
            if process.poll() is None:
                process.kill()
            process.wait(10)
        with app.app_context():
            db.engine.dispose()
        create_app(make_config(tmp_path))  # the process's queue back to immediate mode


def wait_until_running(process: subprocess.Popen, timeout: float = 60.0) -> str:
    """Read the consumer's log until Huey says it has started (its signal handlers are in
    place from then on: a Ctrl-C sent earlier, while Python is still importing, would end it
    with a traceback instead of a clean stop). What it logged so far."""
    seen, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "".join(seen) + process.stdout.read()
        ready, _, _ = select.select([process.stdout], [], [], 0.2)
        if ready:
            line = process.stdout.readline()
            seen.append(line)
            if "consumer started" in line.lower():
                return "".join(seen)
    raise AssertionError("the consumer did not start: " + "".join(seen))
