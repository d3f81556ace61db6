"""Journey: a coordinator adds an insurer, a contact inside it and an issue with it; the
insurer's page shows the contact and the issue, the issue's page names the insurer."""
from __future__ import annotations

from tests.browser.conftest import go, login, look


def test_add_an_insurer_a_contact_and_an_issue(page, live):
    base, world, _ = live
    login(page, base, world["alpha"]["coordinator"])
    go(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Insurers"))
    look(page, "insurers-list")
    go(page, page.get_by_role("link", name="Add an insurer"))
    page.get_by_label("Name").fill("Cascade Care")
    page.get_by_label("Plan types").fill("HMO, Medicare Advantage")
    page.get_by_label("Regions").fill("Coast, Southern Oregon")
    page.get_by_label("Website").fill("https://cascade-care.example")
    look(page, "insurer-form")
    go(page, page.get_by_role("button", name="Add insurer"))
    assert page.get_by_role("status").get_by_text("Cascade Care added.").is_visible()
    assert page.get_by_role("heading", level=1).inner_text() == "Cascade Care"

    go(page, page.get_by_role("link", name="Add a contact"))
    page.get_by_label("Name").fill("Harriet Hale")
    page.get_by_label("Job title").fill("VP Network Management")
    page.get_by_label("Department").fill("Provider network")
    page.get_by_label("Role").select_option(label="Decision maker")
    page.get_by_label("Knows about").fill("fee schedule, network adequacy")
    page.get_by_label("E-mail").fill("hhale@cascade-care.example")
    look(page, "contact-form")
    go(page, page.get_by_role("button", name="Add contact"))
    page.wait_for_url("**/insurers/*#contacts")
    assert page.get_by_role("status").get_by_text("Harriet Hale added to Cascade Care.").is_visible()
    chart = page.get_by_role("region", name="Org chart")
    assert "Harriet Hale, VP Network Management" in chart.inner_text()
    assert "Knows about: fee schedule, network adequacy" in chart.inner_text()
    contacts = page.get_by_role("region", name="Contacts").get_by_role("row")
    assert contacts.count() == 2  # the header and Harriet
    harriet = contacts.nth(1).inner_text()
    for shown in ("Harriet Hale", "Decision maker", "Provider network", "hhale@cascade-care.example"):
        assert shown in harriet, shown

    # A second contact, who reports to Harriet: her manager is found by typing part of the name.
    go(page, page.get_by_role("link", name="Add a contact"))
    page.get_by_label("Name", exact=True).fill("Omar Ortiz")
    page.get_by_label("Job title").fill("Network analyst")
    manager = page.get_by_role("combobox", name="Reports to")
    manager.fill("harr")
    page.get_by_role("option", name="Harriet Hale VP Network Management").click()
    assert manager.input_value() == "Harriet Hale"
    go(page, page.get_by_role("button", name="Add contact"))
    assert page.get_by_role("status").get_by_text("Omar Ortiz added to Cascade Care.").is_visible()
    omar = page.get_by_role("region", name="Contacts").get_by_role("row").filter(has_text="Omar Ortiz")
    assert omar.get_by_role("cell").nth(3).inner_text() == "Harriet Hale"  # Reports to
    under_harriet = page.get_by_role("region", name="Org chart").get_by_role("listitem").filter(
        has_text="Harriet Hale").first
    assert "Omar Ortiz, Network analyst" in under_harriet.inner_text()
    look(page, "insurer-page-contact")

    go(page, page.get_by_role("link", name="Open an issue with Cascade Care"))
    insurer = page.get_by_label("Insurer")
    assert insurer.locator("option:checked").inner_text() == "Cascade Care"  # chosen already
    page.get_by_label("Title").fill("Narrow network on the coast")
    page.get_by_label("Category").select_option(label="Closed or narrow network")
    page.get_by_label("Stage", exact=True).select_option(label="Preparation")
    page.get_by_label("Description").fill("Cascade closed its coastal PT network to new practices.")
    page.get_by_label("Desired outcome").fill("Reopen the network to any practice that meets the standards.")
    page.get_by_label("Coverage-gap regions").fill("Coast")
    look(page, "issue-form")
    go(page, page.get_by_role("button", name="Open issue"))
    page.wait_for_url("**/issues/*")
    assert page.get_by_role("status").get_by_text("Issue “Narrow network on the coast” opened.").is_visible()
    assert page.get_by_role("heading", level=1).inner_text() == "Narrow network on the coast"
    # The overview says it first: the analysis already counts the new contact as a decision
    # maker to reach.
    assert page.get_by_text("Nobody in the chapter can reach Harriet Hale, Cascade Care's decision maker, "
                            "yet").first.is_visible()
    look(page, "issue-page-new")
    go(page, page.get_by_role("navigation", name="Parts of this issue").get_by_role("link", name="Details"))
    details = page.locator("dl.details").first.inner_text()
    for shown in ("Cascade Care", "Closed or narrow network", "Preparation", "Still open",
                  "Reopen the network to any practice that meets the standards."):
        assert shown in details, shown

    go(page, page.get_by_role("link", name="Cascade Care", exact=True))
    page.wait_for_url("**/insurers/*")
    issues = page.get_by_role("region", name="Issues with Cascade Care")
    assert issues.get_by_role("link", name="Narrow network on the coast").is_visible()
    assert "Closed or narrow network, Preparation" in issues.inner_text()
    contacts = page.get_by_role("region", name="Contacts")
    assert contacts.get_by_role("cell", name="Harriet Hale VP Network Management", exact=True).is_visible()

    go(page, page.get_by_role("link", name="‹ All insurers"))
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="Cascade Care"))
    assert row.inner_text().split("\t")[1:] == ["Coast, Southern Oregon", "2", "1 (1 open)"]
