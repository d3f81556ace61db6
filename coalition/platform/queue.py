"""The task queue: Huey, for everything that should not run inside a web request.

* Storage: ``QUEUE_URL``. Empty (the default) is a SQLite file in the instance folder,
  ``instance/queue.db``, so ``make run`` needs no extra server; ``redis://host:6379/0`` when
  consumers on several hosts share the work. ``QUEUE_IMMEDIATE`` (on under ``TESTING``)
  runs each task at once, in the caller, with in-memory storage.
* Consumers: ``flask --app coalition queue`` (``make run`` and ``make serve`` start one next to
  the web server). A consumer is its own process: nothing is forked from a web worker.
* Tasks are plain functions registered with :func:`task` / :func:`periodic_task`; each runs
  inside an app context of the consumer's app (or the caller's, in immediate mode).
* A task interrupted by stopping the consumer (SIGTERM, Ctrl-C twice) is put back on the
  queue; the jobs are written to be safe to run twice.
"""
from __future__ import annotations

import functools
import os
from pathlib import Path

from flask import Flask, current_app, has_app_context
from huey import Huey, RedisHuey, SqliteHuey, crontab, signals
from huey.storage import MemoryStorage

__all__ = ["huey", "task", "periodic_task", "crontab", "init_app", "consumer"]

# One Huey for the process; init_app points its storage at the app's queue. Tasks register
# on it at import time, as Huey expects.
huey = Huey("coalition", immediate=False, storage_class=MemoryStorage)
_apps: list[Flask] = []  # the app a consumer runs tasks in


def _app() -> Flask:
    if has_app_context():
        return current_app._get_current_object()
    if not _apps:
        raise RuntimeError("the task queue has no app: call coalition.platform.queue.init_app")
    return _apps[-1]


def _in_app(fn):
    """Run ``fn`` in an app context; in immediate mode the caller's own."""
    @functools.wraps(fn)
    def run(*args, **kwargs):
        if has_app_context():
            return fn(*args, **kwargs)
        app = _app()
        with app.app_context():
            from coalition.platform.extensions import db

            try:
                return fn(*args, **kwargs)
            finally:
                db.session.remove()
    return run


def task(**options):
    """``@task(retries=3, retry_delay=60)``: a background job (Huey's ``task``)."""
    def register(fn):
        return huey.task(**options)(_in_app(fn))
    return register


def periodic_task(schedule, **options):
    """``@periodic_task(crontab(hour="3", minute="15"))``: run by a consumer's scheduler."""
    def register(fn):
        return huey.periodic_task(schedule, **options)(_in_app(fn))
    return register


def storage_for(app: Flask):
    """The Huey whose storage the app's settings name (not yet installed)."""
    url = (app.config.get("QUEUE_URL") or "").strip()
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey("coalition", url=url)
    path = url.removeprefix("sqlite:///") if url else str(Path(app.instance_path) / "queue.db")
    return SqliteHuey("coalition", filename=path)


def init_app(app: Flask) -> None:
    if app.config["QUEUE_IMMEDIATE"]:
        huey.immediate = True  # runs tasks in the caller, storage in memory
    else:
        huey.immediate = False
        huey.storage = storage_for(app).storage
    _apps.append(app)
    del _apps[:-4]  # tests build many apps; only the newest runs tasks
    # Importing registers the tasks of every area.
    from coalition import jobs  # noqa: F401


@huey.signal(signals.SIGNAL_INTERRUPTED)
def _put_back(signal, task, *args, **kwargs):
    # The consumer is stopping under a running task: run it again on the next start.
    huey.enqueue(task)


def consumer(app: Flask, workers: int = 2, periodic: bool = True):
    """A Huey consumer that runs tasks in ``app`` (threads in this process)."""
    if app not in _apps:
        _apps.append(app)
    # An idle consumer looks for jobs at least every second (Huey's default backs off to
    # 10 s): a page may be waiting for a job's result.
    return huey.create_consumer(workers=workers, worker_type="thread", periodic=periodic,
                                check_worker_health=True, max_delay=1.0)


def pid_file(app: Flask) -> str:
    return os.path.join(app.instance_path, "queue.pid")


@task()
def ping(seconds: float = 0.0) -> str:
    """A health check: is a consumer taking jobs? (``flask queue-ping``; tests also use its
    ``seconds`` to hold a job while the consumer is stopped.)"""
    import time

    time.sleep(min(max(float(seconds), 0.0), 60.0))
    return "pong"
