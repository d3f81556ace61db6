"""Browser tests: the app served from a background thread, driven by Playwright through
Debian's chromium (never a browser that Playwright downloads).

Without chromium or Playwright the tests skip locally with the reason, and fail in CI
(``CI=true``), where .ci/run installs chromium.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import threading
from datetime import date, timedelta
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from coalition import create_app
from coalition.platform.extensions import db
from tests import factories
from tests.conftest import make_config

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("COALITION_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run",
               "--disable-dev-shm-usage"]
SHOTS = os.environ.get("COALITION_SCREENSHOTS")  # a folder: keep screenshots there


def _unavailable(reason: str):
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"browser tests cannot run in CI: {reason}")
    pytest.skip(f"browser tests skipped: {reason}")


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (make setup)")
    if not os.path.exists(CHROMIUM):
        _unavailable(f"no chromium at {CHROMIUM} (apt-get install chromium)")
    if not AXE.exists():
        _unavailable("node_modules/axe-core is missing (make setup runs npm ci)")
    with sync_playwright() as p:
        try:
            launched = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        except Exception as exc:  # noqa: BLE001 - any launch failure is reported the same way
            _unavailable(f"chromium did not start: {exc}")
        yield launched
        launched.close()


def seed(session) -> dict:
    """The world of the access tests plus a few allies and links in alpha, so the map has
    something to show and a path from a member to the decision maker."""
    from coalition.models import Chapter, InsurerContact, Issue, Membership

    world = factories.build_world(session)
    a = world["alpha"]
    chapter = session.get(Chapter, a["chapter_id"])
    coord = session.get(Membership, a["coordinator_membership_id"])
    issue = session.get(Issue, a["issue_id"])
    boss = session.get(InsurerContact, a["boss_contact_id"])
    recent = date.today() - timedelta(days=10)
    old = date.today() - timedelta(days=400)
    extra = {}
    for name, kind, influence in (("Olive Org", "patient_org", 5), ("Gus Group", "support_group", 2),
                                  ("Rita Regulator", "regulator", 4), ("Lee Legislator", "legislator", 3),
                                  ("Pia Patient", "patient", 1)):
        extra[name] = factories.ally(session, chapter, name, kind, influence=influence, consent=True,
                                     email=f"{name.split()[0].lower()}@example.org")
    factories.stance(session, extra["Olive Org"], issue, "champion")
    factories.stance(session, extra["Pia Patient"], issue, "neutral")
    factories.relationship(session, chapter, ("member", coord.id), ("ally", extra["Olive Org"].id),
                           strength=5, owner=coord, last_contact=recent)
    factories.relationship(session, chapter, ("ally", extra["Olive Org"].id), ("contact", boss.id),
                           strength=4, owner=coord, last_contact=recent)
    factories.relationship(session, chapter, ("member", coord.id), ("ally", extra["Gus Group"].id),
                           strength=2, owner=coord, last_contact=old)
    factories.relationship(session, chapter, ("ally", extra["Lee Legislator"].id),
                           ("ally", extra["Olive Org"].id), strength=3, last_contact=recent)
    session.commit()
    world["extra_ally_ids"] = {name: row.id for name, row in extra.items()}
    return world


@contextlib.contextmanager
def serve(tmp_path, **overrides):
    """``(base_url, world, app)`` of a running server on a SQLite file in tmp_path."""
    app = create_app(make_config(
        tmp_path, WTF_CSRF_ENABLED=True,
        DATABASE_URL="sqlite:///" + str(tmp_path / "browser.db"), **overrides))
    with app.app_context():
        db.create_all()
        world = seed(db.session)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    # A short poll: shutdown() waits for the loop to notice, up to one interval per test.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", world, app
    finally:
        server.shutdown()
        thread.join(timeout=5)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def live(tmp_path):
    with serve(tmp_path) as running:
        yield running


@pytest.fixture
def live_small(tmp_path):
    """The same, with MAP_MAX_NODES at 5: the map opens on its overview."""
    with serve(tmp_path, MAP_MAX_NODES=5) as running:
        yield running


@pytest.fixture
def page(browser):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    # Content-Security-Policy reports are console errors: a map that needs an inline
    # script or style would show up here.
    pg.on("console", lambda msg: errors.append(msg.text)
          if msg.type == "error" and "Content Security Policy" in msg.text else None)
    pg.js_errors = errors
    yield pg
    context.close()


def login(page, base: str, email: str) -> None:
    page.goto(base + "/login")
    check_accessibility(page, "login page")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(factories.PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()


def check_accessibility(page, what: str) -> None:
    """Run axe-core on the page; fail on any serious or critical violation."""
    # Evaluated through the DevTools protocol rather than added as a <script> tag: the
    # app's Content-Security-Policy (script-src 'self') rightly refuses inline scripts.
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text() + "\n;undefined")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [v for v in result["violations"]
           if v.get("impact") in ("serious", "critical")]
    detail = "; ".join(
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(n["target"][0] if isinstance(n["target"][0], str) else str(n["target"])
                    for n in v["nodes"][:3])
        for v in bad)
    assert not bad, f"{what}: accessibility violations: {detail}"


def screenshot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)
