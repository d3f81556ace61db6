"""The task board from the menu: a card moves between columns with the buttons on it (the
keyboard's way) and, for a mouse, by dragging it to another column."""
from __future__ import annotations

import pytest

from coalition.models.outreach import Task
from coalition.platform.extensions import db
from tests.browser.conftest import PHONE, WIDE, expect, go, login, look


def _column(page, name: str):
    return page.get_by_role("region", name=name)


def _card(page, column: str, title: str):
    return _column(page, column).get_by_role("listitem").filter(has=page.get_by_role("link", name=title))


def _status(app, task_id: int) -> str:
    with app.app_context():
        status = db.session.get(Task, task_id).status
        db.session.remove()
    return status


@pytest.mark.parametrize("size", [WIDE, PHONE], ids=["wide", "phone"])
def test_a_card_moves_with_its_buttons(page, live, size):
    base, world, app = live
    w = world["alpha"]
    login(page, base, w["coordinator"])
    page.set_viewport_size(size)
    nav = page.get_by_role("navigation", name="Main")
    if size is PHONE:
        nav.get_by_role("button", name="Menu").click()
    go(page, nav.get_by_role("link", name="Tasks"))
    assert page.get_by_role("heading", level=1).inner_text() == "Task board"
    look(page, f"board-{size['width']}")
    page.set_viewport_size(size)

    card = _card(page, "Planned", "Call Casey")
    expect(card).to_have_count(1)
    go(page, card.get_by_role("button", name="Start"))
    expect(page.get_by_role("status").get_by_text("“Call Casey” is now in progress.")).to_be_visible()
    expect(_card(page, "In progress", "Call Casey")).to_have_count(1)
    assert _status(app, w["task_id"]) == "in_progress"

    # By keyboard: focus the card's "Mark done" button and press Enter.
    _card(page, "In progress", "Call Casey").get_by_role("button", name="Mark done").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(_card(page, "Done", "Call Casey")).to_have_count(1)
    go(page, _card(page, "Done", "Call Casey").get_by_role("button", name="Reopen"))
    expect(_card(page, "Planned", "Call Casey")).to_have_count(1)
    assert _status(app, w["task_id"]) == "planned"


def test_a_card_dragged_to_another_column_moves(page, live):
    base, world, app = live
    w = world["alpha"]
    login(page, base, w["coordinator"])
    page.goto(base + "/c/alpha/outreach/board")
    card = _card(page, "Planned", "Write to Reggie")
    with page.expect_navigation():
        card.drag_to(_column(page, "Done"))
    expect(page.get_by_role("status").get_by_text("“Write to Reggie” is now done.")).to_be_visible()
    expect(_card(page, "Done", "Write to Reggie")).to_have_count(1)
    assert _status(app, w["own_task_id"]) == "done"
