"""HTTP hardening in one place: security headers and the Content-Security-Policy,
``no-store`` on pages with personal data, production checks on start, secure cookies and
the proxy headers trusted only when configured (``COALITION_TRUSTED_PROXIES=N``)."""
from __future__ import annotations

from pathlib import Path

from flask import Flask, g, request
from flask_login import current_user

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
HSTS = "max-age=31536000; includeSubDomains"
MIN_SECRET_KEY = 32


class InsecureConfiguration(RuntimeError):
    """The app refuses to start in production with this configuration."""


def is_production(app: Flask) -> bool:
    return str(app.config.get("ENV") or "").lower() == "production"


def init_app(app: Flask) -> None:
    if is_production(app):
        check_production(app)
        app.config.update(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True)
    app.config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    app.config.setdefault("REMEMBER_COOKIE_HTTPONLY", True)
    if not app.config.get("SESSION_COOKIE_SAMESITE"):
        app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    if not app.config.get("REMEMBER_COOKIE_SAMESITE"):
        app.config["REMEMBER_COOKIE_SAMESITE"] = "Lax"
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops,
                                x_port=hops, x_prefix=hops)
    app.after_request(_headers)


def check_production(app: Flask) -> None:
    """Refuse to start with debug on or without an explicitly configured strong key."""
    if app.debug or app.config.get("DEBUG"):
        raise InsecureConfiguration("Debug mode must be off in production.")
    key = app.config.get("SECRET_KEY")
    generated = Path(app.instance_path, "secret_key")
    if (not key or not app.config.get("SECRET_KEY_CONFIGURED")
            or len(str(key)) < MIN_SECRET_KEY):
        raise InsecureConfiguration(
            "Production needs COALITION_SECRET_KEY (or SECRET_KEY in instance/config.py) "
            f"of at least {MIN_SECRET_KEY} random characters.")
    if generated.exists() and generated.read_text().strip() == str(key):
        raise InsecureConfiguration("Production must not use the generated development key.")


def personal(response=None) -> None:
    """Mark the current response as holding personal data (no caching anywhere)."""
    g.no_store = True


def _wants_no_store(response) -> bool:
    if g.get("no_store") or g.get("chapter") is not None:
        return True
    if request.blueprint in ("api", "admin", "audit", "privacy"):
        return True
    if response.headers.get("Content-Disposition", "").startswith("attachment"):
        return True
    return bool(current_user and current_user.is_authenticated)


def _headers(response):
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if is_production_request():
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    if request.endpoint not in ("static", "vendor", "favicon") and _wants_no_store(response):
        response.headers["Cache-Control"] = "no-store"
        response.headers.pop("Expires", None)
    return response


def is_production_request() -> bool:
    from flask import current_app

    return is_production(current_app)
