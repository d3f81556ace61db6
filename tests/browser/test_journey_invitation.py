"""A coordinator invites someone by e-mail; the newcomer opens the link in a browser of their
own, creates the account and lands on the chapter's dashboard as a member; the coordinator
sees the invitation gone from the pending list and the person among the members."""
from __future__ import annotations

import email
import email.policy
import re
from pathlib import Path

from tests.browser.conftest import allow_client_error, check_accessibility, login, screenshot

NEWCOMER = "nia@example.org"


def _link(app) -> str:
    [path] = (Path(app.instance_path) / "outbox").glob("*.eml")
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert message["To"] == NEWCOMER
    return re.search(r"http://127\.0\.0\.1:\d+/invitations/\S+",
                     message.get_body(("plain",)).get_content()).group()


def _fits_a_phone(page, what: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390, \
        f"{what}: scrolls sideways on a phone"
    for button in page.locator("main button:visible, main input[type=radio]:visible").all():
        box = button.bounding_box()
        assert box["height"] >= 24 and box["width"] >= 24, f"{what}: a target under 24px"
    check_accessibility(page, f"{what} on a phone")


def test_invite_create_the_account_and_join(browser, page, live):
    base, world, app = live
    login(page, base, world["alpha"]["coordinator"])
    page.goto(f"{base}/c/alpha/members/")
    check_accessibility(page, "members page")
    screenshot(page, "invitation-members-page")
    _fits_a_phone(page, "members page")
    screenshot(page, "invitation-members-page-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    # A typo first: named, and what was typed stays (the form comes back with 400).
    allow_client_error(page, 400, "/members/invitations/")
    page.get_by_label("E-mail addresses").fill(f"Nia Newcomer <{NEWCOMER}>, bo@example")
    with page.expect_navigation():
        page.get_by_role("button", name="Send invitations").click()
    assert page.locator("#addresses-error").get_by_text("This is not an e-mail address: “bo@example”.").is_visible()
    assert page.get_by_label("E-mail addresses").input_value() == \
        f"Nia Newcomer <{NEWCOMER}>, bo@example"
    page.get_by_label("E-mail addresses").fill(f"Nia Newcomer <{NEWCOMER}>")
    assert page.get_by_label("Members: they see").is_checked()  # the default role
    with page.expect_navigation():
        page.get_by_role("button", name="Send invitations").click()
    assert page.get_by_role("status").get_by_text("Invited 1 person.").is_visible()
    pending = page.locator("section", has=page.get_by_role("heading",
                                                           name="Invitations waiting for an answer"))
    assert pending.get_by_text(f"{NEWCOMER} (Nia Newcomer)").is_visible()
    assert not page.js_errors

    # The newcomer, in a browser of their own.
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    newcomer = context.new_page()
    try:
        newcomer.goto(_link(app))
        assert newcomer.get_by_role("heading", level=1).inner_text() == \
            "Join Alpha Chapter as a member"
        assert newcomer.get_by_label("Your name").input_value() == "Nia Newcomer"
        check_accessibility(newcomer, "invitation page")
        screenshot(newcomer, "invitation-page")
        _fits_a_phone(newcomer, "invitation page")
        screenshot(newcomer, "invitation-page-phone")
        newcomer.set_viewport_size({"width": 1280, "height": 900})
        newcomer.get_by_label("Choose a password").fill("a quiet river at dawn")
        newcomer.get_by_label("Repeat the password").fill("a quiet river at dawn")
        with newcomer.expect_navigation():
            newcomer.get_by_role("button", name="Create my account and join").click()
        assert newcomer.url == f"{base}/c/alpha/"
        assert newcomer.get_by_role("status").get_by_text(
            "Welcome to Alpha Chapter! Your account is ready.").is_visible()
        nav = newcomer.get_by_role("navigation", name="Main")
        assert nav.get_by_role("link", name="Dashboard").is_visible()
        assert nav.get_by_role("link", name="Members").count() == 0  # a member, not coordinator
        assert nav.get_by_role("link", name="Nia Newcomer").is_visible()
    finally:
        context.close()

    page.goto(f"{base}/c/alpha/members/")
    assert page.get_by_text(NEWCOMER + " (Nia Newcomer)").count() == 0  # no longer pending
    row = page.locator("tr", has=page.get_by_text(NEWCOMER, exact=True))
    assert row.get_by_role("cell", name="Nia Newcomer", exact=True).is_visible()
    assert row.get_by_role("cell", name="Active", exact=True).is_visible()
    assert not page.js_errors


def test_withdrawing_asks_in_the_dialog_and_the_link_then_says_so(browser, page, live):
    base, world, app = live
    login(page, base, world["alpha"]["coordinator"])
    page.goto(f"{base}/c/alpha/members/")
    page.get_by_label("E-mail addresses").fill(NEWCOMER)
    with page.expect_navigation():
        page.get_by_role("button", name="Send invitations").click()
    page.get_by_role("button", name=f"Withdraw the invitation to {NEWCOMER}").click()
    dialog = page.get_by_role("dialog")
    dialog.wait_for(state="visible")
    assert dialog.get_by_text(f"Withdraw the invitation to {NEWCOMER}? The link in their "
                              "e-mail stops working at once.").is_visible()
    with page.expect_navigation():
        dialog.get_by_role("button", name="Withdraw invitation").click()
    assert page.get_by_role("status").get_by_text(
        f"Withdrew the invitation to {NEWCOMER}").is_visible()

    context = browser.new_context(viewport={"width": 390, "height": 844})
    newcomer = context.new_page()
    try:
        newcomer.goto(_link(app))
        assert newcomer.get_by_role("heading", level=1).inner_text() == \
            "This invitation link no longer works"
        assert newcomer.get_by_text("The invitation to join Alpha Chapter was withdrawn.") \
            .is_visible()
        assert newcomer.get_by_role("link", name="coord-alpha@example.org").is_visible()
        assert newcomer.evaluate("() => document.documentElement.scrollWidth") <= 390
        check_accessibility(newcomer, "withdrawn invitation page")
        screenshot(newcomer, "invitation-withdrawn-phone")
    finally:
        context.close()
