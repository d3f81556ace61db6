"""The main menu: seven groups on one line at 1280 px; each group's other pages in a small
disclosure menu that opens by mouse or keyboard, closes with Escape and gives focus back;
behind one "Menu" button on a phone; without JavaScript, a group's pages are linked from the
row under the header."""
from __future__ import annotations

from tests.browser.conftest import PHONE, WIDE, check_accessibility, expect, fits_phone, go, login, screenshot
from tests.factories import PASSWORD


def _nav(page):
    return page.get_by_role("navigation", name="Main")


def test_the_menu_groups_the_pages_on_one_line(page, live):
    base, world, _ = live
    login(page, base, world["alpha"]["coordinator"])
    nav = _nav(page)
    groups = page.locator(".chapter-menu > li > a")
    assert groups.all_inner_texts() == ["Dashboard", "Issues", "Allies", "Insurers", "Tasks", "Map", "Chapter"]
    tops = {round(box["y"]) for box in (g.bounding_box() for g in groups.all())}
    assert len(tops) == 1, "the seven groups sit on one line at 1280 px"
    account = page.locator(".topnav .account .who").bounding_box()
    assert abs(account["y"] - min(tops)) < 20, "the account links share that line"

    toggle = nav.get_by_role("button", name="More under Tasks")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    assert not nav.get_by_role("link", name="Task board").is_visible()
    # By keyboard: focus the button, Enter opens, Escape closes and returns focus.
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name="Task board")).to_be_visible()
    check_accessibility(page, "menu open")
    screenshot(page, "menu-open-wide")
    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    assert page.evaluate("document.activeElement.getAttribute('aria-controls')") == "submenu-tasks"
    # By mouse: the task board is one click away.
    toggle.click()
    go(page, nav.get_by_role("link", name="Task board"))
    assert page.get_by_role("heading", level=1).inner_text() == "Task board"
    expect(nav.get_by_role("link", name="Tasks")).to_have_attribute("aria-current", "page")
    pages = page.get_by_role("navigation", name="Tasks pages")
    expect(pages.get_by_role("link", name="Task board")).to_have_attribute("aria-current", "page")
    expect(pages.get_by_role("link", name="My tasks")).to_be_visible()


def test_the_menu_folds_behind_one_button_on_a_phone(page, live):
    base, world, _ = live
    login(page, base, world["alpha"]["coordinator"])
    page.set_viewport_size(PHONE)
    nav = _nav(page)
    menu = nav.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    assert not nav.get_by_role("link", name="Issues").is_visible()
    screenshot(page, "menu-closed-phone")
    menu.click()
    expect(nav.get_by_role("link", name="Issues")).to_be_visible()
    nav.get_by_role("button", name="More under Chapter").click()
    expect(nav.get_by_role("link", name="Trash")).to_be_visible()
    fits_phone(page, "menu open on a phone")
    check_accessibility(page, "menu open on a phone")
    screenshot(page, "menu-open-phone")
    page.keyboard.press("Escape")  # closes the group, then the menu
    page.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_focused()
    page.set_viewport_size(WIDE)


def test_every_page_of_a_group_is_reachable_without_javascript(browser, live):
    base, world, _ = live
    context = browser.new_context(java_script_enabled=False, viewport=WIDE)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        # Logged in by hand: the login helper runs axe-core, which needs JavaScript.
        page.goto(base + "/login")
        page.get_by_label("E-mail").fill(world["alpha"]["coordinator"])
        page.get_by_label("Password").fill(PASSWORD)
        go(page, page.get_by_role("button", name="Log in"))
        nav = _nav(page)
        assert nav.get_by_role("button", name="More under Allies").count() == 0  # hidden without the script
        go(page, nav.get_by_role("link", name="Allies"))
        row = page.get_by_role("navigation", name="Allies pages")
        go(page, row.get_by_role("link", name="Import"))
        assert page.get_by_role("heading", level=1).inner_text() == "Import allies and relationships"
        go(page, nav.get_by_role("link", name="Chapter"))
        row = page.get_by_role("navigation", name="Chapter pages")
        for name in ("Members", "Consent notice", "Audit trail", "API tokens", "Trash"):
            expect(row.get_by_role("link", name=name)).to_be_visible()
    finally:
        context.close()


def test_a_member_sees_only_the_pages_they_may_open(page, live):
    base, world, _ = live
    login(page, base, world["alpha"]["member"])
    nav = _nav(page)
    nav.get_by_role("button", name="More under Tasks").click()
    expect(nav.get_by_role("link", name="My tasks")).to_be_visible()
    assert nav.get_by_role("link", name="Task board").count() == 0
    assert nav.get_by_role("link", name="Members").count() == 0
