"""Journey: an outsider signs up on the chapter's public page; a coordinator sees the
sign-up waiting on the dashboard, approves it, and the new ally is in the allies list with
the issue chosen on the form."""
from __future__ import annotations

from tests.browser.conftest import go, login, look


def test_public_sign_up_then_approval(page, live):
    base, world, _ = live
    page.goto(base + "/join/alpha")  # the link the chapter shares
    assert page.get_by_role("heading", level=1).inner_text() == "Support Alpha Chapter"
    look(page, "signup-form")
    page.get_by_label("Your name").fill("Dora Walker")
    page.get_by_label("E-mail", exact=True).fill("dora.walker@example.org")
    page.get_by_label("You are…").select_option(label="Patient or family member")
    page.get_by_label("Where you live or work").fill("Bend")
    page.get_by_label("12-visit annual cap").check()
    page.get_by_label("Whom do you know?").fill("My physician at the Bend clinic")
    # Forgetting the consent: the form says why it is needed and keeps the typing.
    go(page, page.get_by_role("button", name="Sign up"))
    # The focus is on the summary, which links to the consent box.
    summary = page.locator("[data-error-summary]")
    assert summary.evaluate("el => el === document.activeElement")
    assert summary.get_by_role("heading").inner_text().startswith("There is a problem")
    assert page.title().startswith("Error: ")
    assert page.locator(".field .error").get_by_text("Without your consent we cannot add you").is_visible()
    assert summary.get_by_role("link").inner_text().startswith("I agree that Alpha Chapter may keep my name")
    assert page.get_by_label("Your name").input_value() == "Dora Walker"
    assert page.get_by_label("12-visit annual cap").is_checked()
    page.get_by_label("I agree that Alpha Chapter may keep my name").check()
    go(page, page.get_by_role("button", name="Sign up"))
    page.wait_for_url(base + "/join/alpha/thanks")
    assert page.get_by_role("heading", level=1).inner_text() == "Thank you"
    look(page, "signup-thanks")

    login(page, base, world["alpha"]["coordinator"])
    waiting = page.get_by_text("Waiting for approval:")
    go(page, waiting.get_by_role("link", name="2 ally sign-ups"))  # the world's Sam, and Dora
    assert page.get_by_role("heading", level=1).inner_text() == "Sign-ups waiting for approval"
    card = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name="Dora Walker"))
    shown = card.inner_text()
    for part in ("Patient", "dora.walker@example.org", "Bend", "12-visit annual cap",
                 "My physician at the Bend clinic"):
        assert part in shown, part
    look(page, "signups-waiting")
    go(page, card.get_by_role("button", name="Approve Dora Walker"))
    assert page.get_by_role("status").get_by_text("Dora Walker is now an ally of the chapter.").is_visible()
    assert page.get_by_role("heading", name="Dora Walker").count() == 0
    go(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Allies"))
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="Dora Walker"))
    assert row.inner_text().split("\t") == [
        # "Bend" is no region of the chapter's list: it waits in her notes for a coordinator
        # to add the region or choose another (a typo never becomes a region of its own).
        "Dora Walker", "Patient", "—", "—", "3 of 5", "Supporter: 12-visit annual cap"]
    assert page.get_by_role("heading", name="8 allies found").is_visible()  # 7 before her
    # Only Sam is still waiting.
    go(page, page.get_by_role("link", name="Sign-ups waiting for approval"))
    assert page.get_by_role("button", name="Approve Sam Signup").is_visible()
    assert page.get_by_role("button", name="Approve Dora Walker").count() == 0
