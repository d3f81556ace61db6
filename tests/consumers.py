"""A web app on a real SQLite queue in a test's folder (as ``make run`` and ``make serve``
have it), and consumer processes (``flask queue``) started on the same queue and database."""
from __future__ import annotations

import contextlib
import os
import subprocess
import sys

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
