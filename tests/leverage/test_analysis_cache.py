"""The leverage cache: keyed by the chapter's data version in the database, so separate
worker processes (separate LeverageCache instances here) agree on freshness."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from coalition.leverage.analysis import CLAIM_SECONDS, LeverageCache
from coalition.models import AnalysisClaim, AnalysisResult, Chapter, Stance, utcnow
from coalition.platform.extensions import db
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
        assert worker_a.stats == {"memory": 1, "database": 0, "computed": 1, "stale": 0,
                                  "waited": 0}
        assert worker_b.stats == {"memory": 0, "database": 1, "computed": 0, "stale": 0,
                                  "waited": 0}
        assert first == again == other
        # The world's alpha issue has exactly one committed ally (a supporter).
        assert _committed(first) == 1


def test_a_change_in_one_worker_is_seen_by_the_other(app, world):
    alpha = world["alpha"]
    with app.test_request_context():
        _worker_a, worker_b = LeverageCache(), LeverageCache()
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


# --- one computation at a time, stale while recomputing -----------------------------------

def _bump(alpha):
    db.session.add(Stance(chapter_id=alpha["chapter_id"], ally_id=alpha["own_ally_id"],
                          issue_id=alpha["issue_id"], stance="champion"))
    db.session.commit()


def test_a_claimed_result_is_waited_for_not_computed_again(app, world, monkeypatch):
    """While one worker computes (its claim row exists), another waits for the stored
    result instead of computing it too."""
    alpha = world["alpha"]
    with app.test_request_context():
        worker_a, worker_b = LeverageCache(), LeverageCache()
        key = worker_a.key(alpha["chapter_id"], TODAY)
        assert worker_a._claim(key, "summary")
        assert not worker_b._claim(key, "summary")  # the marker is taken
        polls = []

        def fake_sleep(seconds):  # worker a stores its result while b polls
            polls.append(seconds)
            if len(polls) == 2:
                worker_a._compute(key, "summary", lambda: {str(alpha["issue_id"]): {"x": 1}})
                worker_a._release(key, "summary")

        monkeypatch.setattr("coalition.leverage.analysis.time.sleep", fake_sleep)
        result = worker_b.summaries(alpha["chapter_id"], TODAY)
        assert worker_b.stats["computed"] == 0 and worker_b.stats["waited"] == 1
        assert result == {alpha["issue_id"]: {"x": 1}} and result.stale is None
        assert len(polls) == 2


def test_a_lapsed_claim_of_a_dead_worker_is_taken_over(app, world, monkeypatch):
    alpha = world["alpha"]
    with app.test_request_context():
        worker_a, worker_b = LeverageCache(), LeverageCache()
        key = worker_a.key(alpha["chapter_id"], TODAY)
        assert worker_a._claim(key, "summary")
        later = utcnow() + timedelta(seconds=CLAIM_SECONDS + 1)
        monkeypatch.setattr("coalition.leverage.analysis.utcnow", lambda: later)
        assert worker_b._claim(key, "summary")


def test_older_result_is_shown_labelled_while_the_current_one_is_computed(app, world, client,
                                                                          auth):
    alpha = world["alpha"]
    app.config["ANALYSIS_BACKGROUND"] = True
    app.config["ANALYSIS_REFRESH_FACTOR"] = 0  # recompute as soon as the data changes
    auth.login(world["alpha"]["coordinator"])
    cache = app.extensions["coalition.analysis"]

    page = client.get(f"/c/alpha/issues/{alpha['issue_id']}").get_data(as_text=True)
    assert "recomputing" not in page  # the first result is computed in the request
    with app.app_context():
        _bump(alpha)
    cache.clear_memory()
    page = client.get(f"/c/alpha/issues/{alpha['issue_id']}").get_data(as_text=True)
    assert "ago; recomputing with the newest changes" in page
    cache.wait_for_background(30)
    page = client.get(f"/c/alpha/issues/{alpha['issue_id']}").get_data(as_text=True)
    assert "recomputing" not in page
    with app.app_context():  # the current result replaced the older one in the table
        rows = db.session.execute(select(AnalysisResult.data_version, AnalysisClaim.id)
                                  .outerjoin(AnalysisClaim, AnalysisClaim.chapter_id
                                             == AnalysisResult.chapter_id)
                                  .where(AnalysisResult.subject == "issues")).all()
        version = db.session.scalar(select(Chapter.data_version).where(
            Chapter.id == alpha["chapter_id"]))
        assert [(v, c) for v, c in rows] == [(version, None)]  # and no claim is left


def test_stale_result_is_never_served_without_its_label(app, world):
    alpha = world["alpha"]
    app.config["ANALYSIS_BACKGROUND"] = True
    app.config["ANALYSIS_REFRESH_FACTOR"] = 0  # recompute as soon as the data changes
    with app.test_request_context():
        worker = LeverageCache()
        assert worker.summaries(alpha["chapter_id"], TODAY).stale is None
        _bump(alpha)
        worker.clear_memory()
        stale = worker.summaries(alpha["chapter_id"], TODAY)
        assert stale.stale is not None and stale.stale["age_seconds"] >= 0
        worker.wait_for_background(30)
        current = worker.summaries(alpha["chapter_id"], TODAY)
        assert current.stale is None
        assert current[alpha["issue_id"]] != stale[alpha["issue_id"]]


def test_map_json_is_cached_and_a_data_change_invalidates_it(app, world, client, auth):
    alpha = world["alpha"]
    auth.login(alpha["coordinator"])
    cache = app.extensions["coalition.analysis"]

    first = client.get("/c/alpha/map/data.json").get_json()
    computed = cache.stats["computed"]
    again = client.get("/c/alpha/map/data.json").get_json()
    assert cache.stats["computed"] == computed and again == first
    assert first["stale"] is None
    with app.app_context():
        chapter = db.session.get(Chapter, alpha["chapter_id"])
        factories.ally(db.session, chapter, "Newcomer On The Map")
        db.session.commit()
    after = client.get("/c/alpha/map/data.json").get_json()
    assert cache.stats["computed"] == computed + 1
    labels = [n["data"].get("label") for n in after["elements"]["nodes"]]
    assert after["meta"]["node_count"] == first["meta"]["node_count"] + 1, labels


def test_dashboard_queries_do_not_grow_with_issues_and_history(app, client, auth, world):
    """Insurer names and the issue of each history entry come with their rows."""
    from sqlalchemy import event

    alpha = world["alpha"]
    app.config["PAGE_CACHE_BYTES"] = 0  # count the queries of rendering, not of a cache hit
    auth.login(alpha["coordinator"])
    client.get("/c/alpha/")  # warm the analysis cache

    def count_queries() -> int:
        seen = []
        with app.app_context():
            engine = db.engine
        listener = lambda *args: seen.append(1)  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert client.get("/c/alpha/").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(seen)

    before = count_queries()
    with app.app_context():
        chapter = db.session.get(Chapter, alpha["chapter_id"])
        insurer = factories.insurer(db.session, chapter, "Second Insurer")
        for n in range(3):
            issue = factories.issue(db.session, insurer, f"Extra issue {n}")
            factories.event(db.session, issue, f"Extra entry {n}")
        db.session.commit()
    client.get("/c/alpha/")  # the data changed: let the analysis be recomputed once
    assert count_queries() == before


def test_background_result_computed_in_a_child_process_reaches_every_worker(app, world):
    """ANALYSIS_PROCESS: the current result is computed by a forked child (its own database
    connections), not by this process, and lands in the shared table; this process's own
    session keeps working afterwards."""
    import os

    alpha = world["alpha"]
    app.config.update(ANALYSIS_BACKGROUND=True, ANALYSIS_PROCESS=True,
                      ANALYSIS_REFRESH_FACTOR=0)
    with app.test_request_context():
        worker = LeverageCache()
        first = worker.summaries(alpha["chapter_id"], TODAY)
        assert first.stale is None
        _bump(alpha)
        worker.clear_memory()
        computed = worker.stats["computed"]
        stale = worker.summaries(alpha["chapter_id"], TODAY)
        assert stale.stale is not None
        (watcher,) = worker._threads
        assert watcher.name.startswith("analysis-summary-")
        child = int(watcher.name.rsplit("-", 1)[1])
        assert child != os.getpid()
        worker.wait_for_background(60)
        assert worker.stats["computed"] == computed  # not computed in this process
        db.session.rollback()  # a fresh snapshot: the child committed meanwhile
        version = db.session.scalar(select(Chapter.data_version).where(
            Chapter.id == alpha["chapter_id"]))
        assert db.session.scalar(select(func.count(AnalysisClaim.id))) == 0  # released
        stored = db.session.scalars(select(AnalysisResult.data_version).where(
            AnalysisResult.chapter_id == alpha["chapter_id"],
            AnalysisResult.subject == "summary")).all()
        assert stored == [version]
        current = LeverageCache().summaries(alpha["chapter_id"], TODAY)  # another worker
        assert current.stale is None
        assert current[alpha["issue_id"]] != first[alpha["issue_id"]]
        assert worker.summaries(alpha["chapter_id"], TODAY).stale is None
