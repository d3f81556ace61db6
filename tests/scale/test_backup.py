"""Backup and restore round trip: every table's rows, and the map export, come back
identical. Runs on SQLite and, with COALITION_TEST_DATABASE_URL, on PostgreSQL."""
from __future__ import annotations

from datetime import date

from sqlalchemy import delete, select

from coalition.demo.seed import seed_demo
from coalition.models import Ally
from coalition.platform.extensions import db
from tests import factories

TODAY = date(2026, 11, 27)


def _canonical() -> dict[str, list[tuple]]:
    out = {}
    for table in db.metadata.sorted_tables:
        order = list(table.primary_key.columns) or list(table.columns)
        rows = db.session.execute(select(table).order_by(*order)).all()
        out[table.name] = [tuple(repr(v) for v in row) for row in rows]
    return out


def _map_export(chapter_id: int) -> bytes:
    from coalition.leverage.loader import load_rows
    from coalition.leverage.mapexport import build_map, export

    return export(build_map(load_rows(db.session, chapter_id), TODAY), "graphml")


def test_backup_and_restore_lose_nothing(app, runner, tmp_path):
    with app.app_context():
        factories.build_world(db.session)
        chapter = factories.chapter(db.session, "demo")
        seed_demo(db.session, chapter, allies=60, seed=3, today=TODAY)
        db.session.commit()
        before = _canonical()
        chapter_id = chapter.id
        map_before = _map_export(chapter_id)
        db.session.remove()
    assert sum(len(rows) for rows in before.values()) > 300

    target = tmp_path / "coalition.privacy.backup"
    result = runner.invoke(args=["backup", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.stat().st_size > 0

    with app.app_context():  # changes after the backup, to be undone by the restore
        db.session.execute(delete(Ally).where(Ally.chapter_id == chapter_id))
        factories.chapter(db.session, "gamma")
        db.session.commit()
        assert _canonical() != before
        db.session.remove()

    refused = runner.invoke(args=["restore", str(target)])
    assert refused.exit_code != 0 and "--yes" in refused.output
    result = runner.invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output

    with app.app_context():
        assert _canonical() == before
        assert _map_export(chapter_id) == map_before
