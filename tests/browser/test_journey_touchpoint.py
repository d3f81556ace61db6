"""Journey: logging a touchpoint where a person looks for it: beside the relationship on an
ally's page, and from the dashboard's "Cultivate before you need it" list. The relationship
then shows today's contact (and the new strength), and the list lets the person go."""
from __future__ import annotations

from datetime import date

from tests.browser.conftest import go, login, look


def test_log_a_touchpoint_from_the_ally_page(page, live):
    base, world, _ = live
    login(page, base, world["alpha"]["coordinator"])
    go(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Allies"))
    go(page, page.get_by_role("link", name="Gus Group"))
    relationships = page.get_by_role("region", name="Relationships")
    link = relationships.get_by_role("listitem").filter(has_text="coord-alpha")
    assert "strength 2 of 5, last contact 13 months ago" in link.inner_text()
    look(page, "ally-page-stale")

    go(page, link.get_by_role("link", name="Log a touchpoint with coord-alpha"))
    assert page.get_by_role("heading", level=1).inner_text() == "Log a touchpoint"
    chosen = page.get_by_label("Relationship", exact=True).locator("option:checked")
    assert chosen.inner_text() == "coord-alpha — Gus Group (knows)"
    assert page.get_by_label("When").input_value() == date.today().isoformat()
    page.get_by_label("Channel").select_option(label="Phone or video call")
    page.get_by_label("What it was about").fill("Asked the group to share their members' stories")
    page.get_by_label("Strength of the relationship now").select_option(label="3")
    look(page, "touchpoint-form")
    go(page, page.get_by_role("button", name="Log touchpoint"))

    page.wait_for_url("**/allies/*")
    assert page.get_by_role("heading", level=1).inner_text() == "Gus Group"
    assert page.get_by_role("status").get_by_text(
        "Touchpoint logged; the relationship's last contact is up to date.").is_visible()
    assert "strength 3 of 5, last contact today" in link.inner_text()
    look(page, "ally-page-after-touchpoint")


def test_log_a_touchpoint_from_the_cultivate_list(page, live):
    base, world, _ = live
    login(page, base, world["alpha"]["coordinator"])
    cultivate = page.get_by_role("region", name="Cultivate before you need it")
    reggie = cultivate.get_by_role("row").filter(has_text="Reggie Relations")
    assert "Never recorded" in reggie.inner_text()
    assert "member-alpha (strength 3)" in reggie.inner_text()

    go(page, reggie.get_by_role("link", name="Log a touchpoint with Reggie Relations"))
    relationship = page.get_by_label("Relationship", exact=True)
    assert relationship.locator("option").all_inner_texts() == [
        "Choose…", "member-alpha — Reggie Relations (knows)"]  # only Reggie's relationships
    assert relationship.locator("option:checked").inner_text() == "member-alpha — Reggie Relations (knows)"
    page.get_by_label("Channel").select_option(label="Meeting in person")
    page.get_by_label("What it was about").fill("Met at the provider forum")
    go(page, page.get_by_role("button", name="Log touchpoint"))

    page.wait_for_url(base + "/c/alpha/")
    assert page.get_by_role("status").get_by_text("Touchpoint logged").is_visible()
    assert cultivate.get_by_role("row").filter(has_text="Reggie Relations").count() == 0
    assert "Reggie Relations" not in cultivate.inner_text()
