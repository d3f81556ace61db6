"""Several worker processes writing at once through the app: nothing fails, nothing is lost.

On SQLite the database is a file in WAL mode and writing requests begin with BEGIN
IMMEDIATE; on PostgreSQL (COALITION_TEST_DATABASE_URL) the same workload runs unchanged.
"""
from __future__ import annotations

import multiprocessing
import sqlite3

import pytest
from sqlalchemy import func, select, text

from coalition import create_app
from coalition.models import Ally, Chapter
from coalition.platform.extensions import db
from tests import factories
from tests.conftest import SERVER_URL, make_config

WORKERS = 4
WRITES_EACH = 25


def _install_write_route(app):
    """A request that reads and then writes, the pattern that fails on SQLite with
    deferred transactions ("database is locked") when another worker commits between."""

    def write(slug):
        chapter = db.session.scalar(select(Chapter).where(Chapter.slug == slug))
        n = db.session.scalar(select(func.count(Ally.id)).where(Ally.chapter_id == chapter.id))
        db.session.add(Ally(chapter_id=chapter.id, name=f"Writer ally after {n}", kind="other"))
        db.session.commit()  # the flush hook also bumps chapter.data_version: a hot row
        return "ok"

    app.add_url_rule("/_scale/write/<slug>", "scale_write", write, methods=["POST"])


def _worker(config: dict, slug: str, queue) -> None:
    app = create_app(config)
    _install_write_route(app)
    client = app.test_client()
    failures = []
    for _ in range(WRITES_EACH):
        try:
            response = client.post(f"/_scale/write/{slug}")
            if response.status_code != 200:
                failures.append(response.status_code)
        except Exception as exc:  # pragma: no cover - reported to the parent
            failures.append(repr(exc))
    with app.app_context():
        db.engine.dispose()
    queue.put(failures)


def test_concurrent_writing_processes_lose_nothing(app_factory, tmp_path):
    app = app_factory()
    with app.app_context():
        chapter = factories.chapter(db.session, "busy")
        factories.member(db.session, chapter, "coord-busy@example.org", role="coordinator")
        db.session.commit()
        before = db.session.get(Chapter, chapter.id).data_version
        db.session.remove()
        db.engine.dispose()

    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    config = make_config(tmp_path)
    procs = [ctx.Process(target=_worker, args=(config, "busy", queue)) for _ in range(WORKERS)]
    for proc in procs:
        proc.start()
    results = [queue.get(timeout=120) for _ in procs]
    for proc in procs:
        proc.join(timeout=30)
        assert proc.exitcode == 0

    assert results == [[]] * WORKERS, f"failed writes: {results}"
    with app.app_context():
        chapter = db.session.scalar(select(Chapter).where(Chapter.slug == "busy"))
        count = db.session.scalar(select(func.count(Ally.id)).where(Ally.chapter_id == chapter.id))
        assert count == WORKERS * WRITES_EACH
        # Every commit bumped the data version once: no update of the hot row was lost.
        assert chapter.data_version == before + WORKERS * WRITES_EACH


sqlite_only = pytest.mark.skipif(bool(SERVER_URL), reason="SQLite settings")


@sqlite_only
def test_sqlite_connections_are_set_up_for_several_workers(app):
    with app.app_context():
        conn = db.session.connection()
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 15000


@sqlite_only
def test_writing_requests_take_the_write_lock_at_begin(app, tmp_path):
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")

    def other_writer_blocked() -> bool:
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError as exc:
            assert "locked" in str(exc)
            return True
        finally:
            other.close()

    with app.test_request_context("/", method="POST"):
        db.session.execute(text("SELECT 1"))  # a read only, yet the lock is held
        assert other_writer_blocked()
        db.session.rollback()
        assert not other_writer_blocked()
    with app.test_request_context("/", method="GET"):
        db.session.execute(text("SELECT 1"))
        assert not other_writer_blocked()
        db.session.rollback()
    with app.app_context():
        db.session.remove()
