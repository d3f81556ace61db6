"""Nothing is deleted on one click: the delete button asks in a dialog, Cancel (the default)
keeps everything and gives the focus back, and only the dialog's own button deletes."""
from __future__ import annotations

from tests.browser.conftest import check_accessibility, login, screenshot


def test_deleting_an_issue_asks_first_and_cancel_keeps_it(page, live):
    base, world, _ = live
    login(page, base, world["alpha"]["coordinator"])
    issue_url = f"{base}/c/alpha/issues/{world['alpha']['issue_id']}"
    page.goto(issue_url)
    title = page.get_by_role("heading", level=1).inner_text()

    page.get_by_role("button", name="Delete issue").click()
    dialog = page.get_by_role("dialog")
    dialog.wait_for(state="visible")
    # It names what goes: the world's issue has one history entry and two tasks.
    assert dialog.get_by_text(f"Delete the issue “{title}” with 1 history entry, 3 stances, 2 tasks "
                              "and 1 evidence count?").is_visible()
    # The safe answer has the focus; the dangerous one names what it does.
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Cancel"
    assert dialog.get_by_role("button", name="Delete issue").is_visible()
    check_accessibility(page, "issue page with the delete question")
    screenshot(page, "confirm-delete-issue")

    dialog.get_by_role("button", name="Cancel").click()
    dialog.wait_for(state="hidden")
    assert page.url == issue_url
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Delete issue"
    assert page.get_by_role("heading", level=1).inner_text() == title

    page.keyboard.press("Enter")  # the focused button asks again; Escape also keeps it
    dialog.wait_for(state="visible")
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert page.url == issue_url

    page.get_by_role("button", name="Delete issue").click()
    with page.expect_navigation():
        page.get_by_role("dialog").get_by_role("button", name="Delete issue").click()
    assert page.url.endswith("/c/alpha/issues/")
    assert page.get_by_role("status").get_by_text(f"Deleted the issue “{title}”").is_visible()
    assert not page.js_errors


def test_the_question_fits_a_phone(page, live):
    base, world, _ = live
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, base, world["alpha"]["coordinator"])
    page.goto(f"{base}/c/alpha/issues/{world['alpha']['issue_id']}")
    page.get_by_role("button", name="Delete issue").click()
    dialog = page.get_by_role("dialog")
    dialog.wait_for(state="visible")
    box = dialog.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    for name in ("Cancel", "Delete issue"):
        button = dialog.get_by_role("button", name=name).bounding_box()
        assert button["height"] >= 24 and button["width"] >= 24  # target size
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    screenshot(page, "confirm-delete-issue-phone")
