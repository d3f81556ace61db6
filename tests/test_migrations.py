"""The migrations build exactly the models' schema, on SQLite and on PostgreSQL.

On SQLite the test uses a fresh database file. With COALITION_TEST_DATABASE_URL (a server)
it creates a throw-away database beside the test database, because the fixtures build the
test database's schema with ``create_all`` and a migration must start from nothing.
"""
from __future__ import annotations

import logging
from datetime import date, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, Table, inspect, text

from coalition import ROOT, create_app
from coalition.platform.extensions import db
from tests.conftest import make_config, scratch_database


@pytest.fixture
def database_url(tmp_path):
    """The address of an empty database, removed afterwards."""
    with scratch_database(tmp_path, "migr") as url:
        yield url


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


def _insert(conn, table_name: str, **values) -> None:
    """A row with the given values and a plain value in every other required column, for the
    table as the database has it at that revision (not as the models say)."""
    table = Table(table_name, MetaData(), autoload_with=conn)
    row = dict(values)
    for column in table.columns:
        if column.name in row or column.nullable or column.primary_key:
            continue
        kind = column.type.python_type
        row[column.name] = {int: 1, str: "x", bool: True, datetime: datetime(2026, 1, 1),
                            date: date(2026, 1, 1)}[kind]
    conn.execute(table.insert().values(**row))


def test_upgrading_a_database_with_data_keeps_every_row(migr_app):
    """Batch migrations rebuild tables on SQLite; with foreign keys on, dropping the old
    ``ally`` table would cascade and delete its stances and relationships."""
    _flask_db(migr_app, "upgrade", "c00ece8933dc")  # before the trash columns
    rows = {"user": {}, "chapter": {}, "membership": {"user_id": 1, "chapter_id": 1},
            "insurer": {"chapter_id": 1}, "insurer_contact": {"chapter_id": 1, "insurer_id": 1},
            "issue": {"chapter_id": 1, "insurer_id": 1},
            "ally": {"chapter_id": 1}, "stance": {"chapter_id": 1, "ally_id": 1, "issue_id": 1},
            "relationship": {"chapter_id": 1, "a_ally_id": 1, "b_contact_id": 1, "strength": 3},
            "issue_event": {"chapter_id": 1, "issue_id": 1},
            "outreach_task": {"chapter_id": 1, "issue_id": 1, "ally_id": 1},
            "touchpoint": {"chapter_id": 1, "relationship_id": 1}}
    with migr_app.app_context(), db.engine.begin() as conn:
        for table, values in rows.items():
            _insert(conn, table, id=1, **values)
    _flask_db(migr_app, "upgrade")
    with migr_app.app_context(), db.engine.connect() as conn:
        for table in rows:
            assert conn.execute(text(f'SELECT count(*) FROM "{table}"')).scalar() == 1, table
        assert conn.execute(text("SELECT trash_id FROM stance")).scalar() is None
