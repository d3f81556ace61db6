"""Journey: a coordinator of a brand-new, empty chapter follows the dashboard's
getting-started checklist, clicking its links and filling in each form by label, until a
first task is planned; the checklist then shows every step done. At both screen sizes."""
from __future__ import annotations

import pytest

from tests.browser.conftest import PHONE, WIDE, check_accessibility, expect, fits_phone, go, look, screenshot


def _set_up_empty_chapter(page, base: str) -> None:
    page.goto(base + "/")
    page.wait_for_url(base + "/setup")
    page.get_by_label("Your name").fill("Casey Coordinator")
    page.get_by_label("E-mail").fill("casey@example.org")
    page.get_by_label("Password", exact=True).fill("a long enough passphrase")
    page.get_by_label("Repeat the password").fill("a long enough passphrase")
    page.get_by_label("First chapter's name").fill("Valley Chapter")
    page.get_by_label("Short name for addresses").fill("valley")
    page.get_by_label("Region").fill("Valley")
    go(page, page.get_by_role("button", name="Create"))
    page.wait_for_url(base + "/c/valley/")


def _choose(page, label: str, name: str) -> None:
    """Choose ``name`` by typing, as a person does with the picker: the start of the name,
    then the first suggestion (the list adds a hint: "Olivia Coleman (other, …)")."""
    box = page.get_by_role("combobox", name=label)
    box.click()
    page.keyboard.type(name[:4], delay=40)
    page.get_by_role("listbox").get_by_role("option").filter(has_text=name).first.wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert box.input_value().startswith(name)


def _checklist(page):
    return page.get_by_role("region", name="Getting started")


def _dashboard(page) -> None:
    """Back to the dashboard through the menu (on a phone, behind its "Menu" button)."""
    nav = page.get_by_role("navigation", name="Main")
    menu = nav.get_by_role("button", name="Menu")
    if menu.is_visible():
        menu.click()
    go(page, nav.get_by_role("link", name="Dashboard"))


def _next(page, base: str, done: int, link: str) -> None:
    """Back on the dashboard: ``done`` steps are ticked; follow the suggested ``link``."""
    _dashboard(page)
    checklist = _checklist(page)
    expect(checklist.get_by_text(f"{done} of 6 steps done")).to_be_visible()
    go(page, checklist.get_by_role("link", name=link))


@pytest.mark.parametrize("size", [WIDE, PHONE], ids=["wide", "phone"])
def test_an_empty_chapter_reaches_a_first_task_by_the_checklist(page, live_empty, size):
    base, _, _ = live_empty
    page.set_viewport_size(size)
    _set_up_empty_chapter(page, base)
    checklist = _checklist(page)
    expect(checklist.get_by_text("0 of 6 steps done")).to_be_visible()
    # Before any insurer exists, "Open an issue" is not offered: its form would have an empty
    # insurer list. The issue step leads to the insurer form too.
    assert checklist.get_by_role("link", name="Open an issue").count() == 0
    assert checklist.get_by_role("link", name="Add the insurer").count() == 1
    expect(checklist.get_by_text("Possible once step 1 is done.")).to_have_count(1)
    expect(checklist.get_by_text("Possible once step 2 is done.")).to_have_count(2)
    expect(checklist.get_by_text("Possible once step 3 is done.")).to_have_count(1)
    if size is WIDE:  # an administrator's menu (with "Admin") still fits one line
        middles = [b["y"] + b["height"] / 2 for b in (e.bounding_box() for e in page.locator(
            ".chapter-menu > li > a, .topnav .account .who").all())]
        assert max(middles) - min(middles) < 8, middles
    look(page, f"start-dashboard-empty-{size['width']}")
    page.set_viewport_size(size)

    go(page, checklist.get_by_role("link", name="Add the insurer").first)
    page.get_by_label("Name").fill("Silver Basin Health")
    go(page, page.get_by_role("button", name="Add insurer"))

    _next(page, base, 1, "Open an issue")
    page.get_by_label("Title").fill("12-visit cap on physical therapy")
    page.get_by_label("Insurer").select_option(label="Silver Basin Health")
    go(page, page.get_by_role("button", name="Open issue"))

    _next(page, base, 2, "Add an ally")
    page.get_by_label("Name").fill("Olivia Coleman")
    page.get_by_label("Agreed to be contacted by the chapter").check()
    go(page, page.get_by_role("button", name="Save"))

    _next(page, base, 3, "Add a relationship")
    _choose(page, "To", "Olivia Coleman")
    go(page, page.get_by_role("button", name="Save"))

    _next(page, base, 4, "Record a stance")
    page.get_by_label("Stance", exact=True).select_option(label="Supporter")
    go(page, page.get_by_role("button", name="Save stance"))

    _next(page, base, 5, "Plan a task")
    page.get_by_label("What to do").fill("Ask Olivia to write to the medical director")
    _choose(page, "Whom it targets", "Olivia Coleman")
    go(page, page.get_by_role("button", name="Plan task"))

    _dashboard(page)
    assert _checklist(page).count() == 0
    done = page.get_by_text("Getting started: all 6 steps are done.")
    expect(done).to_be_visible()
    look(page, f"start-dashboard-done-{size['width']}")


# (list page, its heading, a words of its purpose, the next step's link, where it leads)
EMPTY_PAGES = [
    ("/allies/", "Allies of Valley Chapter", "could speak up with you", "Add the first ally", "/allies/new"),
    ("/insurers/", "Insurers", "whose policies your chapter wants to change", "Add the first insurer",
     "/insurers/new"),
    ("/issues/", "Issues", "the problems you want an insurer to fix", "Add an insurer", "/insurers/new"),
    ("/relationships/", "Relationships in Valley Chapter", "who knows whom", "Add the first relationship",
     "/relationships/new"),
    ("/outreach/mine", "My tasks", "the tasks you took on", "Choose an issue", "/issues/"),
    ("/outreach/board", "Task board", "the chapter's tasks by status", "choose an issue", "/issues/"),
]


@pytest.mark.parametrize("size", [WIDE, PHONE], ids=["wide", "phone"])
def test_the_empty_list_pages_say_what_they_are_for(page, live_empty, size):
    base, _, _ = live_empty
    _set_up_empty_chapter(page, base)
    page.set_viewport_size(size)
    for path, heading, purpose, link, target in EMPTY_PAGES:
        page.goto(base + "/c/valley" + path)
        assert page.get_by_role("heading", level=1).inner_text() == heading
        empty = page.locator(".empty-state")
        expect(empty.get_by_text(purpose)).to_be_visible()
        next_step = empty.get_by_role("link", name=link)
        assert next_step.get_attribute("href") == "/c/valley" + target, path
        check_accessibility(page, f"empty {path}")
        fits_phone(page, f"empty {path}")
        screenshot(page, f"empty{path.replace('/', '-').rstrip('-')}-{size['width']}")
    # The issue step leads to a form that can be completed: the insurer's, then the issue's.
    page.goto(base + "/c/valley/issues/")
    go(page, page.locator(".empty-state").get_by_role("link", name="Add an insurer"))
    expect(page.get_by_label("Name")).to_be_visible()
