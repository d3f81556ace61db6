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
    "LEVERAGE_HALF_LIFE_DAYS": 180,
    "PASSWORD_HASH_METHOD": "scrypt",
    # Brokers are computed from at most this many targets (sampled with ANALYSIS_SEED).
    "BROKER_SAMPLE": 100,
    "ANALYSIS_SEED": 0,
    "ALLIES_PER_PAGE": 25,
    # Read pages kept per chapter data version in each worker (coalition.platform.page_cache);
    # 0 turns that off.
    "PAGE_CACHE_BYTES": 32 * 1024 * 1024,
    # A cached analysis of an older data version is recomputed (in the background, while
    # pages show it with its age) once it is older than this many times its computing
    # time, and at least ANALYSIS_REFRESH_SECONDS: recomputation takes a bounded share of
    # the CPU however often the data changes.
    "ANALYSIS_REFRESH_FACTOR": 10,
    "ANALYSIS_REFRESH_SECONDS": 0,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "MAX_CONTENT_LENGTH": 10 * 1024 * 1024,
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    # Security (coalition.platform.security, coalition.platform.ratelimit, coalition.platform.mail): "production" in
    # ENV turns on the start-up checks, Secure cookies and HSTS.
    "ENV": "development",
    "TRUSTED_PROXIES": 0,  # proxy hops whose X-Forwarded-* headers are believed
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE_URI": "memory://",  # e.g. redis://host:6379/0 for several workers
    "PASSWORD_RESET_MAX_AGE": 3600,
    "MAIL_SERVER": None,  # SMTP host; without it mail goes to instance/outbox/
    "MAIL_PORT": 587,
    "MAIL_USE_TLS": True,
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_SENDER": "Coalition <no-reply@localhost>",
}

# Environment variables read as COALITION_<NAME>; values are strings unless converted here.
_INT_SETTINGS = {"LEVERAGE_HALF_LIFE_DAYS", "ALLIES_PER_PAGE", "MAX_CONTENT_LENGTH",
                 "BROKER_SAMPLE", "ANALYSIS_SEED", "TRUSTED_PROXIES", "MAIL_PORT",
                 "PASSWORD_RESET_MAX_AGE", "PAGE_CACHE_BYTES", "ANALYSIS_REFRESH_FACTOR",
                 "ANALYSIS_REFRESH_SECONDS"}
_BOOL_SETTINGS = {"ANALYSIS_PROCESS", "ANALYSIS_BACKGROUND", "RATELIMIT_ENABLED"}


def _setting(name: str, value: str):
    if name in _INT_SETTINGS:
        return int(value)
    if name in _BOOL_SETTINGS:  # "0", "false", "no" and "off" must not read as true
        return value.strip().lower() in ("1", "true", "yes", "on")
    return value


def load_config(app: Flask, test_config: dict | None) -> None:
    app.config.from_mapping(DEFAULTS)
    app.config.from_pyfile("config.py", silent=True)
    for key, value in os.environ.items():
        if key.startswith("COALITION_") and key not in ("COALITION_INSTANCE_PATH",):
            name = key.removeprefix("COALITION_")
            app.config[name] = _setting(name, value)
    if test_config is not None:
        app.config.from_mapping(test_config)

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
