"""Rate limits for the doors strangers knock on: login (per address and per account),
the public sign-up, the password-reset request, and the JSON API (failed token attempts per
address, like failed logins; requests per token, so one script cannot starve the rest).

One :class:`flask_limiter.Limiter` holds the counters in ``RATELIMIT_STORAGE_URI``:
``memory://`` in development and tests, ``redis://…`` in production so that every worker
sees the same counts. The address is ``request.remote_addr``: the socket's peer unless
``COALITION_TRUSTED_PROXIES`` says how many proxies to believe (``coalition.platform.security``).
"""
from __future__ import annotations

from flask import Flask, abort, current_app, request
from flask_limiter import Limiter
from limits import parse

limiter = Limiter(key_func=lambda: request.remote_addr or "unknown")

# Endpoint -> setting with the limit for POSTs from one address.
POST_LIMITS = {
    "auth.login": "LOGIN_LIMIT_PER_ADDRESS",
    "auth.forgot_password": "RESET_LIMIT_PER_ADDRESS",
    "auth.reset_password": "RESET_LIMIT_PER_ADDRESS",
    "public.join": "SIGNUP_LIMIT_PER_ADDRESS",
}
DEFAULT_LIMITS = {
    "LOGIN_LIMIT_PER_ADDRESS": "60 per 10 minutes",
    "LOGIN_FAILURES_PER_ACCOUNT": "10 per 15 minutes",
    "RESET_LIMIT_PER_ADDRESS": "10 per 10 minutes",
    "SIGNUP_LIMIT_PER_ADDRESS": "20 per 10 minutes",
    "API_FAILURES_PER_ADDRESS": "60 per 10 minutes",
    "API_LIMIT_PER_TOKEN": "1200 per minute",
}


def init_app(app: Flask) -> None:
    for key, value in DEFAULT_LIMITS.items():
        app.config.setdefault(key, value)
    enabled = app.config.get("RATELIMIT_ENABLED", True)
    if isinstance(enabled, str):
        enabled = enabled.strip().lower() not in ("0", "false", "no", "off")
    app.config["RATELIMIT_ENABLED"] = enabled
    limiter.enabled = enabled  # the instance is shared by every app the tests build
    limiter.init_app(app)
    app.before_request(_limit_posts)


def _enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED")) and limiter.limiter is not None


def _limit_posts():
    if request.method != "POST" or request.endpoint not in POST_LIMITS or not _enabled():
        return None
    item = parse(current_app.config[POST_LIMITS[request.endpoint]])
    if not limiter.limiter.hit(item, "address", request.endpoint, client_address()):
        abort(429)
    return None


def client_address() -> str:
    return request.remote_addr or "unknown"


def _account_item():
    return parse(current_app.config["LOGIN_FAILURES_PER_ACCOUNT"])


def account_locked(email: str) -> bool:
    """True while this account has had too many failed logins (whoever tried)."""
    if not _enabled():
        return False
    return not limiter.limiter.test(_account_item(), "login-account", _key(email))


def record_login_failure(email: str) -> None:
    if _enabled():
        limiter.limiter.hit(_account_item(), "login-account", _key(email))


def _key(email: str) -> str:
    return (email or "").strip().lower()[:254]


def api_address_blocked() -> bool:
    """True while this address has sent too many invalid API tokens."""
    if not _enabled():
        return False
    item = parse(current_app.config["API_FAILURES_PER_ADDRESS"])
    return not limiter.limiter.test(item, "api-failures", client_address())


def record_api_failure() -> None:
    if _enabled():
        item = parse(current_app.config["API_FAILURES_PER_ADDRESS"])
        limiter.limiter.hit(item, "api-failures", client_address())


def api_token_allowed(token_id: int) -> bool:
    """Counts one request of this token; False once it is over its limit."""
    if not _enabled():
        return True
    item = parse(current_app.config["API_LIMIT_PER_TOKEN"])
    return limiter.limiter.hit(item, "api-token", str(token_id))
