"""Two people edit the same ally: the second save overwrites nothing, shows what is saved
now beside what was typed, keeps the typing, and a second Save replaces the saved values."""
from __future__ import annotations

from coalition.models import Ally
from coalition.platform.extensions import db
from tests.browser.conftest import check_accessibility, login, screenshot


def _rename_meanwhile(app, ally_id, title):
    with app.app_context():  # another coordinator's save, through the app's session
        ally = db.session.get(Ally, ally_id)
        ally.title = title
        db.session.commit()


def test_a_conflicting_save_shows_both_and_keeps_the_typing(page, live):
    base, world, app = live
    ally_id = world["extra_ally_ids"]["Olive Org"]
    login(page, base, world["alpha"]["coordinator"])
    page.goto(f"{base}/c/alpha/allies/{ally_id}")
    page.get_by_role("link", name="Edit Olive Org").click()
    page.get_by_label("Title or role").fill("Executive director")
    _rename_meanwhile(app, ally_id, "Board chair")
    page.get_by_role("button", name="Save").click()

    panel = page.get_by_role("alert")  # read out at once, and named by its heading
    assert panel.get_by_role("heading", name="Saved values and yours").is_visible()
    assert panel.get_by_text("Someone else changed this ally").is_visible()
    row = panel.get_by_role("row", name="Title or role")
    assert "Board chair" in row.inner_text() and "Executive director" in row.inner_text()
    assert page.get_by_label("Title or role").input_value() == "Executive director"
    check_accessibility(page, "ally form with a conflict")
    screenshot(page, "conflict-ally")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    screenshot(page, "conflict-ally-phone")

    page.get_by_role("button", name="Save").click()  # having seen both, on purpose
    assert page.get_by_role("status").get_by_text("Olive Org was saved.").is_visible()
    with app.app_context():
        assert db.session.get(Ally, ally_id).title == "Executive director"
    assert not page.js_errors
