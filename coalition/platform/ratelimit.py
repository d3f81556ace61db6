"""Rate limits for the doors strangers knock on: login (per address and per account),
the public sign-up, the invitation page, the password-reset request, and the JSON API
(failed token attempts per address, like failed logins; requests per token, so one script
cannot starve the rest).

Each app's counters live in ``RATELIMIT_STORAGE_URI`` (the ``limits`` library):
``memory://`` in development and tests, ``redis://…`` in production so that every worker
sees the same counts. The address is ``request.remote_addr``: the socket's peer unless
``COALITION_TRUSTED_PROXIES`` says how many proxies to believe (``coalition.platform.security``).
"""
from __future__ import annotations

from flask import Flask, abort, current_app, request
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter, RateLimiter

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
        storage = storage_from_string(app.config["RATELIMIT_STORAGE_URI"])
        app.extensions["coalition.ratelimit"] = FixedWindowRateLimiter(storage)


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
