"""Fixtures in the flaskr style: app -> client -> runner -> auth, plus a ``world`` of two
chapters with one row of every kind, used by the access tests.

Building these used to be most of the suite's time, so the costly parts are done once per
run and put back before each test instead:

* one database for the run: SQLite in a temporary folder, or the server named by
  COALITION_TEST_DATABASE_URL (``make test-postgres``). The schema is built once; every
  test that uses the database starts with all tables emptied. Tests still commit for real,
  so other connections, threads and forked processes see their data as in production;
* the ``world`` is built once through the services; its rows are kept and inserted again
  for each test that asks for it (same ids, same values, a few milliseconds);
* one app for the run (``app``): building one takes 0.1-0.2 s, nearly all of it werkzeug
  compiling the URL rules. Before each test its settings, the state it keeps in memory and
  its instance folder are put back as they were (``SharedApp.fresh``).
  ``app_factory(**overrides)`` still builds a new app from a fresh mapping, on the same
  database, for tests that need other settings or a new app.
"""
from __future__ import annotations

import atexit
import contextlib
import copy
import functools
import os
import shutil
import tempfile
import threading

import pytest

from coalition import create_app
from coalition.leverage import analysis
from coalition.platform import page_cache, ratelimit
from coalition.platform.extensions import db
from tests import factories
from tests.mailserver import smtp_server  # noqa: F401  (a fixture for every test)

SERVER_URL = os.environ.get("COALITION_TEST_DATABASE_URL")


@contextlib.contextmanager
def scratch_database(tmp_path, name: str = "scratch"):
    """The address of an empty database of the run's kind, removed afterwards: a SQLite file
    in tmp_path, or a throw-away database on the run's PostgreSQL server."""
    if not SERVER_URL:
        yield "sqlite:///" + str(tmp_path / f"{name}.db")
        return
    import secrets

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from coalition.platform.config import normalise_database_url

    server = make_url(normalise_database_url(SERVER_URL))
    database = f"coalition_{name}_{secrets.token_hex(4)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{database}"'))
    try:
        yield server.set(database=database).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()


@functools.cache
def _sqlite_url() -> str:
    """The run's SQLite file, in a folder of its own that goes when the run ends."""
    folder = tempfile.mkdtemp(prefix="coalition-tests-")
    owner = os.getpid()  # forked children (concurrency tests, analysis) must not remove it
    atexit.register(lambda: os.getpid() == owner and shutil.rmtree(folder, ignore_errors=True))
    return "sqlite:///" + os.path.join(folder, "test.db")


def make_config(tmp_path, **overrides) -> dict:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "WTF_CSRF_ENABLED": False,
        # Every app of a test, and of the run, uses the run's database unless told otherwise.
        "DATABASE_URL": SERVER_URL or _sqlite_url(),
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "SERVER_NAME": None,
        # Fast hashing keeps fixtures cheap; production uses scrypt's full cost.
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    }
    config.update(overrides)
    return config


class RunDatabase:
    """The run's database: empties it before a test and inserts the world's rows.

    Both are plain SQL prepared once (the world's rows as literal values), sent as one
    script on PostgreSQL, where each round trip counts, and statement by statement on
    SQLite, whose driver takes one at a time."""

    def __init__(self, app):
        self.app = app
        self.tables = db.metadata.sorted_tables  # parents before children
        self.postgres = SERVER_URL is not None
        # Children first for the foreign keys. DELETE, not TRUNCATE: on PostgreSQL a
        # TRUNCATE of every table costs ~50 ms (new files for each table and index).
        # SQLite's INTEGER PRIMARY KEYs (no AUTOINCREMENT) start again from the largest
        # id left, 1 in an empty table; PostgreSQL's sequences are set the same way.
        self.empty_sql = [f'DELETE FROM "{t.name}"' for t in reversed(self.tables)]
        self.empty_sql += self._sequences_sql()
        self.world_sql: list[str] = []
        self.world_ids: dict = {}

    def create_schema(self) -> None:
        with self.app.app_context():
            if self.postgres:
                db.drop_all()  # a schema left behind by an interrupted run
            db.create_all()

    def drop_schema(self) -> None:
        if self.postgres:
            with self.app.app_context():
                db.session.remove()
                db.drop_all()

    def capture_world(self) -> None:
        """Build the world once through the services and keep its rows as INSERTs; check
        that they give back exactly the same rows."""
        self.empty()
        with self.app.app_context():
            self.world_ids = factories.build_world(db.session)
            db.session.remove()
            built = self._rows()
            dialect = db.engine.dialect
        self.world_sql = [
            str(table.insert().values(rows).compile(
                dialect=dialect, compile_kwargs={"literal_binds": True}))
            for table, rows in built.items() if rows] + self._sequences_sql()
        self.empty()
        self.load_world()
        with self.app.app_context():
            assert self._rows() == built, "the world's rows did not survive as SQL"
        self.empty()

    def empty(self) -> None:
        self._execute(self.empty_sql)

    def load_world(self) -> dict:
        self._execute(self.world_sql)
        return copy.deepcopy(self.world_ids)

    def _execute(self, statements: list[str]) -> None:
        with self.app.app_context(), db.engine.begin() as conn:
            if self.postgres:
                conn.exec_driver_sql(";\n".join(statements))
            else:
                for statement in statements:
                    conn.exec_driver_sql(statement)

    def _rows(self) -> dict:
        with db.engine.connect() as conn:
            return {table: [dict(row._mapping) for row in conn.execute(table.select())]
                    for table in self.tables}

    def _sequences_sql(self) -> list[str]:
        """On PostgreSQL: every table's next id one past its largest, as in a fresh
        database with the same rows."""
        if not self.postgres:
            return []
        return ["SELECT " + ", ".join(
            f"setval(pg_get_serial_sequence('\"{t.name}\"', '{c.name}'), "
            f"COALESCE((SELECT max(\"{c.name}\") FROM \"{t.name}\"), 0) + 1, false)"
            for t in self.tables if (c := t.autoincrement_column) is not None)]


class SharedApp:
    """One app for the whole run, put back before each test as it was built. State that
    the app comes to keep in memory must be put back in ``fresh`` too."""

    def __init__(self, app):
        self.app = app
        self.config = copy.deepcopy(dict(app.config))
        self.extensions = set(app.extensions)
        self.rules = len(list(app.url_map.iter_rules()))

    def fresh(self, tmp_path):
        app = self.app
        assert len(list(app.url_map.iter_rules())) == self.rules, "a test added a route"
        # Settings: tests change app.config in place.
        app.config.clear()
        app.config.update(copy.deepcopy(self.config))
        # Memory: the page cache (its counters too), and what the app learns while serving
        # (e.g. "coalition.setup_done" once an account exists).
        for key in set(app.extensions) - self.extensions:
            del app.extensions[key]
        page_cache.init_app(app)
        analysis.init_app(app)  # an empty analysis cache: the world's ids repeat every test
        ratelimit.install_counters(app)  # this app's switch, no counts yet
        # A folder of the test's own for the outbox and other instance files.
        app.instance_path = app.config["INSTANCE_PATH"] = str(tmp_path / "instance")
        os.makedirs(app.instance_path, exist_ok=True)
        return app


def _wait_for_analysis_threads() -> None:
    """A background analysis must not write into the next test's database."""
    for thread in threading.enumerate():
        if thread.name.startswith("analysis-") and thread is not threading.current_thread():
            thread.join(timeout=60)


@pytest.fixture(scope="session")
def _shared_app(tmp_path_factory):
    app = create_app(make_config(tmp_path_factory.mktemp("shared")))
    yield SharedApp(app)  # noted as built, before anything could change it
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def _database(_shared_app):
    """The schema and the world, built once for the run."""
    database = RunDatabase(_shared_app.app)
    database.create_schema()
    database.capture_world()
    yield database
    database.drop_schema()


@functools.cache
def _counters(app) -> ratelimit.DatabaseStorage:
    """The rate-limit counters of the run's database (on SQLite a file of their own)."""
    return ratelimit.DatabaseStorage(ratelimit._counter_engine(app))


@pytest.fixture
def app_factory(tmp_path, _database):
    """Build an app from a fresh mapping; tests that need other settings use this. Every
    test that uses the database comes through here and starts with it empty (the rate-limit
    counters too)."""
    _database.empty()
    _counters(_database.app).reset()
    made = []

    def build(**overrides):
        app = create_app(make_config(tmp_path, **overrides))
        made.append(app)
        return app

    yield build
    _wait_for_analysis_threads()
    for app in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(app_factory, _shared_app, tmp_path):
    """The run's app with the default test settings, as if new (see ``SharedApp``)."""
    return _shared_app.fresh(tmp_path)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, email: str, password: str = factories.PASSWORD):
        return self._client.post("/login", data={"email": email, "password": password})

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def world(app, _database):
    """Two chapters, alpha and beta, each with a coordinator, a member and one row of
    every kind; returns plain ids (see ``factories.build_world``). Built once per run and
    inserted again for each test (``RunDatabase.load_world``)."""
    return _database.load_world()
