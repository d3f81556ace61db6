"""A coordinator deletes an issue, undoes it, deletes it again and restores it from the
Trash; without JavaScript the same button leads to a page that asks."""
from __future__ import annotations

from tests import factories
from tests.browser.conftest import check_accessibility, login, screenshot

TITLE = "12-visit annual cap"
QUESTION = (f"Delete the issue “{TITLE}” with 1 history entry, 3 stances, 2 tasks and "
            "1 evidence count?")


def _delete_from_the_issue_page(page, base, issue_id):
    page.goto(f"{base}/c/alpha/issues/{issue_id}")
    page.get_by_role("button", name="Delete issue").click()
    dialog = page.get_by_role("dialog")
    dialog.wait_for(state="visible")
    assert dialog.get_by_text(QUESTION).is_visible()
    with page.expect_navigation():
        dialog.get_by_role("button", name="Delete issue").click()


def test_delete_undo_delete_again_and_restore_from_the_trash(page, live):
    base, world, _ = live
    issue_id = world["alpha"]["issue_id"]
    login(page, base, world["alpha"]["coordinator"])

    _delete_from_the_issue_page(page, base, issue_id)
    assert page.url.endswith("/c/alpha/issues/")
    status = page.get_by_role("status")
    assert status.get_by_text(f"Deleted the issue “{TITLE}” with 1 history entry").is_visible()
    assert page.get_by_role("link", name=TITLE).count() == 0  # gone from the list
    check_accessibility(page, "issue list with the Undo button")
    screenshot(page, "trash-undo-flash")

    with page.expect_navigation():
        status.get_by_role("button", name="Undo").click()
    assert page.get_by_role("heading", level=1).inner_text() == TITLE
    assert page.get_by_role("status").get_by_text(f"Restored the issue “{TITLE}”").is_visible()

    _delete_from_the_issue_page(page, base, issue_id)
    # The menu groups Trash under "Chapter": open that group's menu first.
    page.get_by_role("navigation", name="Main").get_by_role("button", name="More under Chapter").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Trash").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Trash"
    assert page.get_by_text("2 deleted items can still be restored").is_visible()
    item = page.locator(".trash-list li").filter(has_text=TITLE)
    assert item.get_by_text("Deleted by coord-alpha today").is_visible()
    check_accessibility(page, "trash page")
    screenshot(page, "trash-page")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    box = item.get_by_role("button").bounding_box()
    assert box["height"] >= 24 and box["width"] >= 24
    screenshot(page, "trash-page-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    with page.expect_navigation():
        page.get_by_role("button", name=f"Restore the issue “{TITLE}”").click()
    assert page.get_by_role("heading", level=1).inner_text() == TITLE
    page.get_by_role("link", name="‹ All issues").click()
    assert page.get_by_role("link", name=TITLE).is_visible()
    assert not page.js_errors


def test_without_javascript_a_page_asks(browser, live):
    base, world, _ = live
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(base + "/login")
        page.get_by_label("E-mail").fill(world["alpha"]["coordinator"])
        page.get_by_label("Password", exact=True).fill(factories.PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="Log in").click()
        page.goto(f"{base}/c/alpha/issues/{world['alpha']['issue_id']}")
        with page.expect_navigation():
            page.get_by_role("button", name="Delete issue").click()
        assert page.get_by_role("heading", level=1).inner_text() == "Delete issue?"
        assert page.get_by_text(QUESTION).is_visible()
        # Cancel goes back and keeps it.
        with page.expect_navigation():
            page.get_by_role("link", name="Cancel").click()
        assert page.get_by_role("heading", level=1).inner_text() == TITLE
        with page.expect_navigation():
            page.get_by_role("button", name="Delete issue").click()
        screenshot(page, "confirm-page-no-js")
        with page.expect_navigation():
            page.get_by_role("button", name="Delete issue").click()
        assert page.url.endswith("/c/alpha/issues/")
        assert page.get_by_role("button", name="Undo").is_visible()
    finally:
        context.close()
