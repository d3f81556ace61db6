"""Journey: choosing a person by typing (coalition.picker), by keyboard with JavaScript and
with the Find button without it; and the regions page."""
from __future__ import annotations

from sqlalchemy import select

from coalition.models import Relationship
from coalition.platform.extensions import db
from tests.browser.conftest import PHONE, WIDE, check_accessibility, fits_phone, go, login, look, screenshot


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
    check_accessibility(page, "relationship form with the picker open")
    screenshot(page, "picker-open-wide")
    page.set_viewport_size(PHONE)
    fits_phone(page, "relationship form with the picker open")
    screenshot(page, "picker-open-phone")
    page.set_viewport_size(WIDE)
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


def test_without_javascript_find_then_choose(browser, live):
    base, world, app = live
    a = world["alpha"]
    context = browser.new_context(java_script_enabled=False, viewport=WIDE)
    try:
        page = context.new_page()
        page.goto(base + "/login")
        page.get_by_label("E-mail").fill(a["coordinator"])
        from tests import factories
        page.get_by_label("Password").fill(factories.PASSWORD)
        go(page, page.get_by_role("button", name="Log in"))
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
        screenshot(page, "picker-nojs-wide")
        page.set_viewport_size(PHONE)
        screenshot(page, "picker-nojs-phone")
        page.set_viewport_size(WIDE)
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
