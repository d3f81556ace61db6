"""Rate limits hold across workers: two apps on the same database (two gunicorn workers, or
two hosts) count into the same counters, in the database, with no extra server."""
from __future__ import annotations

import threading
import time

from sqlalchemy import func, select

from coalition.models import RateLimitCounter
from coalition.platform import ratelimit
from tests import factories


def _fail(app, email):
    return app.test_client().post("/login", data={"email": email, "password": "wrong"})


def test_failed_logins_split_across_two_workers_lock_the_account(app_factory):
    one = app_factory(LOGIN_FAILURES_PER_ACCOUNT="4 per 15 minutes")
    two = app_factory(LOGIN_FAILURES_PER_ACCOUNT="4 per 15 minutes")
    from coalition.platform.extensions import db

    with one.app_context():
        world = factories.build_world(db.session)
    email = world["alpha"]["coordinator"]
    # Two failures in each worker: four in all, the account's limit.
    codes = [_fail(app, email).status_code for app in (one, two, one, two)]
    assert codes == [200, 200, 200, 200]  # "not right", four times
    # Now both workers refuse even the right password, as one worker alone would.
    for app in (one, two):
        right = app.test_client().post("/login", data={"email": email,
                                                       "password": factories.PASSWORD})
        assert right.status_code == 429
    # Another account is not touched by these failures.
    other = app_factory(LOGIN_FAILURES_PER_ACCOUNT="4 per 15 minutes").test_client().post(
        "/login", data={"email": world["alpha"]["member"], "password": factories.PASSWORD})
    assert other.status_code == 302


def test_concurrent_hits_are_all_counted(app_factory):
    """Each hit is one atomic upsert: hits from many threads at once lose none."""
    app = app_factory()
    storage = app.extensions["coalition.ratelimit"].storage
    assert isinstance(storage, ratelimit.DatabaseStorage)
    errors = []

    def hit():
        try:
            for _ in range(10):
                storage.incr("test/concurrent", 60)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=hit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert storage.get("test/concurrent") == 40


def test_a_window_ends_and_ended_windows_are_purged(app_factory, monkeypatch):
    app = app_factory()
    storage = app.extensions["coalition.ratelimit"].storage
    assert storage.incr("test/window", 10) == 1
    assert storage.incr("test/window", 10) == 2
    expiry = storage.get_expiry("test/window")
    later = time.time() + 11
    monkeypatch.setattr(ratelimit.time, "time", lambda: later)
    assert storage.get("test/window") == 0  # the window is over
    assert storage.incr("test/window", 10) == 1  # a new window starts at the next hit
    assert storage.get_expiry("test/window") > expiry
    storage.incr("test/other", 5)
    monkeypatch.setattr(ratelimit.time, "time", lambda: later + 6)
    with app.app_context():
        assert ratelimit.purge_expired_counters.call_local() == 1  # "test/other" only
    assert storage.get("test/window") == 1
    with storage.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(RateLimitCounter)).scalar() == 1
