"""The association's journey on its demo: Nevada's coordinator joins the campaign against
Harborlight's prior-authorisation rule, sees that Washington has a strong path to the
medical director, asks Washington for an introduction; Washington's coordinator accepts and
gets the task; Nevada sees the answer. Never an ally's name on the way."""
from __future__ import annotations

import pytest

from coalition.platform.extensions import db
from tests import factories
from tests.browser.conftest import go, login, look, serve


@pytest.fixture
def live_association(tmp_path):
    with serve(tmp_path, seeded=False) as (base, _, app):
        from coalition.association.demo import seed_association

        with app.app_context():
            accounts = seed_association(db.session, chapters=4, password=factories.PASSWORD, allies=40)
            db.session.commit()
        yield base, {a.chapter_slug: a.email for a in accounts}


def _association_page(page):
    """The chapter's association page, from the menu's "Chapter" group."""
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("button", name="More under Chapter").click()
    go(page, nav.get_by_role("link", name="Association"))


def _log_out(page):
    go(page, page.get_by_role("button", name="Log out"))


def test_join_ask_for_an_introduction_and_accept_it(page, live_association):
    base, emails = live_association
    login(page, base, emails["nevada"])
    _association_page(page)
    go(page, page.get_by_role("link", name="Open the association's pages"))
    go(page, page.get_by_role("link", name="Prior authorisation after visit 6"))
    assert page.get_by_text("3 chapters take part").is_visible()
    assert page.get_by_text("Washington Chapter").count() == 0  # no figures before joining
    look(page, "association-campaign-before-joining")
    assert page.get_by_label("Nevada Chapter: the issue that joins").input_value()
    go(page, page.get_by_role("button", name="Join with Nevada Chapter"))
    assert page.get_by_role("status").get_by_text("Nevada Chapter takes part in").is_visible()
    chapters = page.get_by_role("table")
    assert chapters.get_by_role("cell", name="Washington Chapter").is_visible()
    assert chapters.get_by_role("cell", name="Nevada Chapter").is_visible()

    director = page.get_by_role("article").filter(has=page.get_by_role("heading", name="Dr. Renata Okafor"))
    washington = director.get_by_role("listitem").filter(has_text="Washington Chapter")
    assert "strong path" in washington.inner_text()
    look(page, "association-campaign")
    washington.get_by_text("Ask Washington Chapter for an introduction").click()
    washington.get_by_label("Message to Washington Chapter").fill(
        "We meet Harborlight's network team on the 14th: could your member introduce us first?")
    go(page, washington.get_by_role("button", name="Send the request to Washington Chapter"))
    assert page.get_by_role("status").get_by_text(
        "Introduction to Dr. Renata Okafor asked of Washington Chapter.").is_visible()
    _log_out(page)

    login(page, base, emails["washington"])
    _association_page(page)
    request = page.get_by_role("listitem").filter(has_text="Nevada Chapter asks for an introduction")
    assert request.get_by_text("could your member introduce us first?").is_visible()
    look(page, "association-chapter-page")
    request.get_by_label("Reply to Nevada Chapter (optional)").fill("Glad to: Sam will call her.")
    go(page, request.get_by_role("button", name="Accept and plan a task"))
    assert page.get_by_role("status").get_by_text("Accepted. A task is planned in your chapter").is_visible()
    assert page.get_by_role("heading", level=1).inner_text().startswith(
        "Introduction for Nevada Chapter: reach Dr. Renata Okafor")
    _log_out(page)

    login(page, base, emails["nevada"])
    _association_page(page)
    mine = page.get_by_role("listitem").filter(has_text="To Washington Chapter: an introduction to Dr. Renata Okafor")
    assert mine.get_by_text("Accepted").is_visible()
    assert mine.get_by_text("Glad to: Sam will call her.").is_visible()
