"""Nothing process-wide: two apps in one process keep their own rate-limit counters and
analysis caches, and the flush hooks belong to the app's session, not every session."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coalition.models import Ally, AuditEntry, Chapter
from coalition.platform.extensions import db
from tests import factories


def _login_codes(app, times):
    client = app.test_client()
    return [client.post("/login", data={"email": "nobody@example.org", "password": "x"}).status_code
            for _ in range(times)]


def test_each_app_counts_its_own_rate_limits_in_memory(app_factory):
    """With ``memory://`` each app (process) counts alone; the default counts in the
    database, shared (tests/security/test_shared_rate_limits.py)."""
    strict = app_factory(LOGIN_LIMIT_PER_ADDRESS="2 per minute", RATELIMIT_STORAGE_URI="memory://")
    assert _login_codes(strict, 3)[-1] == 429
    other = app_factory(LOGIN_LIMIT_PER_ADDRESS="2 per minute", RATELIMIT_STORAGE_URI="memory://")
    assert 429 not in _login_codes(other, 2)  # a fresh app, fresh counters
    # An app built with limits off does not switch them off for the others.
    app_factory(RATELIMIT_ENABLED=False)
    assert _login_codes(strict, 1) == [429]


def test_each_app_has_its_own_analysis_cache(app_factory):
    one, two = app_factory(), app_factory()
    assert one.extensions["coalition.analysis"] is not two.extensions["coalition.analysis"]
    from coalition.leverage.analysis import cache

    with one.app_context():
        assert cache._get_current_object() is one.extensions["coalition.analysis"]


def test_flush_hooks_belong_to_the_apps_session_only(app, world):
    alpha = world["alpha"]
    with app.app_context():
        version = db.session.scalar(select(Chapter.data_version).where(Chapter.id == alpha["chapter_id"]))
        audited = db.session.scalar(select(func.count(AuditEntry.id)))
        # Another session in the same process (a script, another library): left alone.
        with Session(db.engine) as plain:
            plain.add(Ally(chapter_id=alpha["chapter_id"], name="Written aside", kind="patient"))
            plain.commit()
        assert db.session.scalar(select(Chapter.data_version).where(
            Chapter.id == alpha["chapter_id"])) == version
        assert db.session.scalar(select(func.count(AuditEntry.id))) == audited
        # The app's session: the chapter's version moves and the change is audited.
        factories.ally(db.session, db.session.get(Chapter, alpha["chapter_id"]), "Through the app")
        db.session.commit()
        assert db.session.scalar(select(Chapter.data_version).where(
            Chapter.id == alpha["chapter_id"])) == version + 1
        assert db.session.scalar(select(func.count(AuditEntry.id))) == audited + 1
