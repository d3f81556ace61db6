"""The leverage cache: keyed by the chapter's data version in the database, so separate
worker processes (separate LeverageCache instances here) agree on freshness."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from coalition.analysis import LeverageCache
from coalition.extensions import db
from coalition.models import AnalysisResult, Chapter, Stance
from tests import factories

TODAY = date(2026, 11, 27)


def _committed(result) -> int:
    return result["coverage"]["committed"]


def test_second_read_comes_from_memory_then_other_worker_reads_the_database(app, world):
    alpha = world["alpha"]
    with app.test_request_context():
        worker_a, worker_b = LeverageCache(), LeverageCache()
        first = worker_a.issue(alpha["chapter_id"], alpha["issue_id"], TODAY)
        again = worker_a.issue(alpha["chapter_id"], alpha["issue_id"], TODAY)
        other = worker_b.issue(alpha["chapter_id"], alpha["issue_id"], TODAY)
        assert worker_a.stats == {"memory": 1, "database": 0, "computed": 1}
        assert worker_b.stats == {"memory": 0, "database": 1, "computed": 0}
        assert first == again == other
        # The world's alpha issue has exactly one committed ally (a supporter).
        assert _committed(first) == 1


def test_a_change_in_one_worker_is_seen_by_the_other(app, world):
    alpha = world["alpha"]
    with app.test_request_context():
        worker_a, worker_b = LeverageCache(), LeverageCache()
        before = worker_b.issue(alpha["chapter_id"], alpha["issue_id"], TODAY)
        version = db.session.scalar(select(Chapter.data_version).where(
            Chapter.id == alpha["chapter_id"]))
        # Another worker commits a second supporter.
        db.session.add(Stance(chapter_id=alpha["chapter_id"], ally_id=alpha["own_ally_id"],
                              issue_id=alpha["issue_id"], stance="champion"))
        db.session.commit()
        assert db.session.scalar(select(Chapter.data_version).where(
            Chapter.id == alpha["chapter_id"])) == version + 1
        after = worker_b.issue(alpha["chapter_id"], alpha["issue_id"], TODAY)
        assert _committed(before) == 1 and _committed(after) == 2
        assert worker_b.stats["computed"] == 2
        # Storing the new result removed the stale one.
        versions = db.session.scalars(select(AnalysisResult.data_version).where(
            AnalysisResult.chapter_id == alpha["chapter_id"])).all()
        assert set(versions) == {version + 1}


def test_changes_in_another_chapter_do_not_invalidate(app, world):
    alpha, beta = world["alpha"], world["beta"]
    with app.test_request_context():
        worker = LeverageCache()
        worker.issue(alpha["chapter_id"], alpha["issue_id"], TODAY)
        chapter_b = db.session.get(Chapter, beta["chapter_id"])
        factories.ally(db.session, chapter_b, "Beta Newcomer")
        db.session.commit()
        worker.issue(alpha["chapter_id"], alpha["issue_id"], TODAY)
        assert worker.stats["computed"] == 1 and worker.stats["memory"] == 1


def test_writing_a_result_does_not_bump_the_version(app, world):
    alpha = world["alpha"]
    with app.test_request_context():
        version = db.session.scalar(select(Chapter.data_version).where(
            Chapter.id == alpha["chapter_id"]))
        LeverageCache().summaries(alpha["chapter_id"], TODAY)
        db.session.expire_all()
        assert db.session.scalar(select(Chapter.data_version).where(
            Chapter.id == alpha["chapter_id"])) == version
        assert db.session.scalar(select(func.count(AnalysisResult.id))) == 1  # the summary


def test_dashboard_lists_each_issue_with_score_and_largest_gap(client, auth, world):
    auth.login(world["alpha"]["coordinator"])
    page = client.get("/c/alpha/").get_data(as_text=True)
    assert "12-visit annual cap" in page
    assert "/ 100" in page
    assert "Largest gap" in page


def test_reading_the_analysis_inside_a_writing_request_does_not_wait_for_its_own_lock(app, world):
    """On SQLite a writing request holds the write lock (BEGIN IMMEDIATE); the cache must not
    try to store through a second connection then (it would wait for the busy timeout)."""
    alpha = world["alpha"]
    with app.test_request_context(method="POST"):
        chapter = db.session.get(Chapter, alpha["chapter_id"])
        chapter.public_intro = "changed in this request"
        db.session.flush()
        worker = LeverageCache()
        result = worker.issue(alpha["chapter_id"], alpha["issue_id"], TODAY)
        assert result["issue_id"] == alpha["issue_id"]
        db.session.commit()


def test_dashboard_summary_matches_the_issue_pages_summary(app, world):
    """The dashboard's cheap path (no chapter-wide parts, no next moves) must give the same
    score and largest gap as the full analysis on the issue page."""
    alpha = world["alpha"]
    with app.test_request_context():
        worker = LeverageCache()
        summaries = worker.summaries(alpha["chapter_id"], TODAY)
        full = worker.issue(alpha["chapter_id"], alpha["issue_id"], TODAY)
        assert summaries[alpha["issue_id"]] == full["summary"]
