"""A member makes a calendar link on "My tasks", a calendar app fetches it, the member makes
a new one (the page's dialog asks first) and the old one stops working; at desktop and
phone sizes."""
from __future__ import annotations

import urllib.error
import urllib.request

from tests.browser.conftest import check_accessibility, login, screenshot


def _status(url: str) -> int:
    """As a calendar app: no cookie."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _fits(page, width: int) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    section = page.locator("#calendar")
    for button in section.get_by_role("button").all() + section.get_by_role("link").all():
        box = button.bounding_box()
        assert box["height"] >= 24 and box["width"] >= 24, button.inner_text()


def test_make_a_calendar_link_then_a_new_one(page, live):
    base, world, _ = live
    login(page, base, world["alpha"]["member"])
    page.goto(f"{base}/c/alpha/outreach/mine")
    section = page.locator("#calendar")
    assert section.get_by_role("heading", name="Calendar").is_visible()
    assert section.get_by_text("You have no calendar link yet.").is_visible()
    assert section.get_by_role("heading", name="How to subscribe").is_visible()
    check_accessibility(page, "my tasks with the calendar section")

    with page.expect_navigation():
        section.get_by_role("button", name="Make my calendar link").click()
    field = page.get_by_label("Your calendar link")
    first = field.input_value()
    assert first.startswith(base + "/calendar/") and first.endswith(".ics")
    assert page.get_by_text("Copy it now: it is shown only this once.").is_visible()
    assert _status(first) == 200
    check_accessibility(page, "my tasks with a new calendar link")
    screenshot(page, "calendar-link-new")
    _fits(page, 1280)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/c/alpha/outreach/mine#calendar")
    assert page.get_by_text("You have a calendar link, made on").is_visible()
    assert page.get_by_text("A calendar app last fetched it on").is_visible()
    _fits(page, 390)
    check_accessibility(page, "my tasks on a phone")
    screenshot(page, "calendar-link-phone")

    page.get_by_role("button", name="Make a new link").click()
    dialog = page.get_by_role("dialog")
    dialog.wait_for(state="visible")
    assert dialog.get_by_text("Make a new calendar link?").is_visible()
    with page.expect_navigation():
        dialog.get_by_role("button", name="Make a new link").click()
    second = page.get_by_label("Your calendar link").input_value()
    assert second != first
    _fits(page, 390)
    assert _status(first) == 404  # the old link stops working
    assert _status(second) == 200
    assert not page.js_errors
