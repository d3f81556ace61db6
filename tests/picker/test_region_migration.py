"""The migration that turns the allies' free-text regions into each chapter's list."""
from __future__ import annotations

from sqlalchemy import text

from coalition.platform.extensions import db
from tests.test_migrations import _flask_db, _insert, database_url, keep_logging, migr_app  # noqa: F401

BEFORE = "303270de5a82"


def test_free_text_regions_become_one_row_per_chapter_and_spelling(migr_app):  # noqa: F811
    _flask_db(migr_app, "upgrade", BEFORE)
    with migr_app.app_context(), db.engine.begin() as conn:
        _insert(conn, "user", id=1)
        for chapter in (1, 2):
            _insert(conn, "chapter", id=chapter, slug=f"c{chapter}")
        regions = {1: (1, "Portland Metro"), 2: (1, "portland metro "), 3: (1, "Portland  Metro"),
                   4: (1, "Coast"), 5: (1, "  "), 6: (1, None), 7: (2, "portland metro")}
        for ally_id, (chapter, region) in regions.items():
            _insert(conn, "ally", id=ally_id, chapter_id=chapter, region=region)
    _flask_db(migr_app, "upgrade", "head")
    with migr_app.app_context(), db.engine.connect() as conn:
        rows = conn.execute(text("SELECT chapter_id, name, name_key FROM region ORDER BY chapter_id, name")).all()
        allies = dict(conn.execute(text("SELECT id, region FROM ally")).all())
    assert [tuple(r) for r in rows] == [(1, "Coast", "coast"), (1, "Portland Metro", "portland metro"),
                                        (2, "portland metro", "portland metro")]
    # Every ally now names its chapter's row; blanks become no region.
    assert allies == {1: "Portland Metro", 2: "Portland Metro", 3: "Portland Metro", 4: "Coast",
                      5: None, 6: None, 7: "portland metro"}
    _flask_db(migr_app, "downgrade", BEFORE)
    _flask_db(migr_app, "upgrade", "head")
