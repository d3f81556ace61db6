"""Configuration in layers: safe defaults here, then ``instance/config.py``, then
``COALITION_*`` environment variables, then the mapping a test passes in."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask

DEFAULTS = {
    "SECRET_KEY": None,  # generated into instance/secret_key on first start
    "DATABASE_URL": None,  # default: SQLite file in the instance folder
    "LOG_LEVEL": "INFO",
    "LEVERAGE_HALF_LIFE_DAYS": 180,
    "PASSWORD_HASH_METHOD": "scrypt",
    # Brokers are computed from at most this many targets (sampled with ANALYSIS_SEED).
    "BROKER_SAMPLE": 100,
    "ANALYSIS_SEED": 0,
    "ALLIES_PER_PAGE": 25,
    # An ally not contacted for this many days is listed as "cultivate before you need it".
    "CULTIVATE_AFTER_DAYS": 90,
    # Above this many visible nodes the map opens on an overview of groups.
    "MAP_MAX_NODES": 2000,
    # Read pages kept per chapter data version in each worker (coalition.platform.page_cache);
    # 0 turns that off.
    "PAGE_CACHE_BYTES": 32 * 1024 * 1024,
    # A cached analysis of an older data version is recomputed (by a queue job, while
    # pages show it with its age) once it is older than this many times its computing
    # time, and at least ANALYSIS_REFRESH_SECONDS: recomputation takes a bounded share of
    # the CPU however often the data changes.
    "ANALYSIS_REFRESH_FACTOR": 10,
    "ANALYSIS_REFRESH_SECONDS": 0,
    "SQLITE_BUSY_TIMEOUT_MS": 15_000,  # how long a SQLite writer waits for the lock
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "MAX_CONTENT_LENGTH": 10 * 1024 * 1024,
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "WTF_CSRF_FIELD_NAME": "csrf_token",
    # Security (coalition.platform.security, .ratelimit, .mail): "production" in ENV turns
    # on the start-up checks, Secure cookies and HSTS.
    "ENV": "development",
    "TRUSTED_PROXIES": 0,  # proxy hops whose X-Forwarded-* headers are believed
    # The task queue (coalition.platform.queue): empty = SQLite file instance/queue.db;
    # redis://host:6379/0 when consumers on several hosts share the work.
    "QUEUE_URL": "",
    "QUEUE_IMMEDIATE": None,  # run tasks at once in the caller; default: on under TESTING
    "RATELIMIT_ENABLED": True,
    # database:// counts in the app's database (on SQLite a file beside it), shared by every
    # worker and host; redis://host:6379/0 in Redis; memory:// per process.
    "RATELIMIT_STORAGE_URI": "database://",
    "LOGIN_LIMIT_PER_ADDRESS": "60 per 10 minutes",
    "LOGIN_FAILURES_PER_ACCOUNT": "10 per 15 minutes",
    "RESET_LIMIT_PER_ADDRESS": "10 per 10 minutes",
    "SIGNUP_LIMIT_PER_ADDRESS": "20 per 10 minutes",
    "API_FAILURES_PER_ADDRESS": "60 per 10 minutes",
    "API_LIMIT_PER_TOKEN": "1200 per minute",
    "PASSWORD_RESET_MAX_AGE": 3600,
    # Invitations (coalition.accounts.invitations): days a link works; addresses per form.
    "INVITATION_DAYS": 14,
    "INVITATIONS_PER_REQUEST": 200,
    "MAIL_SERVER": None,  # SMTP host; without it mail goes to instance/outbox/
    "MAIL_PORT": 587,
    "MAIL_USE_TLS": True,
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_SENDER": "Coalition <no-reply@localhost>",
    # The address people open the app at ("https://coalition.example.org"): the links in mail,
    # which jobs send without a request to take it from.
    "PUBLIC_URL": "",  # empty: the address of the request that sends it, else localhost:5000
}

# from_prefixed_env reads values as JSON where it can ("4096" -> 4096, "false" -> False).
# These are switches, also written "no"/"off"...
_SWITCHES = {name for name, value in DEFAULTS.items() if isinstance(value, bool)}
# ...and these are text even when they look like a number (a secret key of digits).
_TEXTS = {name for name, value in DEFAULTS.items() if isinstance(value, str)} | {
    "SECRET_KEY", "DATABASE_URL", "MAIL_SERVER", "MAIL_USERNAME", "MAIL_PASSWORD"}


def _switch(value) -> bool:
    if isinstance(value, str):  # "0", "false", "no" and "off" must not read as true
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


def load_config(app: Flask, test_config: dict | None) -> None:
    app.config.from_mapping(DEFAULTS)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("COALITION")
    for name in _TEXTS:
        raw = os.environ.get(f"COALITION_{name}")
        if raw is not None:
            app.config[name] = raw
    if test_config is not None:
        app.config.from_mapping(test_config)
    for name in _SWITCHES:
        if app.config[name] is None:  # on, except in tests
            app.config[name] = not app.config.get("TESTING", False)
        app.config[name] = _switch(app.config[name])
    # Off by default, on in tests (the other way round from the switches above).
    immediate = app.config.get("QUEUE_IMMEDIATE")
    app.config["QUEUE_IMMEDIATE"] = bool(app.config.get("TESTING")) if immediate is None \
        else _switch(immediate)

    app.config["SECRET_KEY_CONFIGURED"] = bool(app.config.get("SECRET_KEY"))
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))
    url = app.config.get("SQLALCHEMY_DATABASE_URI") or app.config.get("DATABASE_URL")
    if not url:
        url = "sqlite:///" + str(Path(app.instance_path) / "coalition.db")
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(url)


def normalise_database_url(url: str) -> str:
    """Accept the usual ``postgres://`` and ``postgresql://`` forms and use psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def _instance_secret(instance: Path) -> str:
    """Read the generated secret, creating it on the first start (never a constant in code)."""
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # Write aside, then link into place: link fails if another worker won the race, and a
    # reader never sees a half-written file.
    tmp = instance / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
    tmp.write_text(key)
    tmp.chmod(0o600)
    try:
        os.link(tmp, path)
    except FileExistsError:
        key = path.read_text().strip()
    finally:
        tmp.unlink()
    return key
