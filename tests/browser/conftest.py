"""Browser tests: the app served from a background thread, driven by Playwright through
Debian's chromium (never a browser that Playwright downloads).

Without chromium or Playwright the tests skip locally with the reason, and fail in CI
(``CI=true``), where .ci/run installs chromium.
"""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import threading
from datetime import date, timedelta
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from coalition import create_app
from coalition.platform.extensions import db
from tests import factories
from tests.conftest import make_config, scratch_database

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
def serve(tmp_path, *, seeded: bool = True, **overrides):
    """``(base_url, world, app)`` of a running server on an empty database of the run's kind
    (a SQLite file in tmp_path, or a throw-away PostgreSQL database under
    ``make test-postgres``), filled with the world; with
    ``seeded=False`` the database is empty (a fresh install: the world is ``{}``)."""
    with scratch_database(tmp_path, "browser") as url:
        yield from _serve(tmp_path, url, seeded, overrides)


def _serve(tmp_path, url: str, seeded: bool, overrides: dict):
    app = create_app(make_config(tmp_path, WTF_CSRF_ENABLED=True, DATABASE_URL=url, **overrides))
    with app.app_context():
        db.create_all()
        world = seed(db.session) if seeded else {}
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
def live_empty(tmp_path):
    """A fresh install: no account, no chapter; every page leads to the set-up."""
    with serve(tmp_path, seeded=False) as running:
        yield running


@pytest.fixture
def live_small(tmp_path):
    """The same, with MAP_MAX_NODES at 5: the map opens on its overview."""
    with serve(tmp_path, MAP_MAX_NODES=5) as running:
        yield running


@pytest.fixture
def page(browser):
    """A fresh browser context at 1280x900. The test fails on any console error, uncaught
    error in a page or response of 500 and above, listed together (see
    ``pytest_runtest_call``); ``allow_client_error`` lets through a 4xx the test expects."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    pg = context.new_page()
    problems: list[str] = []
    pg.problems = problems
    pg.js_errors = problems  # the older name, kept for the tests that use it
    pg.allowed_client_errors = []
    context.on("weberror", lambda error: problems.append(f"uncaught error: {error.error}"))
    context.on("console", lambda msg: _on_console(pg, msg))
    context.on("response", lambda response: problems.append(
        f"HTTP {response.status} for {response.request.method} {response.url}")
        if response.status >= 500 else None)
    yield pg
    context.close()


_FAILED_LOAD = re.compile(r"the server responded with a status of (\d{3})")


def _on_console(pg, msg) -> None:
    if msg.type != "error":
        return
    url = (msg.location or {}).get("url", "")
    failed = _FAILED_LOAD.search(msg.text)
    if failed and 400 <= int(failed.group(1)) < 500 and any(
            int(failed.group(1)) == status and part in url
            for status, part in pg.allowed_client_errors):
        return
    # A 500 shows up as its response already; the console line adds nothing.
    if failed and int(failed.group(1)) >= 500:
        return
    pg.problems.append(f"console error: {msg.text}" + (f" (at {url})" if url else ""))


def allow_client_error(page, status: int, url_part: str = "") -> None:
    """A request the test expects to be refused with ``status`` (a form sent back with
    422, a page that answers 404): its console line is no failure."""
    assert 400 <= status < 500, "only client errors can be expected; a 5xx is always a failure"
    page.allowed_client_errors.append((status, url_part))


def _problems_of(item) -> list[str]:
    pg = item.funcargs.get("page") if hasattr(item, "funcargs") else None
    if pg is None:
        return []
    with contextlib.suppress(Exception):  # deliver the events still on their way
        if not pg.is_closed():
            pg.evaluate("0")
    return list(pg.problems)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """A test using ``page`` fails when the browser saw a console error, an uncaught error
    or a 5xx answer, with all of them listed; a test failing for another reason lists them
    too, as they often explain it."""
    try:
        result = yield
    except BaseException as exc:
        problems = _problems_of(item)
        if problems:
            exc.add_note("The browser also saw:\n  " + "\n  ".join(problems))
        raise
    problems = _problems_of(item)
    if problems:
        pytest.fail("The browser saw {} problem(s):\n  {}".format(len(problems), "\n  ".join(problems)),
                    pytrace=False)
    return result


def expect(target):
    """Playwright's ``expect`` (retrying until the page shows it, up to 15 s), imported only
    when used so that these tests skip cleanly where Playwright is missing."""
    from playwright.sync_api import expect as playwright_expect

    playwright_expect.set_options(timeout=15_000)  # its own default is 5 s: too short on a busy machine
    return playwright_expect(target)


def go(page, target) -> None:
    """Click a link or a form's button (``target``, a locator) and wait until the page it
    leads to has loaded: a click does not wait for that, and a check made too early would
    read the page being left."""
    with page.expect_navigation():
        target.click()


def login(page, base: str, email: str) -> None:
    page.goto(base + "/login")
    check_accessibility(page, "login page")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(factories.PASSWORD)
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


WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def look(page, name: str) -> None:
    """What a journey checks on each main page: axe-core, no sideways scrolling on a
    390 px phone, and screenshots at both sizes (kept when COALITION_SCREENSHOTS is set)."""
    check_accessibility(page, name)
    screenshot(page, f"{name}-wide")
    page.set_viewport_size(PHONE)
    try:
        fits_phone(page, name)
        screenshot(page, f"{name}-phone")
    finally:
        page.set_viewport_size(WIDE)


def fits_phone(page, name: str) -> None:
    """No sideways scrolling at the phone's width. Some pages settle after a resize (the
    map redraws its canvases a moment later): wait for it, up to three seconds."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    width = page.viewport_size["width"]
    try:
        page.wait_for_function("(width) => document.documentElement.scrollWidth <= width",
                               arg=width, timeout=3_000)
    except PlaywrightTimeout:
        overflow = page.evaluate("""(width) => {
            const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                + (typeof el.className === 'string' && el.className ? '.' + el.className.split(' ')[0] : '');
            const wide = [...document.querySelectorAll('body *')]
                .filter(el => el.getBoundingClientRect().right > width + 1).slice(0, 6).map(name);
            return {scrollWidth: document.documentElement.scrollWidth, widest: wide};
        }""", width)
        raise AssertionError(f"{name}: scrolls sideways on a {width} px phone: {overflow}") from None
