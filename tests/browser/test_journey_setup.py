"""Journey: a fresh install. The first visit leads to the set-up page; the person creates
the administrator and the first chapter, chooses to load the demo coalition, and lands on
the chapter's dashboard, which shows the demo's issues, insurers and figures."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from coalition.demo import data
from coalition.models import Relationship
from coalition.platform.extensions import db
from tests.browser.conftest import go, look


def _stats(page) -> dict[str, int]:
    """The dashboard's figures as the person reads them: {"allies": 150, ...}."""
    text = page.get_by_role("region", name="At a glance").inner_text()
    return {label.strip(): int(number) for number, label in re.findall(r"(\d+)\s+([^\d]+)", text)}


def test_set_up_with_the_demo_coalition(page, live_empty):
    base, _, app = live_empty
    page.goto(base + "/")
    page.wait_for_url(base + "/setup")  # any page leads there before the first account
    assert page.get_by_role("heading", level=1, name="Set up Coalition").is_visible()
    look(page, "setup-form")

    page.get_by_label("Your name").fill("Avery Admin")
    page.get_by_label("E-mail").fill("avery@example.org")
    page.get_by_label("Password", exact=True).fill("a long enough passphrase")
    page.get_by_label("Repeat the password").fill("a long enough passphrase")
    page.get_by_label("First chapter's name").fill("Oregon Chapter")
    page.get_by_label("Short name for addresses").fill("oregon")
    page.get_by_label("Region").fill("Oregon")
    page.get_by_label("Load the demo coalition").check()
    go(page, page.get_by_role("button", name="Create"))

    page.wait_for_url(base + "/c/oregon/")
    assert page.get_by_role("status").get_by_text("Coalition is set up. Welcome!").is_visible()
    assert page.get_by_role("heading", level=1).inner_text() == "Oregon Chapter"
    assert page.get_by_role("navigation", name="Main").get_by_text("Avery Admin").is_visible()

    stats = _stats(page)
    with app.app_context():
        relationships = db.session.scalar(select(func.count(Relationship.id)))
    assert stats["allies"] == 150  # the demo's size, as the set-up page promised
    assert stats["members"] == 9  # the demo's eight and the new administrator
    assert stats["open issues"] == sum(1 for issue in data.ISSUES if issue["closed_days_ago"] is None)
    assert stats["relationships"] == relationships > 300
    assert 0 < stats["committed to an issue"] <= 150

    issues = page.get_by_role("region", name="Issues").get_by_role("table")
    for issue in data.ISSUES:
        row = issues.get_by_role("row").filter(has=page.get_by_role("link", name=issue["title"]))
        assert row.count() == 1, issue["title"]
        assert data.INSURERS[issue["insurer"]][0] in row.inner_text()
        assert re.search(r"\d+\.\d / 100", row.inner_text()), "every issue's leverage is shown"
    activity = page.get_by_role("region", name="Newest activity").get_by_role("listitem")
    assert activity.count() >= 5
    look(page, "setup-dashboard")

    # The set-up is over for good: the page now leads to the administrator's chapters.
    page.goto(base + "/setup")
    page.wait_for_url(base + "/")
    go(page, page.get_by_role("link", name="Oregon Chapter"))
    page.wait_for_url(base + "/c/oregon/")
