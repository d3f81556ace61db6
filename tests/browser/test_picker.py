"""Journey: choosing a person by typing (coalition.picker), by keyboard with JavaScript and
with the Find button without it; and the regions page."""
from __future__ import annotations

from sqlalchemy import select

from coalition.models import Relationship
from coalition.platform.extensions import db
from tests import factories
from tests.browser.conftest import PHONE, WIDE, check_accessibility, fits_phone, go, login, look, screenshot


def _logged_in_without_javascript(browser, base: str, email: str):
    """A fresh browser context with JavaScript off, logged in as ``email``: (context, page)."""
    context = browser.new_context(java_script_enabled=False, viewport=WIDE)
    page = context.new_page()
    page.goto(base + "/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    go(page, page.get_by_role("button", name="Log in"))
    return context, page


def _looks_right_open(page, what: str, shot: str) -> None:
    """With the suggestions open: axe, a screenshot at both sizes, no sideways scrolling on
    a phone; back to the wide window."""
    check_accessibility(page, what)
    _shoot_both(page, shot, lambda: fits_phone(page, what))


def _shoot_both(page, shot: str, on_phone=lambda: None) -> None:
    """Screenshots at 1280 and 390 px (``on_phone`` checks the narrow page); back to wide."""
    screenshot(page, f"{shot}-wide")
    page.set_viewport_size(PHONE)
    on_phone()
    screenshot(page, f"{shot}-phone")
    page.set_viewport_size(WIDE)

def _relationships_to(app, contact_id: int) -> list[tuple[str, int]]:
    with app.app_context():
        rows = db.session.scalars(select(Relationship).where(Relationship.b_contact_id == contact_id)).all()
        return [(r.kind, r.strength) for r in rows]


def test_choose_a_person_by_keyboard_and_save(page, live):
    base, world, app = live
    a = world["alpha"]
    login(page, base, a["coordinator"])
    page.goto(base + "/c/alpha/relationships/new")
    to = page.get_by_role("combobox", name="To")
    to.click()
    page.keyboard.type("reg", delay=40)
    listbox = page.get_by_role("listbox")
    option = listbox.get_by_role("option").filter(has_text="Reggie Relations")
    option.wait_for()
    assert listbox.get_by_role("option").first.inner_text() == option.inner_text()
    assert "Reggie Relations" in option.inner_text() and "Alpha Health Plan" in option.inner_text()
    _looks_right_open(page, "relationship form with the picker open", "picker-open")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert to.input_value() == "Reggie Relations"
    page.get_by_label("Kind of link").select_option(label="Works with")
    go(page, page.get_by_role("button", name="Save"))
    assert page.get_by_role("status").get_by_text("The relationship was saved.").is_visible()
    assert ("works_with", 3) in _relationships_to(app, a["contact_id"])


def test_a_name_typed_but_not_chosen_is_refused_and_nothing_is_lost(page, live):
    base, world, _ = live
    login(page, base, world["alpha"]["coordinator"])
    page.goto(base + "/c/alpha/relationships/new")
    page.get_by_role("combobox", name="To").fill("Somebody Unknown")
    page.get_by_label("Notes").fill("Typed before the mistake")
    from tests.browser.conftest import allow_client_error
    allow_client_error(page, 400)
    go(page, page.get_by_role("button", name="Save"))
    assert page.locator("#b-error").get_by_text(
        "Not found in this chapter: type part of the name, then choose from the list.").is_visible()
    assert page.get_by_label("Notes").input_value() == "Typed before the mistake"
    # The name stays in the box to be corrected; sent again unchanged, it is refused again.
    assert page.get_by_role("combobox", name="To").input_value() == "Somebody Unknown"


def test_without_javascript_find_then_choose(browser, live):
    base, world, app = live
    a = world["alpha"]
    context, page = _logged_in_without_javascript(browser, base, a["coordinator"])
    try:
        page.goto(base + "/c/alpha/relationships/new")
        page.get_by_label("Notes").fill("Kept across the search")
        find_box = page.get_by_role("searchbox").nth(1)  # the "To" field's search box
        find_box.fill("dana")
        go(page, page.get_by_role("button", name="Find").nth(1))
        assert page.get_by_label("Notes").input_value() == "Kept across the search"
        assert page.get_by_role("status").filter(has_text="1 match for “dana”").is_visible()
        to = page.get_by_label("To", exact=True)
        assert to.locator("option:checked").inner_text().startswith("Dana Decider")
        # (axe and the overflow check run scripts in the page: not here, without JavaScript)
        _shoot_both(page, "picker-nojs")
        go(page, page.get_by_role("button", name="Save"))
        assert page.get_by_text("The relationship was saved.").is_visible()
        assert len(_relationships_to(app, a["boss_contact_id"])) >= 1
    finally:
        context.close()


def test_regions_page_and_the_ally_form(page, live):
    base, world, _ = live
    login(page, base, world["alpha"]["coordinator"])
    page.goto(base + "/c/alpha/regions/")
    look(page, "regions-page")
    page.get_by_label("Name of the region").fill("Portland Metro")
    go(page, page.get_by_role("button", name="Add region"))
    assert page.get_by_role("status").get_by_text("“Portland Metro” was added to the regions.").is_visible()
    page.goto(base + f"/c/alpha/allies/{world['alpha']['ally_id']}/edit")
    region = page.get_by_role("combobox", name="Region")
    assert region.input_value() == "Oregon"
    region.fill("")
    page.keyboard.type("metro", delay=40)
    page.get_by_role("option", name="Portland Metro").wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    look(page, "ally-form-region")
    go(page, page.get_by_role("button", name="Save"))
    assert page.get_by_text("Portland Metro").first.is_visible()


def _add_contacts_elsewhere(app, world) -> None:
    """A "Dana" at another insurer of alpha (beta has its own Dana Decider): neither may be
    suggested as the manager of someone at Alpha Health Plan."""
    from coalition.models import Chapter

    with app.app_context():
        chapter = db.session.get(Chapter, world["alpha"]["chapter_id"])
        factories.contact(db.session, factories.insurer(db.session, chapter, "Rival Health"), "Dana Elsewhere")
        db.session.commit()


def test_choose_reports_to_by_keyboard_among_the_same_insurers_contacts(page, live):
    base, world, app = live
    a = world["alpha"]
    _add_contacts_elsewhere(app, world)
    login(page, base, a["coordinator"])
    page.goto(base + f"/c/alpha/insurers/{a['insurer_id']}/contacts/new")
    page.get_by_label("Name", exact=True).fill("Nina Network")
    page.get_by_label("Job title").fill("Network analyst")
    manager = page.get_by_role("combobox", name="Reports to")
    manager.click()
    page.keyboard.type("dan", delay=40)
    listbox = page.get_by_role("listbox")
    listbox.get_by_role("option").filter(has_text="Dana Decider").wait_for()
    # Only Alpha Health Plan's Dana: not Rival Health's, not beta's.
    assert [" ".join(t.split()) for t in listbox.get_by_role("option").all_inner_texts()] == [
        "Dana Decider decision maker"]
    _looks_right_open(page, "contact form with the Reports to suggestions open", "reports-to-open")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert manager.input_value() == "Dana Decider"
    go(page, page.get_by_role("button", name="Add contact"))
    assert page.get_by_role("status").get_by_text("Nina Network added to Alpha Health Plan.").is_visible()
    nina = page.get_by_role("region", name="Contacts").get_by_role("row").filter(has_text="Nina Network")
    assert nina.get_by_role("cell").nth(3).inner_text() == "Dana Decider"  # the Reports to column
    chart = page.get_by_role("region", name="Org chart").get_by_role("listitem").filter(has_text="Dana Decider")
    assert "Nina Network" in chart.first.inner_text()  # under Dana in the org chart

    # A name typed but not chosen is refused beside the field, and stays in the box.
    go(page, nina.get_by_role("link", name="Edit Nina Network"))
    page.get_by_role("combobox", name="Reports to").fill("Dana Elsewhere")
    go(page, page.get_by_role("button", name="Save contact"))
    assert page.locator("#reports_to_id-error").get_by_text(
        "Choose someone at Alpha Health Plan: type part of their name, then choose from the list.").is_visible()
    assert page.get_by_role("combobox", name="Reports to").input_value() == "Dana Elsewhere"
    look(page, "reports-to-refused")
    go(page, page.get_by_role("link", name="Alpha Health Plan", exact=True))
    nina = page.get_by_role("region", name="Contacts").get_by_role("row").filter(has_text="Nina Network")
    assert nina.get_by_role("cell").nth(3).inner_text() == "Dana Decider"  # unchanged

    # Emptied, the contact reports to nobody.
    go(page, nina.get_by_role("link", name="Edit Nina Network"))
    manager = page.get_by_role("combobox", name="Reports to")
    assert manager.input_value() == "Dana Decider (decision maker)"
    manager.fill("")
    go(page, page.get_by_role("button", name="Save contact"))
    nina = page.get_by_role("region", name="Contacts").get_by_role("row").filter(has_text="Nina Network")
    assert nina.get_by_role("cell").nth(3).inner_text() == "—"


def test_reports_to_without_javascript_find_then_choose(browser, live):
    base, world, app = live
    a = world["alpha"]
    _add_contacts_elsewhere(app, world)
    context, page = _logged_in_without_javascript(browser, base, a["coordinator"])
    try:
        page.goto(base + f"/c/alpha/insurers/{a['insurer_id']}/contacts/new")
        page.get_by_label("Name", exact=True).fill("Nina Network")
        page.get_by_label("Or type part of a name, then choose Find").fill("dan")
        go(page, page.get_by_role("button", name="Find"))
        assert page.get_by_label("Name", exact=True).input_value() == "Nina Network"
        assert page.get_by_role("status").filter(has_text="1 match for “dan”").is_visible()
        manager = page.get_by_label("Reports to", exact=True)
        assert manager.locator("option").all_inner_texts() == ["Nobody / not known",
                                                               "Dana Decider (decision maker)"]
        assert manager.locator("option:checked").inner_text() == "Dana Decider (decision maker)"
        _shoot_both(page, "reports-to-nojs")
        go(page, page.get_by_role("button", name="Add contact"))
        assert page.get_by_text("Nina Network added to Alpha Health Plan.").is_visible()
        nina = page.get_by_role("row").filter(has_text="Nina Network")
        assert nina.get_by_role("cell").nth(3).inner_text() == "Dana Decider"
    finally:
        context.close()
