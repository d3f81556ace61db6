"""The ``page`` fixture's watch: console errors, uncaught errors and 5xx answers are
collected (and fail the test, see conftest), a 4xx the test expects is not."""
from __future__ import annotations

from tests.browser.conftest import _problems_of, allow_client_error


class _Item:
    def __init__(self, page):
        self.funcargs = {"page": page}


def test_the_page_fixture_collects_what_went_wrong(page, live):
    base, _, app = live

    def broken():
        raise RuntimeError("a bug")

    app.add_url_rule("/test-broken", view_func=broken)  # before the server's first request

    page.goto(base + "/login")
    page.evaluate("() => console.error('something broke')")
    # Timers run in order: once the second has run, the first has thrown.
    page.evaluate("""() => new Promise(done => {
        setTimeout(() => { throw new Error('uncaught in a timer'); });
        setTimeout(done); })""")
    page.goto(base + "/test-broken")
    page.goto(base + "/no-such-page")
    allow_client_error(page, 404, "/expected-missing")
    page.goto(base + "/expected-missing")
    problems = _problems_of(_Item(page))

    assert any("console error: something broke" in p for p in problems), problems
    assert any("uncaught in a timer" in p for p in problems), problems
    assert any(p.startswith("HTTP 500 for GET") and p.endswith("/test-broken") for p in problems), problems
    assert any("404" in p and "/no-such-page" in p for p in problems), problems
    assert not any("/expected-missing" in p for p in problems), problems
    assert len(problems) == 4, problems
    page.problems.clear()  # seen: this test is about them
