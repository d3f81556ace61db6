"""The trash_id indexes cover the trashed rows only. Every page asks for ``trash_id IS NULL``;
with a full index SQLite (which keeps no statistics) chose it for that test and read every row
of the table, e.g. all stances of the chapter to show 25 allies' stances."""
from __future__ import annotations

from sqlalchemy import inspect, select, text

from coalition.models import Stance
from coalition.models.base import Trashable
from coalition.platform.extensions import db


def _trashable_tables():
    return sorted({m.class_.__table__.name for m in db.Model.registry.mappers
                   if issubclass(m.class_, Trashable)})


def test_every_trash_id_index_leaves_the_live_rows_out(app):
    with app.app_context():
        tables = _trashable_tables()
        assert "stance" in tables and "ally" in tables
        inspector = inspect(db.engine)
        for table in tables:
            index = {i["name"]: i for i in inspector.get_indexes(table)}[f"ix_{table}_trash_id"]
            if db.engine.dialect.name == "sqlite":
                where = db.session.scalar(text("SELECT sql FROM sqlite_master WHERE name = :n"),
                                          {"n": index["name"]})
            else:
                where = db.session.scalar(text("SELECT indexdef FROM pg_indexes WHERE indexname = :n"),
                                          {"n": index["name"]})
            assert "trash_id IS NOT NULL" in where.replace("(", "").replace(")", ""), (table, where)


def test_a_page_reads_stances_by_ally_and_the_trash_by_its_index(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            return  # PostgreSQL plans by its statistics; the partial index is checked above
        live = select(Stance.id).where(Stance.ally_id.in_([1, 2]), Stance.trash_id.is_(None))
        trashed = select(Stance.id).where(Stance.trash_id == 7)

        def plan(stmt):
            sql = str(stmt.compile(db.engine, compile_kwargs={"literal_binds": True}))
            return " ".join(row[-1] for row in db.session.execute(text("EXPLAIN QUERY PLAN " + sql)))

        assert "ix_stance_trash_id" not in plan(live) and "ally_id" in plan(live)
        assert "ix_stance_trash_id" in plan(trashed)
