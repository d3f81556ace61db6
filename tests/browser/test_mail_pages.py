"""The mail pages in a real browser at 1280x900 and 390x844: a member switches off the
e-mail about tasks given to them; the unsubscribe link from a message, without a log-in;
the administrators' outbox. Each page: no sideways scrolling, 24 px targets, no serious
accessibility violation."""
from __future__ import annotations

from sqlalchemy import select

from coalition.models import User
from coalition.platform import mail
from coalition.platform.extensions import db
from tests.browser.conftest import allow_client_error, check_accessibility, login, screenshot

SIZES = ({"width": 1280, "height": 900}, {"width": 390, "height": 844})


def _check_sizes(page, what: str) -> None:
    for size in SIZES:
        page.set_viewport_size(size)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= size["width"], \
            f"{what} scrolls sideways at {size['width']} px"
        for target in page.locator("main button, main input[type=checkbox], main a").all():
            box = target.bounding_box()
            if box:  # shown
                assert (box["height"] >= 24 and box["width"] >= 24) or _inline(target), \
                    f"{what}: a target smaller than 24 px at {size['width']} px"
        check_accessibility(page, f"{what} at {size['width']} px")
        screenshot(page, f"mail-{what.replace(' ', '-')}-{size['width']}")
    page.set_viewport_size(SIZES[0])


def _inline(target) -> bool:
    """Links inside a sentence are exempt from the target size (WCAG 2.5.8)."""
    return target.evaluate("el => el.tagName === 'A' && getComputedStyle(el).display === 'inline'"
                           " && el.closest('p') !== null")


def test_a_member_switches_off_mail_about_tasks_given_to_them(page, live):
    base, world, app = live
    login(page, base, world["alpha"]["member"])
    page.get_by_role("link", name="member-alpha").click()  # their name: the account pages
    page.get_by_role("navigation", name="Your account").get_by_role("link", name="E-mail").click()
    assert page.get_by_role("heading", level=1).inner_text() == "E-mail"
    box = page.get_by_label("A task was given to me")
    assert box.is_checked()
    _check_sizes(page, "e-mail settings")

    box.uncheck()
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    assert page.get_by_role("status").get_by_text("Your e-mail choices are saved.").is_visible()
    assert not page.get_by_label("A task was given to me").is_checked()
    assert page.get_by_label("A task of mine is due tomorrow or overdue").is_checked()
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == world["alpha"]["member"]))
        assert not mail.wants(user_id, "assignments")

    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    assert page.get_by_role("status").get_by_text("No changes to save.").is_visible()


def test_the_unsubscribe_link_and_the_outbox(page, live):
    base, world, app = live
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == world["alpha"]["member"]))
        token = mail.unsubscribe_token(user_id, "digest")
    page.goto(f"{base}/unsubscribe/{token}")  # nobody logged in
    assert page.get_by_role("heading", level=1).inner_text() == "Stop these e-mails?"
    _check_sizes(page, "unsubscribe question")
    with page.expect_navigation():
        page.get_by_role("button", name="Stop these e-mails").click()
    assert page.get_by_role("heading", level=1).inner_text() == \
        "You will not get these e-mails any more"
    _check_sizes(page, "unsubscribe done")

    allow_client_error(page, 400, "/unsubscribe/")  # the altered link, on purpose
    page.goto(f"{base}/unsubscribe/{token[:-4]}")
    assert page.get_by_role("heading", level=1).inner_text() == "This link does not work"

    with app.test_request_context(base_url=base):
        mail.send(world["alpha"]["member"], "A long subject line for the outbox of this chapter",
                  "Hello,\n\nA very long address that must wrap on a phone: "
                  f"{base}/unsubscribe/{token}{token}\n", reason="Because this is a test.",
                  category="assignments", user_id=user_id)
    login(page, base, world["admin"])
    page.goto(f"{base}/admin/outbox")
    assert page.get_by_text("Mail is not sent: MAIL_SERVER is not set").is_visible()
    _check_sizes(page, "outbox")
    with page.expect_navigation():
        page.get_by_role("link", name="A long subject line for the outbox").click()
    assert page.get_by_text("Because this is a test.").is_visible()
    _check_sizes(page, "outbox message")
