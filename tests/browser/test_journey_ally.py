"""Journey: a coordinator adds an ally, records the ally's stance on an issue and, from the
ally's page, two relationships: one with the quick form, one after forgetting to say with
whom (the full form then asks). The ally's page shows all of it."""
from __future__ import annotations

import re

from tests.browser.conftest import go, login, look


def test_add_an_ally_a_stance_and_relationships_from_the_ally_page(page, live):
    base, world, _ = live
    login(page, base, world["alpha"]["coordinator"])
    go(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Allies"))
    go(page, page.get_by_role("link", name="Add an ally"))
    look(page, "ally-form")

    page.get_by_label("Name", exact=True).fill("Nora Neurologist")
    page.get_by_label("Kind", exact=True).select_option(label="Medical community")
    page.get_by_label("Organisation", exact=True).fill("Salem Neurology Clinic")
    page.get_by_label("Title or role").fill("Neurologist")
    pick(page, page.get_by_role("combobox", name="Region"), "oreg", "Oregon")  # a listed region
    page.get_by_label("Influence").select_option(label="4")
    page.get_by_label("E-mail").fill("nora@example.org")
    page.get_by_label("Agreed to be contacted by the chapter").check()
    page.get_by_label("How consent was given").fill("by phone, 3 May")
    go(page, page.get_by_role("button", name="Save"))

    assert page.get_by_role("status").get_by_text("Nora Neurologist was added.").is_visible()
    assert page.get_by_role("heading", level=1).inner_text() == "Nora Neurologist"
    details = page.locator("dl.details").inner_text()
    for shown in ("Medical community", "Salem Neurology Clinic", "Neurologist", "Oregon",
                  "4 of 5", "nora@example.org", "(by phone, 3 May)"):
        assert shown in details, shown
    look(page, "ally-page-new")

    stances = page.get_by_role("region", name="Stances on issues")
    assert stances.get_by_text("No stance recorded yet.").is_visible()
    stances.get_by_label("Issue").select_option(label="12-visit annual cap")
    stances.get_by_label("Stance", exact=True).select_option(label="Champion")
    stances.get_by_label("Note on this stance").fill("Sees the cap's harm in stroke patients")
    go(page, stances.get_by_role("button", name="Save stance"))
    assert page.get_by_role("status").get_by_text("The stance was saved.").is_visible()
    recorded = stances.get_by_role("listitem")
    assert recorded.count() == 1
    assert recorded.inner_text().startswith(
        "Champion 12-visit annual cap — Sees the cap's harm in stroke patients")

    # The quick form on the ally's page: the ally is the "From", so not among the "To"s.
    relationships = page.get_by_role("region", name="Relationships")
    assert relationships.get_by_text("No relationship recorded yet.").is_visible()
    relationships.get_by_label("Kind of link").select_option(label="Knows")
    pick(page, relationships.get_by_role("combobox", name="To"), "coord", "coord-alpha")
    relationships.get_by_label("Strength").select_option(label="4")
    go(page, relationships.get_by_role("button", name="Add relationship"))
    page.wait_for_url("**/allies/*#relationships")
    assert page.get_by_role("status").get_by_text("The relationship was saved.").count() == 1
    links = relationships.get_by_role("listitem")
    assert links.count() == 1
    assert links.inner_text().startswith(
        "Knows coord-alpha (chapter member) — strength 4 of 5, last contact never, declared by coord-alpha")

    # Adding another without saying with whom: the full form keeps the choices and asks.
    relationships.get_by_label("Kind of link").select_option(label="Belongs to organisation")
    go(page, relationships.get_by_role("button", name="Add relationship"))
    page.wait_for_url("**/relationships/new")
    summary = page.locator("[data-error-summary]")  # the focus starts on what to fix
    assert summary.evaluate("el => el === document.activeElement")
    assert summary.get_by_role("link", name=re.compile(r"^To: ")).is_visible()
    assert page.get_by_role("combobox", name="From").input_value() == \
        "Nora Neurologist (medical community, Oregon, Salem Neurology Clinic)"
    assert page.get_by_label("Kind of link").locator("option:checked").inner_text() == \
        "Belongs to organisation"
    to = page.get_by_role("combobox", name="To")
    assert to.get_attribute("aria-invalid") == "true"
    assert page.locator(".field .error").get_by_text("Choose someone.").is_visible()
    look(page, "relationship-form-error")
    pick(page, to, "olive", "Olive Org")
    page.get_by_label("Last contact").fill("2026-11-20")
    go(page, page.get_by_role("button", name="Save"))

    page.wait_for_url("**/allies/*#relationships")
    assert page.get_by_role("heading", level=1).inner_text() == "Nora Neurologist"
    texts = relationships.get_by_role("listitem").all_inner_texts()
    assert len(texts) == 2, texts
    olive = next(t for t in texts if "Olive Org" in t)
    assert olive.startswith("Belongs to organisation Olive Org (Patient organisation) — strength 3 of 5")
    assert relationships.get_by_role("link", name="Olive Org", exact=True).is_visible()
    look(page, "ally-page-complete")


def pick(page, box, typed: str, name: str) -> None:
    """Choose ``name`` in a picker (coalition.picker) by keyboard: type, arrow down, Enter."""
    box.fill("")
    box.click()
    page.keyboard.type(typed, delay=30)
    page.get_by_role("option").filter(has_text=name).first.wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
