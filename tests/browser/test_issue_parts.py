"""Journey: a coordinator reads an issue's overview in sentences and goes through its parts
(Overview, Plan, Evidence, History, Details) by keyboard alone; each part has its own
address, marks its tab as the current page, and has no duplicate id."""
from __future__ import annotations

import re

from tests.browser.conftest import check_accessibility, login, look

PARTS = ("Overview", "Plan", "Evidence", "History", "Details")
ADDRESSES = ("", "/plan", "/evidence", "/history", "/details")


def _duplicate_ids(page) -> list[str]:
    return page.evaluate("""() => {
        const seen = {}, twice = [];
        for (const el of document.querySelectorAll('[id]')) {
            if (seen[el.id]) twice.push(el.id); seen[el.id] = true;
        }
        return twice;
    }""")


def test_the_overview_reads_as_sentences_and_the_tabs_work_by_keyboard(page, live):
    base, world, _ = live
    issue_url = f"{base}/c/alpha/issues/{world['alpha']['issue_id']}"
    login(page, base, world["alpha"]["coordinator"])
    page.goto(issue_url)

    assert re.fullmatch(r"Leverage is (weak|moderate|strong): \d+ out of 100\.",
                        page.get_by_role("heading", level=2, name=re.compile("^Leverage is")).inner_text())
    facts = page.get_by_role("region", name="What matters most").get_by_role("listitem")
    assert facts.count() == 3
    assert facts.first.inner_text() == (
        "Nobody in the chapter knows Dana Decider, Alpha Health Plan's decision maker, directly. "
        "coord-alpha can reach Dana Decider through one person: Olive Org.")
    moves = page.get_by_role("region", name="Next three moves").get_by_role("listitem")
    assert 1 <= moves.count() <= 3 and "the score would rise" in moves.first.inner_text()
    paths = page.get_by_role("region", name="Best access paths")
    assert paths.get_by_role("link", name=re.compile(r"^Show all \d+ paths")).is_visible()
    # The formulas wait behind the disclosure, which links to the method.
    figures = page.get_by_text("summed influence W", exact=False)
    assert not figures.is_visible()
    page.get_by_text("How is this computed?").click()
    assert figures.is_visible()
    assert page.get_by_role("link", name="The method, step by step").get_attribute("href") == "/help/method#score"
    assert page.get_by_role("link", name="Leverage", exact=True).get_attribute("href") == "/help/glossary#leverage"
    look(page, "issue-overview")

    tabs = page.get_by_role("navigation", name="Parts of this issue")
    for i, name in enumerate(PARTS):
        current = tabs.get_by_role("link", name=name)
        assert current.get_attribute("aria-current") == "page"
        assert page.url == issue_url + ADDRESSES[i]
        assert _duplicate_ids(page) == [], f"{name}: duplicate ids"
        if i:
            look(page, f"issue-{name.lower()}")
        if i + 1 == len(PARTS):
            break
        current.focus()
        page.keyboard.press("Tab")  # the next tab is the next stop
        assert page.evaluate("document.activeElement.textContent") == PARTS[i + 1]
        with page.expect_navigation():
            page.keyboard.press("Enter")

    # The glossary and the method the pages link to.
    page.goto(f"{base}/help/glossary")
    assert page.get_by_role("term").filter(has_text="Access path").is_visible()
    check_accessibility(page, "glossary")
    page.goto(f"{base}/help/method#paths")
    assert page.get_by_role("heading", name="Access paths and their strength").is_visible()
    check_accessibility(page, "method")
