"""The migrations build exactly the models' schema, on SQLite and on PostgreSQL.

On SQLite the test uses a fresh database file. With COALITION_TEST_DATABASE_URL (a server)
it creates a throw-away database beside the test database, because the fixtures build the
test database's schema with ``create_all`` and a migration must start from nothing.
"""
from __future__ import annotations

import logging
import secrets
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from coalition import ROOT, create_app
from coalition.platform.config import normalise_database_url
from coalition.platform.extensions import db
from tests.conftest import SERVER_URL, make_config


@pytest.fixture
def database_url(tmp_path):
    """The address of an empty database, removed afterwards."""
    if not SERVER_URL:
        yield "sqlite:///" + str(tmp_path / "migrations.db")
        return
    server = make_url(normalise_database_url(SERVER_URL))
    name = f"coalition_migr_{secrets.token_hex(4)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def keep_logging():
    """Alembic's env.py reconfigures logging (and disables existing loggers): undo that."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    disabled = {name: logger.disabled for name, logger in logging.root.manager.loggerDict.items()
                if isinstance(logger, logging.Logger)}
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, logger in logging.root.manager.loggerDict.items():
        if isinstance(logger, logging.Logger):
            logger.disabled = disabled.get(name, False)


@pytest.fixture
def migr_app(tmp_path, database_url, keep_logging):
    app = create_app(make_config(tmp_path, DATABASE_URL=database_url))
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _flask_db(app, *args: str) -> None:
    runner = app.test_cli_runner()
    with app.app_context():
        result = runner.invoke(args=["db", *args])
    assert result.exit_code == 0, (result.output, result.exception)


def _schema_diff(app) -> list:
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": True})
        return compare_metadata(context, db.metadata)


def _tables(app) -> set[str]:
    with app.app_context():
        return set(inspect(db.engine).get_table_names())


def test_single_head():
    script = ScriptDirectory(str(Path(ROOT) / "migrations"))
    assert len(script.get_heads()) == 1
    assert len(script.get_bases()) == 1


def test_upgrade_gives_exactly_the_models_schema(migr_app):
    assert _tables(migr_app) == set()
    _flask_db(migr_app, "upgrade")
    assert _tables(migr_app) == set(db.metadata.tables) | {"alembic_version"}
    assert _schema_diff(migr_app) == []


def test_downgrade_to_base_and_upgrade_again(migr_app):
    _flask_db(migr_app, "upgrade")
    _flask_db(migr_app, "downgrade", "base")
    assert _tables(migr_app) <= {"alembic_version"}
    _flask_db(migr_app, "upgrade")
    assert _schema_diff(migr_app) == []
    with migr_app.app_context(), db.engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_heads()
    script = ScriptDirectory(str(Path(ROOT) / "migrations"))
    assert set(current) == set(script.get_heads())
