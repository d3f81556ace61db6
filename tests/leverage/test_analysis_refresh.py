"""How often an older analysis is recomputed: with a real queue (jobs wait for a consumer)
an older data version's stored result is shown (labelled stale) and a refresh job is queued
only once its age reaches ``max(ANALYSIS_REFRESH_SECONDS, ANALYSIS_REFRESH_FACTOR * its
computing seconds)``; until then nothing is queued or computed. A page that showed a stale
analysis is not kept in the page cache."""
from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from coalition.leverage.analysis import LeverageCache
from coalition.models import AnalysisResult, Chapter, Stance
from coalition.platform.extensions import db
from tests import factories

TODAY = date(2026, 11, 27)
LABEL = "ago; recomputing with the newest changes"


def _bump(alpha):
    """A second supporter of alpha's issue, committed: a new data version, other figures."""
    db.session.add(Stance(chapter_id=alpha["chapter_id"], ally_id=alpha["own_ally_id"],
                          issue_id=alpha["issue_id"], stance="champion"))
    db.session.commit()


def _version(chapter_id):
    return db.session.scalar(select(Chapter.data_version).where(Chapter.id == chapter_id))


_JOBS = []  # the test's queue (set by the ``background`` fixture)


def _claims():
    """Refresh jobs waiting for a consumer."""
    return len([j for j in _JOBS[-1].pending() if j.name.endswith("refresh_analysis")])


def _spy_claims(worker):
    """Record the subjects the worker asks the queue for."""
    made = []
    enqueue = worker._enqueue

    def spy(key, subject, args):
        made.append(True)
        return enqueue(key, subject, args)

    worker._enqueue = spy
    return made


def _run_jobs():
    return _JOBS[-1].run()


def _hold():
    """After the first result: jobs wait for a consumer from now on."""
    _JOBS[-1].hold()


def _summary_row(chapter_id):
    return db.session.execute(select(AnalysisResult).where(
        AnalysisResult.chapter_id == chapter_id,
        AnalysisResult.subject == "summary")).scalar_one()


def _set_stored_seconds(chapter_id, seconds):
    """Make the stored summary say its computation took ``seconds``."""
    row = _summary_row(chapter_id)
    payload = dict(json.loads(row.payload), _seconds=seconds)
    db.session.execute(update(AnalysisResult).where(AnalysisResult.id == row.id)
                       .values(payload=json.dumps(payload)))
    db.session.commit()


def _at_age(monkeypatch, created_at, seconds):
    """Let the analysis module's clock read ``seconds`` after ``created_at``."""
    moment = created_at + timedelta(seconds=seconds)
    monkeypatch.setattr("coalition.leverage.analysis.utcnow", lambda: moment)


@pytest.fixture
def background(app, queued_jobs):
    _JOBS.append(queued_jobs)
    yield app
    _JOBS.clear()


# --- (a) not yet due: the older result, again and again, and no work ------------------------

@pytest.mark.parametrize("subject", ["summaries", "issue"])
def test_before_it_is_due_the_older_result_is_served_and_nothing_is_computed(background,
                                                                            world, subject):
    app, alpha = background, world["alpha"]
    app.config["ANALYSIS_REFRESH_SECONDS"] = 3600
    with app.test_request_context():
        worker = LeverageCache()
        if subject == "summaries":
            read = lambda: worker.summaries(alpha["chapter_id"], TODAY)  # noqa: E731
            stale_of = lambda r: r.stale  # noqa: E731
        else:
            read = lambda: worker.issue(alpha["chapter_id"], alpha["issue_id"], TODAY)  # noqa: E731
            stale_of = lambda r: r["stale"]  # noqa: E731
        first = read()
        assert stale_of(first) is None and worker.stats["computed"] == 1
        _hold()
        old_version = _version(alpha["chapter_id"])
        _bump(alpha)
        claims = _spy_claims(worker)
        for _ in range(3):
            worker.clear_memory()
            again = read()
            stale = stale_of(again)
            assert stale is not None and stale["version"] == old_version
            assert 0 <= stale["age_seconds"] < 3600
            if subject == "summaries":
                assert dict(again) == dict(first)
            else:
                assert {k: v for k, v in again.items() if k != "stale"} == \
                    {k: v for k, v in first.items() if k != "stale"}
        assert worker.stats["computed"] == 1 and worker.stats["stale"] == 3
        assert claims == []  # not even asked
        assert _claims() == 0
        assert _run_jobs() == []
        assert worker.stats["computed"] == 1
        # Only the older result is stored: nothing was computed for the new version.
        versions = db.session.scalars(select(AnalysisResult.data_version).where(
            AnalysisResult.chapter_id == alpha["chapter_id"])).all()
        assert set(versions) == {old_version}


# --- (b) once due: one claim, computed in the background, then current ----------------------

def test_once_due_the_next_call_claims_and_recomputes_in_the_background(background, world,
                                                                       monkeypatch):
    app, alpha = background, world["alpha"]
    app.config["ANALYSIS_REFRESH_SECONDS"] = 3600
    with app.test_request_context():
        worker = LeverageCache()
        first = worker.summaries(alpha["chapter_id"], TODAY)
        _hold()
        old_version = _version(alpha["chapter_id"])
        created_at = _summary_row(alpha["chapter_id"]).created_at
        _bump(alpha)
        new_version = _version(alpha["chapter_id"])
        claims = _spy_claims(worker)

        _at_age(monkeypatch, created_at, 3599)
        key = worker.key(alpha["chapter_id"], TODAY)
        assert worker._previous(key, "summary")[1]["refresh"] is False
        early = worker.summaries(alpha["chapter_id"], TODAY)
        assert early.stale is not None and claims == []
        assert worker.stats["computed"] == 1

        _at_age(monkeypatch, created_at, 3601)
        assert worker._previous(key, "summary")[1]["refresh"] is True
        stale = worker.summaries(alpha["chapter_id"], TODAY)
        # Answered at once with the older result, while the current one is computed.
        assert stale.stale is not None
        assert stale.stale["version"] == old_version and stale.stale["age_seconds"] == 3601
        assert dict(stale) == dict(first)
        assert claims == [True] and _claims() == 1
        assert len(_run_jobs()) == 1  # computed by the job, not by this worker
        assert worker.stats["computed"] == 1
        current = worker.summaries(alpha["chapter_id"], TODAY)
        assert current.stale is None
        assert current[alpha["issue_id"]] != first[alpha["issue_id"]]
        assert worker.stats["computed"] == 1 and claims == [True]
        db.session.rollback()  # a fresh snapshot of what the job wrote
        assert _claims() == 0
        versions = db.session.scalars(select(AnalysisResult.data_version).where(
            AnalysisResult.chapter_id == alpha["chapter_id"],
            AnalysisResult.subject == "summary")).all()
        assert versions == [new_version]
        # A second worker finds the current result in the table: nothing is stale there.
        other = LeverageCache()
        assert other.summaries(alpha["chapter_id"], TODAY).stale is None
        assert other.stats["computed"] == 0 and other.stats["database"] == 1


# --- (c) the stored computing time sets the pace --------------------------------------------

def test_the_stored_computing_seconds_are_used(background, world):
    app, alpha = background, world["alpha"]
    app.config["ANALYSIS_REFRESH_SECONDS"] = 0
    with app.test_request_context():
        worker = LeverageCache()
        worker.summaries(alpha["chapter_id"], TODAY)
        _hold()
        stored = json.loads(_summary_row(alpha["chapter_id"]).payload)
        assert stored["_seconds"] > 0  # the measured time is stored with the result
        _bump(alpha)
        key = worker.key(alpha["chapter_id"], TODAY)

        app.config["ANALYSIS_REFRESH_FACTOR"] = 10 ** 6  # days for any real computation
        result, stale = worker._previous(key, "summary")
        assert stale["refresh"] is False and "_seconds" not in result
        claims = _spy_claims(worker)
        assert worker.summaries(alpha["chapter_id"], TODAY).stale is not None
        assert claims == [] and worker.stats["computed"] == 1 and _claims() == 0

        app.config["ANALYSIS_REFRESH_FACTOR"] = 0  # due at once
        assert worker._previous(key, "summary")[1]["refresh"] is True
        assert worker.summaries(alpha["chapter_id"], TODAY).stale is not None
        assert claims == [True]
        assert len(_run_jobs()) == 1
        assert worker.summaries(alpha["chapter_id"], TODAY).stale is None


@pytest.mark.parametrize("refresh_seconds, not_yet, due", [
    (0, 19, 20),    # FACTOR 10 x 2 s stored = 20 s
    (30, 29, 30),   # the floor is longer than 20 s: 30 s
    (5, 19, 20),    # the floor is shorter: 20 s still
])
def test_due_exactly_at_the_larger_of_the_floor_and_factor_times_seconds(
        background, world, monkeypatch, refresh_seconds, not_yet, due):
    app, alpha = background, world["alpha"]
    app.config["ANALYSIS_REFRESH_SECONDS"] = refresh_seconds
    app.config["ANALYSIS_REFRESH_FACTOR"] = 10
    with app.test_request_context():
        worker = LeverageCache()
        worker.summaries(alpha["chapter_id"], TODAY)
        _hold()
        _set_stored_seconds(alpha["chapter_id"], 2.0)
        created_at = _summary_row(alpha["chapter_id"]).created_at
        _bump(alpha)
        key = worker.key(alpha["chapter_id"], TODAY)
        claims = _spy_claims(worker)

        _at_age(monkeypatch, created_at, not_yet)
        stale = worker._previous(key, "summary")[1]
        assert stale["version"] == key.data_version - 1
        assert stale["age_seconds"] == not_yet and stale["refresh"] is False
        assert worker.summaries(alpha["chapter_id"], TODAY).stale is not None
        assert claims == [] and worker.stats["computed"] == 1 and _claims() == 0

        _at_age(monkeypatch, created_at, due)
        assert worker._previous(key, "summary")[1]["refresh"] is True
        assert worker.summaries(alpha["chapter_id"], TODAY).stale is not None
        assert claims == [True] and _claims() == 1


# --- (d) a page showing a stale analysis is not kept ---------------------------------------

def _score(page):
    return re.search(r"The score, ([0-9.]+) out of 100, is the sum", page).group(1)


def test_a_page_with_a_stale_analysis_is_not_kept(background, world, client, auth):
    app, alpha = background, world["alpha"]
    app.config["ANALYSIS_REFRESH_FACTOR"] = 0  # recompute as soon as the data changes
    pages = app.extensions["coalition.pages"]
    url = f"/c/alpha/issues/{alpha['issue_id']}"
    auth.login(alpha["coordinator"])
    before = client.get(url).get_data(as_text=True)
    _hold()
    assert client.get(url).get_data(as_text=True) == before and pages.stats["hit"] == 1
    assert LABEL not in before
    with app.app_context():
        _bump(alpha)

    stale_page = client.get(url).get_data(as_text=True)
    assert LABEL in stale_page and _score(stale_page) == _score(before)
    assert pages.stats == {"hit": 1, "miss": 2, "skipped": 0}
    assert len(_run_jobs()) == 1
    fresh = client.get(url).get_data(as_text=True)
    assert LABEL not in fresh and _score(fresh) != _score(before)
    assert pages.stats == {"hit": 1, "miss": 3, "skipped": 0}  # rendered, not the stale one
    assert client.get(url).get_data(as_text=True) == fresh  # the current page is kept
    assert pages.stats["hit"] == 2


def test_pages_keep_showing_the_label_until_the_refresh_is_due(background, world, client,
                                                               auth, monkeypatch):
    """Throttled: every request renders the page again (no stale page is kept) but nothing
    is computed; the dashboard's summary and the issue page both say so."""
    app, alpha = background, world["alpha"]
    cache = app.extensions["coalition.analysis"]
    app.config["ANALYSIS_REFRESH_SECONDS"] = 3600
    pages = app.extensions["coalition.pages"]
    urls = ("/c/alpha/", f"/c/alpha/issues/{alpha['issue_id']}")
    auth.login(alpha["coordinator"])
    for url in urls:
        assert LABEL not in client.get(url).get_data(as_text=True)
    _hold()
    with app.app_context():
        _bump(alpha)
        factories.ally(db.session, db.session.get(Chapter, alpha["chapter_id"]), "Newcomer")
        db.session.commit()
    computed, hits = cache.stats["computed"], pages.stats["hit"]
    for _ in range(3):
        for url in urls:
            page = client.get(url).get_data(as_text=True)
            assert LABEL in page, url
    assert cache.stats["computed"] == computed and pages.stats["hit"] == hits
    with app.app_context():
        assert _claims() == 0
