"""SQLite set up for several worker processes; PostgreSQL is left as it is.

Every new SQLite connection gets:

* ``journal_mode=WAL``: readers never block the writer and the writer never blocks readers;
* ``busy_timeout`` (``SQLITE_BUSY_TIMEOUT_MS``, 15 s): a writer waits for the lock instead of
  failing with "database is locked";
* ``foreign_keys=ON`` (SQLite's default is off), ``synchronous=NORMAL`` (safe with WAL).

Transactions follow SQLAlchemy's pysqlite recipe: pysqlite's own transaction handling is
switched off and the engine's "begin" event emits the BEGIN itself. Requests that may write
(anything but GET, HEAD and OPTIONS) and code inside :func:`write_transaction` start with
``BEGIN IMMEDIATE``, which takes the write lock up front. Other transactions behave as
pysqlite's default does: reads see the newest committed data and a plain BEGIN is sent just
before the first statement that writes. A deferred transaction that first
reads and then writes can be refused at once (SQLITE_BUSY, no waiting) when another worker
committed in between; taking the lock at BEGIN makes the busy timeout apply instead.
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from contextvars import ContextVar

from flask import Flask, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
DEFAULT_BUSY_TIMEOUT_MS = 15_000
_READ_ONLY = re.compile(r"\s*(SELECT|PRAGMA|EXPLAIN)\b", re.IGNORECASE)

# None: decide by the request method; True: BEGIN IMMEDIATE; False: never take the lock early.
_write_lock: ContextVar[bool | None] = ContextVar("coalition_sqlite_write_lock", default=None)


def init_app(app: Flask) -> None:
    """Install the SQLite behaviour on the app's engines (after ``db.init_app``)."""
    from coalition.platform.extensions import db

    timeout = int(app.config["SQLITE_BUSY_TIMEOUT_MS"])
    with app.app_context():
        for engine in db.engines.values():
            if engine.dialect.name == "sqlite":
                configure_sqlite(engine, busy_timeout_ms=timeout)


def configure_sqlite(engine: Engine, *, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> None:
    if engine.dialect.name != "sqlite":
        return
    memory = engine.url.database in (None, "", ":memory:")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, connection_record):
        # Let the "begin" event below start transactions, not pysqlite.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            cursor.execute("PRAGMA foreign_keys = ON")
            if not memory:
                cursor.execute("PRAGMA journal_mode = WAL")
                cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        if wants_write_lock():
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            # Like pysqlite's own default: reads run on the newest committed data (as in
            # PostgreSQL's READ COMMITTED) and BEGIN comes just before the first write.
            conn.info["coalition_lazy_begin"] = True

    @event.listens_for(engine, "before_cursor_execute")
    def _before_execute(conn, cursor, statement, parameters, context, executemany):
        if conn.info.get("coalition_lazy_begin") and not _READ_ONLY.match(statement):
            conn.info["coalition_lazy_begin"] = False
            cursor.execute("BEGIN")

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _on_end(conn):
        conn.info.pop("coalition_lazy_begin", None)


def wants_write_lock() -> bool:
    forced = _write_lock.get()
    if forced is not None:
        return forced
    return has_request_context() and request.method not in READ_METHODS


@contextmanager
def write_transaction():
    """Transactions begun inside this block take SQLite's write lock at BEGIN (for CLI
    commands and background work that read and then write outside a POST request)."""
    token = _write_lock.set(True)
    try:
        yield
    finally:
        _write_lock.reset(token)


@contextmanager
def read_transaction():
    """Transactions begun inside this block do not take the write lock at BEGIN, even in a
    POST request: for a long read phase while other connections write (import progress)."""
    token = _write_lock.set(False)
    try:
        yield
    finally:
        _write_lock.reset(token)
