"""The leverage cache: keyed by the chapter's data version in the database, so separate
worker processes (separate LeverageCache instances here) agree on freshness; an outdated
result is recomputed by one queue job, whoever asks."""
from __future__ import annotations

import json
from datetime import date

from sqlalchemy import func, select

from coalition.leverage import analysis
from coalition.leverage.analysis import LeverageCache
from coalition.models import AnalysisResult, Chapter, Issue, Stance
from coalition.platform import queue
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
                                  "queued": 0}
        assert worker_b.stats == {"memory": 0, "database": 1, "computed": 0, "stale": 0,
                                  "queued": 0}
        assert first == again == other
        # The world's alpha issue has exactly one committed ally (a supporter).
        assert _committed(first) == 1


def test_the_issue_page_reads_its_analysis_once(app, client, auth, world, monkeypatch):
    """It shows the analysis twice (leverage, outreach panel); the second is the first."""
    alpha = world["alpha"]
    auth.login(world["alpha"]["coordinator"])
    looked_up = []
    real_get = LeverageCache.get

    def get(self, key, subject, args=None):
        looked_up.append(subject)
        return real_get(self, key, subject, args)

    monkeypatch.setattr(LeverageCache, "get", get)
    page = client.get(f"/c/alpha/issues/{alpha['issue_id']}")
    assert page.status_code == 200 and "Leverage" in page.get_data(as_text=True)
    assert looked_up == [f"issue:{alpha['issue_id']}"]


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
        # The second by the queue's job (run in the caller: the queue is immediate here).
        assert worker_b.stats["computed"] == 1 and worker_b.stats["queued"] == 1
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


def _refresh_jobs(jobs):
    return [j for j in jobs.pending() if j.name.endswith("refresh_analysis")]


def test_many_workers_asking_for_the_same_refresh_enqueue_one_job(app, world, queued_jobs):
    """Three workers find the older result due at once: one job is queued; its id is the
    cache key; the job computes the current result once and the marker goes with it."""
    alpha = world["alpha"]
    app.config["ANALYSIS_REFRESH_FACTOR"] = 0  # due as soon as the data changes
    with app.test_request_context():
        workers = [LeverageCache() for _ in range(3)]
        workers[0].summaries(alpha["chapter_id"], TODAY)  # the first result
        queued_jobs.hold()
        _bump(alpha)
        answers = [w.summaries(alpha["chapter_id"], TODAY) for w in workers]
        assert all(a.stale is not None for a in answers)
        (job,) = _refresh_jobs(queued_jobs)
        key = workers[0].key(alpha["chapter_id"], TODAY)
        assert job.id == "analysis-" + analysis._digest(
            key.chapter_id, key.born, key.data_version, key.params, "summary")
        assert sum(w.stats["queued"] for w in workers) == 1
    assert len(queued_jobs.run()) == 1
    with app.test_request_context():
        other = LeverageCache()
        assert other.summaries(alpha["chapter_id"], TODAY).stale is None
        assert other.stats["computed"] == 0  # found in the shared table
        # The job is over: a later change may ask again.
        factories.ally(db.session, db.session.get(Chapter, alpha["chapter_id"]), "Newcomer")
        db.session.commit()
        other.summaries(alpha["chapter_id"], TODAY)
        assert len(_refresh_jobs(queued_jobs)) == 1


def test_a_second_delivery_of_the_job_computes_nothing(app, world, queued_jobs):
    from coalition.leverage import jobs

    alpha = world["alpha"]
    app.config["ANALYSIS_REFRESH_FACTOR"] = 0
    with app.test_request_context():
        LeverageCache().summaries(alpha["chapter_id"], TODAY)
        queued_jobs.hold()
        _bump(alpha)
        LeverageCache().summaries(alpha["chapter_id"], TODAY)
    (job,) = _refresh_jobs(queued_jobs)
    queued_jobs.run()
    queue.huey.enqueue(job)  # delivered again (a consumer stopped after it had stored)
    with app.app_context():
        mine = app.extensions["coalition.analysis"]
        computed = mine.stats["computed"]
        queued_jobs.run()
        assert mine.stats["computed"] == computed
        assert jobs.refresh_analysis.call_local(*job.args) is False


def test_a_marker_left_by_a_killed_consumer_lapses(app, world, queued_jobs, monkeypatch):
    alpha = world["alpha"]
    app.config["ANALYSIS_REFRESH_FACTOR"] = 0
    with app.test_request_context():
        worker = LeverageCache()
        worker.summaries(alpha["chapter_id"], TODAY)
        queued_jobs.hold()
        _bump(alpha)
        worker.summaries(alpha["chapter_id"], TODAY)
        queue.huey.flush()  # the job is lost with its consumer; its marker stays
        queue.huey.put_if_empty("x", 1)  # (flush also removed the marker: put one back)
        key = worker.key(alpha["chapter_id"], TODAY)
        pending = "analysis-pending:" + analysis._digest(key.chapter_id, key.born, key.params,
                                                          "summary")
        queue.huey.put(pending, 0.0)  # asked for long ago
        worker.clear_memory()
        worker.summaries(alpha["chapter_id"], TODAY)
        assert len(_refresh_jobs(queued_jobs)) == 1  # asked again


def test_older_result_is_shown_labelled_while_the_current_one_is_computed(
        app, world, client, auth, queued_jobs):
    alpha = world["alpha"]
    app.config["ANALYSIS_REFRESH_FACTOR"] = 0  # recompute as soon as the data changes
    auth.login(world["alpha"]["coordinator"])
    cache = app.extensions["coalition.analysis"]

    page = client.get(f"/c/alpha/issues/{alpha['issue_id']}").get_data(as_text=True)
    assert "recomputing" not in page  # the first result
    queued_jobs.hold()
    with app.app_context():
        _bump(alpha)
    cache.clear_memory()
    page = client.get(f"/c/alpha/issues/{alpha['issue_id']}").get_data(as_text=True)
    assert "ago; recomputing with the newest changes" in page
    assert queued_jobs.run()  # the consumer's turn
    page = client.get(f"/c/alpha/issues/{alpha['issue_id']}").get_data(as_text=True)
    assert "recomputing" not in page
    with app.app_context():  # the current result replaced the older one in the table
        rows = db.session.scalars(select(AnalysisResult.data_version)
                                  .where(AnalysisResult.subject == f"issue:{alpha['issue_id']}")).all()
        version = db.session.scalar(select(Chapter.data_version).where(
            Chapter.id == alpha["chapter_id"]))
        assert rows == [version]


def test_stale_result_is_never_served_without_its_label(app, world, queued_jobs):
    alpha = world["alpha"]
    app.config["ANALYSIS_REFRESH_FACTOR"] = 0  # recompute as soon as the data changes
    with app.test_request_context():
        worker = LeverageCache()
        assert worker.summaries(alpha["chapter_id"], TODAY).stale is None
        queued_jobs.hold()
        _bump(alpha)
        worker.clear_memory()
        stale = worker.summaries(alpha["chapter_id"], TODAY)
        assert stale.stale is not None and stale.stale["age_seconds"] >= 0
    queued_jobs.run()
    with app.test_request_context():
        current = worker.summaries(alpha["chapter_id"], TODAY)
        assert current.stale is None
        assert current[alpha["issue_id"]] != stale[alpha["issue_id"]]


def test_with_an_immediate_queue_pages_show_the_current_result(app, world):
    """Under TESTING (or QUEUE_IMMEDIATE) the job runs in the caller: no stale result."""
    alpha = world["alpha"]
    with app.test_request_context():
        worker = LeverageCache()
        first = worker.summaries(alpha["chapter_id"], TODAY)
        _bump(alpha)
        current = worker.summaries(alpha["chapter_id"], TODAY)
        assert current.stale is None and current[alpha["issue_id"]] != first[alpha["issue_id"]]
        assert worker.stats["queued"] == 1 and worker.stats["stale"] == 0


def test_yesterdays_result_is_shown_while_todays_is_computed(app, world, queued_jobs):
    """A new day changes the result's parameters, not its data: yesterday's result serves,
    labelled, rather than every worker computing today's in its requests at once."""
    alpha = world["alpha"]
    app.config["ANALYSIS_REFRESH_FACTOR"] = 0
    with app.test_request_context():
        worker = LeverageCache()
        worker.summaries(alpha["chapter_id"], TODAY)
        queued_jobs.hold()
        tomorrow = worker.summaries(alpha["chapter_id"], date(2026, 11, 28))
        assert tomorrow.stale is not None and worker.stats["computed"] == 1
    queued_jobs.run()
    with app.test_request_context():
        assert LeverageCache().summaries(alpha["chapter_id"], date(2026, 11, 28)).stale is None
        subjects = db.session.execute(select(AnalysisResult.params)).scalars().all()
        assert len(subjects) == 1 and subjects[0].startswith("2026-11-28")


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


def test_each_issue_has_its_result_and_one_refresh_shares_the_chapter_wide_parts(
        app, world, queued_jobs, monkeypatch):
    """Each issue page asks for its own result; the refresh that computes the communities
    and brokers for the new data also brings the chapter's other outdated issues up to
    date, and their own jobs then compute nothing."""
    alpha = world["alpha"]
    app.config["ANALYSIS_REFRESH_FACTOR"] = 0
    with app.test_request_context():
        insurer = db.session.get(Issue, alpha["issue_id"]).insurer
        other = factories.issue(db.session, insurer, "15% fee-schedule cut").id
        db.session.commit()
        worker = LeverageCache()
        worker.issue(alpha["chapter_id"], alpha["issue_id"], TODAY)
        worker.issue(alpha["chapter_id"], other, TODAY)
        queued_jobs.hold()
        _bump(alpha)
        worker.clear_memory()
        assert worker.issue(alpha["chapter_id"], alpha["issue_id"], TODAY)["stale"]
        assert worker.issue(alpha["chapter_id"], other, TODAY)["stale"]
        assert [j.args[1] for j in _refresh_jobs(queued_jobs)] == [
            f"issue:{alpha['issue_id']}", f"issue:{other}"]  # one subject per issue

    parts = []
    real = analysis.chapter_parts
    monkeypatch.setattr(analysis, "chapter_parts",
                        lambda *a, **k: parts.append(1) or real(*a, **k))
    consumer = app.extensions["coalition.analysis"]
    assert len(queued_jobs.run()) == 2
    assert len(parts) == 1 and consumer.stats["computed"] == 2  # the second job: nothing
    with app.test_request_context():
        version = db.session.scalar(select(Chapter.data_version).where(
            Chapter.id == alpha["chapter_id"]))
        rows = db.session.execute(select(AnalysisResult.subject, AnalysisResult.data_version,
                                         AnalysisResult.payload)
                                  .where(AnalysisResult.subject.startswith("issue:"))).all()
        assert {r.subject: r.data_version for r in rows} == {
            f"issue:{alpha['issue_id']}": version, f"issue:{other}": version}
        # Each charged the whole refresh (refreshing either costs that much again): the
        # factor holds them back together.
        charged = {json.loads(r.payload)["_seconds"] for r in rows}
        assert len(charged) == 1
        fresh = LeverageCache()
        assert fresh.issue(alpha["chapter_id"], other, TODAY)["stale"] is None
        assert fresh.issue(alpha["chapter_id"], other, TODAY)["issue_id"] == other


def test_a_refresh_of_every_issue_stores_the_dashboards_summary_too(
        app, world, queued_jobs, monkeypatch):
    """The summary is the issues' scores and gaps: a refresh that brought every issue of
    the chapter up to date stores it as the summary's own computation would, and the
    dashboard's refresh then computes nothing."""
    alpha = world["alpha"]
    app.config["ANALYSIS_REFRESH_FACTOR"] = 0
    cid = alpha["chapter_id"]
    with app.test_request_context():
        insurer = db.session.get(Issue, alpha["issue_id"]).insurer
        other = factories.issue(db.session, insurer, "15% fee-schedule cut").id
        db.session.add(Stance(chapter_id=cid, ally_id=alpha["own_ally_id"], issue_id=other,
                              stance="champion"))
        db.session.commit()
        worker = LeverageCache()
        worker.issue(cid, alpha["issue_id"], TODAY)
        worker.issue(cid, other, TODAY)
        worker.summaries(cid, TODAY)
        queued_jobs.hold()
        _bump(alpha)
        worker.clear_memory()
        assert worker.issue(cid, other, TODAY)["stale"]
        assert worker.summaries(cid, TODAY).stale
        assert [j.args[1] for j in _refresh_jobs(queued_jobs)] == [f"issue:{other}", "summary"]

    consumer = app.extensions["coalition.analysis"]
    assert len(queued_jobs.run()) == 2
    assert consumer.stats["computed"] == 2  # both issues; the summary's job: nothing
    with app.test_request_context():
        version = db.session.scalar(select(Chapter.data_version).where(Chapter.id == cid))
        stored = db.session.scalar(select(AnalysisResult.payload).where(
            AnalysisResult.chapter_id == cid, AnalysisResult.subject == "summary",
            AnalysisResult.data_version == version))
        assert stored is not None
        by_batch = json.loads(stored)
        by_batch.pop("_seconds")
        # What the summary's own computation gives for the same data.
        own = analysis._summaries(LeverageCache().key(cid, TODAY), "summary", {})
        assert by_batch == json.loads(json.dumps(own)) and set(by_batch) == {
            str(alpha["issue_id"]), str(other)}
        assert LeverageCache().summaries(cid, TODAY).stale is None


def test_a_refresh_of_a_deleted_issue_ends_quietly(app, world):
    from coalition.leverage import jobs

    alpha = world["alpha"]
    with app.app_context():
        assert jobs.refresh_analysis.call_local(alpha["chapter_id"], "issue:999999", {}, TODAY,
                                                "analysis-pending:x") is False


def test_a_job_uses_the_consumers_graph_when_it_is_as_new_as_the_page_asked_for(
        app, world, queued_jobs, monkeypatch):
    """A job asked at data version v, run by a consumer that built the chapter's graph at v
    or later for another job, computes from that graph instead of reading every row again;
    its result is labelled with that graph's version, so pages still see it as older."""
    alpha = world["alpha"]
    app.config["ANALYSIS_REFRESH_FACTOR"] = 0
    with app.test_request_context():
        LeverageCache().summaries(alpha["chapter_id"], TODAY)
        queued_jobs.hold()
        _bump(alpha)
        assert LeverageCache().summaries(alpha["chapter_id"], TODAY).stale
        asked = db.session.scalar(select(Chapter.data_version).where(
            Chapter.id == alpha["chapter_id"]))
    consumer = app.extensions["coalition.analysis"]
    with app.app_context():
        consumer._network(consumer.key(alpha["chapter_id"], TODAY))  # for another job
        factories.ally(db.session, db.session.get(Chapter, alpha["chapter_id"]), "Newcomer")
        db.session.commit()  # and the data changed again since
    reads = []
    real = analysis.load_rows
    monkeypatch.setattr(analysis, "load_rows", lambda *a: reads.append(1) or real(*a))
    assert len(queued_jobs.run()) == 1
    assert reads == []
    with app.test_request_context():
        assert db.session.scalars(select(AnalysisResult.data_version).where(
            AnalysisResult.subject == "summary")).all() == [asked]
        later = LeverageCache().summaries(alpha["chapter_id"], TODAY)
        assert later.stale is not None and later.stale["version"] == asked
