"""Security headers, no-store on personal pages, production start-up checks, secure
cookies, upload size, trusted proxies and rate limits."""
from __future__ import annotations

import pytest

from coalition import create_app
from coalition.platform.security import InsecureConfiguration
from tests.conftest import make_config
from tests.factories import PASSWORD

STRONG = "k" * 16 + "0123456789abcdef0123"


def _login(client, email):
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302


def test_csp_and_security_headers_on_every_page(client, world):
    for url in ("/login", "/join/alpha", "/static/app.css"):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        for part in ("script-src 'self'", "style-src 'self'", "img-src 'self' data: blob:",
                     "object-src 'none'", "base-uri 'self'", "form-action 'self'",
                     "frame-ancestors 'none'"):
            assert part in csp, (url, part)
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] in ("same-origin", "no-referrer")
        assert "Strict-Transport-Security" not in headers  # not in development


def test_pages_with_personal_data_are_not_stored(app, client, world):
    _login(client, world["alpha"]["coordinator"])
    alpha = world["alpha"]
    for url in ("/c/alpha/", f"/c/alpha/allies/{alpha['ally_id']}",
                f"/c/alpha/allies/{alpha['ally_id']}/data.json", "/c/alpha/audit"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url
    # Export downloads of the map too.
    exports = [r.rule for r in app.url_map.iter_rules() if r.endpoint.startswith("network.")
               and "export" in r.endpoint and not r.arguments - {"slug"}]
    for rule in exports:
        response = client.get(rule.replace("<slug>", "alpha"))
        if response.status_code == 200:
            assert response.headers["Cache-Control"] == "no-store", rule


def test_api_responses_are_not_stored(client, world):
    response = client.get("/api/v1/")
    assert response.headers.get("Cache-Control") == "no-store" or response.status_code == 404


def _with_world(app):
    from coalition.platform.extensions import db
    from tests import factories

    with app.app_context():
        return factories.build_world(db.session)


def _production(tmp_path, **overrides):
    config = make_config(tmp_path, ENV="production", SECRET_KEY=STRONG)
    config.update(overrides)
    return config


def test_production_refuses_debug(tmp_path):
    with pytest.raises(InsecureConfiguration, match="Debug"):
        create_app(_production(tmp_path, DEBUG=True))


@pytest.mark.parametrize("key", [None, "", "too-short-secret"])
def test_production_refuses_a_missing_or_weak_key(tmp_path, key):
    with pytest.raises(InsecureConfiguration, match="SECRET_KEY"):
        create_app(_production(tmp_path, SECRET_KEY=key))


def test_production_refuses_the_generated_development_key(tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "secret_key").write_text(STRONG)
    with pytest.raises(InsecureConfiguration, match="generated"):
        create_app(_production(tmp_path))


def test_production_sets_secure_cookies_and_hsts(app_factory, monkeypatch):
    monkeypatch.setenv("COALITION_ENV", "production")
    app = app_factory(SECRET_KEY=STRONG)
    assert app.config["ENV"] == "production"
    _with_world(app)
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["REMEMBER_COOKIE_HTTPONLY"]
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    client = app.test_client()
    response = client.post("/login", data={"email": "member-alpha@example.org",
                                           "password": PASSWORD, "remember": "y"},
                           base_url="https://localhost")
    assert response.status_code == 302
    assert "max-age=" in response.headers["Strict-Transport-Security"]
    cookies = response.headers.getlist("Set-Cookie")
    for name in ("session=", "remember_token="):
        cookie = next(c for c in cookies if c.startswith(name))
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_too_large_upload_answers_413_with_a_page(app_factory):
    app = app_factory(MAX_CONTENT_LENGTH=1024)
    _with_world(app)
    client = app.test_client()
    response = client.post("/login", data={"email": "x@example.org", "password": "y" * 4000})
    assert response.status_code == 413
    assert b"larger than this site accepts" in response.data
    assert b"<html" in response.data


# --- rate limits and proxies --------------------------------------------------------------

def test_login_failures_are_limited_per_account(app_factory):
    app = app_factory(LOGIN_FAILURES_PER_ACCOUNT="3 per 15 minutes")
    from coalition.platform.extensions import db
    from tests import factories

    with app.app_context():
        world = factories.build_world(db.session)
    email = world["alpha"]["member"]
    for n in range(3):  # from different addresses: the account still counts
        client = app.test_client()
        response = client.post("/login", data={"email": email, "password": "wrong password!"},
                               environ_base={"REMOTE_ADDR": f"10.0.0.{n}"})
        assert response.status_code == 200
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": PASSWORD},
                           environ_base={"REMOTE_ADDR": "10.0.0.99"})
    assert response.status_code == 429
    # Another account is not affected.
    response = client.post("/login", data={"email": world["alpha"]["coordinator"],
                                           "password": PASSWORD},
                           environ_base={"REMOTE_ADDR": "10.0.0.99"})
    assert response.status_code == 302


def test_login_is_limited_per_address_and_forwarded_for_is_ignored(app_factory):
    app = app_factory(LOGIN_LIMIT_PER_ADDRESS="4 per minute")
    _with_world(app)
    client = app.test_client()
    statuses = [client.post("/login", data={"email": f"n{n}@example.org", "password": "x"},
                            headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code
                for n in range(6)]
    assert statuses[:4] == [200] * 4 and statuses[4:] == [429, 429]
    # Another real address still gets in.
    other = client.post("/login", data={"email": "a@example.org", "password": "x"},
                        environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other.status_code == 200


def test_trusted_proxies_use_the_forwarded_address(app_factory):
    app = app_factory(LOGIN_LIMIT_PER_ADDRESS="2 per minute", TRUSTED_PROXIES=1)
    _with_world(app)
    client = app.test_client()

    def post(addr):
        return client.post("/login", data={"email": "a@example.org", "password": "x"},
                           headers={"X-Forwarded-For": addr}).status_code

    assert [post("198.51.100.1") for _ in range(3)] == [200, 200, 429]
    assert post("198.51.100.2") == 200  # a different client behind the proxy


def test_public_signup_and_reset_requests_are_limited(app_factory):
    app = app_factory(SIGNUP_LIMIT_PER_ADDRESS="2 per minute",
                      RESET_LIMIT_PER_ADDRESS="2 per minute")
    from coalition.platform.extensions import db
    from tests import factories

    with app.app_context():
        factories.build_world(db.session)
    client = app.test_client()
    signups = [client.post("/join/alpha", data={"name": "A", "email": f"s{n}@example.org",
                                                "kind": "patient", "consent": "y"}).status_code
               for n in range(3)]
    assert signups == [302, 302, 429]
    resets = [client.post("/forgot-password", data={"email": "a@example.org"}).status_code
              for _ in range(3)]
    assert resets == [302, 302, 429]


def test_storage_uri_is_configurable(app_factory):
    app = app_factory(RATELIMIT_STORAGE_URI="memory://")
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
    from coalition.platform.config import DEFAULTS

    assert DEFAULTS["RATELIMIT_STORAGE_URI"] == "database://"  # shared by every worker
