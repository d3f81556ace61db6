"""Rate limits for the doors strangers knock on: login (per address and per account),
the public sign-up, the invitation page, the password-reset request, and the JSON API
(failed token attempts per address, like failed logins; requests per token, so one script
cannot starve the rest).

Counters are counted with the ``limits`` library, in ``RATELIMIT_STORAGE_URI``:

* ``database://`` (the default): the application's database, so every worker and host sees
  the same counts with no extra server (:class:`DatabaseStorage`). Each hit is one atomic
  upsert, committed at once on a connection of its own: a failed login counts even though
  its request writes nothing. On SQLite the counters have a file of their own beside the
  database (``coalition.ratelimit.db`` next to ``coalition.db``), because a writing
  request holds the database file's only write lock while it runs and the count cannot wait
  for it;
* ``redis://…``: Redis, where one is run anyway;
* ``memory://``: each process its own counts (a limit then multiplies by the workers).

The address is ``request.remote_addr``: the socket's peer unless ``COALITION_TRUSTED_PROXIES``
says how many proxies to believe (``coalition.platform.security``).
"""
from __future__ import annotations

import time
from pathlib import Path

from flask import Flask, abort, current_app, request
from limits import parse
from limits.storage import Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter, RateLimiter
from sqlalchemy import case, create_engine, delete, select
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.schema import CreateIndex, CreateTable

from coalition.models.ratelimit import RateLimitCounter
from coalition.platform.queue import crontab, periodic_task

# Endpoint -> setting with the limit for POSTs from one address.
POST_LIMITS = {
    "auth.login": "LOGIN_LIMIT_PER_ADDRESS",
    "auth.forgot_password": "RESET_LIMIT_PER_ADDRESS",
    "auth.reset_password": "RESET_LIMIT_PER_ADDRESS",
    "public.join": "SIGNUP_LIMIT_PER_ADDRESS",
    "invitations.accept": "SIGNUP_LIMIT_PER_ADDRESS",
}


def init_app(app: Flask) -> None:
    install_counters(app)
    app.before_request(_limit_posts)


def install_counters(app: Flask) -> None:
    """Each app counts in its own storage (the limits library that Flask-Limiter is built on):
    nothing process-wide, so two apps in one process (tests) never share or switch counters."""
    app.extensions.pop("coalition.ratelimit", None)
    if app.config["RATELIMIT_ENABLED"]:
        uri = app.config["RATELIMIT_STORAGE_URI"] or "database://"
        if uri.startswith("database:"):
            storage = DatabaseStorage(_counter_engine(app))
        else:
            storage = storage_from_string(uri)
        app.extensions["coalition.ratelimit"] = FixedWindowRateLimiter(storage)


class DatabaseStorage(Storage):
    """The ``limits`` storage of fixed windows in the ``rate_limit_counter`` table: a
    window starts at its first hit and lasts the limit's period, as in the library's own
    storages. Each call is one statement in its own committed transaction."""

    STORAGE_SCHEME = None  # built by install_counters with the app's engine

    def __init__(self, engine: Engine) -> None:
        super().__init__()
        self.engine = engine

    @property
    def base_exceptions(self):
        return SQLAlchemyError

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        now = time.time()
        table = RateLimitCounter.__table__
        if self.engine.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        new = insert(table).values(key=key, count=amount, expires_at=now + expiry)
        ended = table.c.expires_at <= now  # the stored row's window is over: start anew
        upsert = new.on_conflict_do_update(index_elements=[table.c.key], set_={
            "count": case((ended, new.excluded.count), else_=table.c.count + amount),
            "expires_at": case((ended, new.excluded.expires_at), else_=table.c.expires_at),
        }).returning(table.c.count)
        with self.engine.begin() as conn:
            return int(conn.execute(upsert).scalar_one())

    def get(self, key: str) -> int:
        with self.engine.connect() as conn:
            found = conn.execute(select(RateLimitCounter.count).where(
                RateLimitCounter.key == key,
                RateLimitCounter.expires_at > time.time())).scalar()
        return int(found or 0)

    def get_expiry(self, key: str) -> float:
        with self.engine.connect() as conn:
            found = conn.execute(select(RateLimitCounter.expires_at).where(
                RateLimitCounter.key == key)).scalar()
        return float(found if found is not None else time.time())

    def check(self) -> bool:
        with self.engine.connect() as conn:
            conn.execute(select(1))
        return True

    def reset(self) -> int | None:
        with self.engine.begin() as conn:
            return conn.execute(delete(RateLimitCounter)).rowcount

    def clear(self, key: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(RateLimitCounter).where(RateLimitCounter.key == key))

    def purge_expired(self) -> int:
        """Remove the rows of ended windows; returns how many."""
        with self.engine.begin() as conn:
            return conn.execute(delete(RateLimitCounter).where(
                RateLimitCounter.expires_at <= time.time())).rowcount


def _counter_engine(app: Flask) -> Engine:
    """The app's engine; on SQLite, one for the counters' own file beside the database."""
    from coalition.platform.database import configure_sqlite
    from coalition.platform.extensions import db

    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite":
        with app.app_context():
            return db.engine
    if url.database in (None, "", ":memory:"):
        path = ":memory:"
    else:
        path = str(Path(url.database).with_suffix(".ratelimit.db"))
    engine = create_engine(f"sqlite:///{path}")
    configure_sqlite(engine, busy_timeout_ms=int(app.config["SQLITE_BUSY_TIMEOUT_MS"]))
    table = RateLimitCounter.__table__
    with engine.begin() as conn:  # every worker starting at once: IF NOT EXISTS, no race
        conn.execute(CreateTable(table, if_not_exists=True))
        for index in table.indexes:
            conn.execute(CreateIndex(index, if_not_exists=True))
    return engine


@periodic_task(crontab(minute="*/10"))
def purge_expired_counters() -> int:
    """Rows of ended windows go; a counter that is hit again starts a new row."""
    counter = _counter()
    if counter is None or not isinstance(counter.storage, DatabaseStorage):
        return 0
    return counter.storage.purge_expired()


def _counter() -> RateLimiter | None:
    """This app's counters, or None when rate limits are off."""
    return current_app.extensions.get("coalition.ratelimit")


def _limit_posts():
    counter = _counter()
    if request.method != "POST" or request.endpoint not in POST_LIMITS or counter is None:
        return None
    item = parse(current_app.config[POST_LIMITS[request.endpoint]])
    if not counter.hit(item, "address", request.endpoint, client_address()):
        abort(429)
    return None


def client_address() -> str:
    return request.remote_addr or "unknown"


def _account_item():
    return parse(current_app.config["LOGIN_FAILURES_PER_ACCOUNT"])


def account_locked(email: str) -> bool:
    """True while this account has had too many failed logins (whoever tried)."""
    counter = _counter()
    return counter is not None and not counter.test(_account_item(), "login-account", _key(email))


def record_login_failure(email: str) -> None:
    counter = _counter()
    if counter is not None:
        counter.hit(_account_item(), "login-account", _key(email))


def _key(email: str) -> str:
    return (email or "").strip().lower()[:254]


def api_address_blocked() -> bool:
    """True while this address has sent too many invalid API tokens."""
    counter = _counter()
    item = parse(current_app.config["API_FAILURES_PER_ADDRESS"])
    return counter is not None and not counter.test(item, "api-failures", client_address())


def record_api_failure() -> None:
    counter = _counter()
    if counter is not None:
        counter.hit(parse(current_app.config["API_FAILURES_PER_ADDRESS"]), "api-failures", client_address())


def api_token_allowed(token_id: int) -> bool:
    """Counts one request of this token; False once it is over its limit."""
    counter = _counter()
    return counter is None or counter.hit(parse(current_app.config["API_LIMIT_PER_TOKEN"]), "api-token",
                                          str(token_id))
