"""The map made readable (#14): chips, labels around the chosen node, full screen, the Export
menu and the details panel by keyboard; screenshots of the overview and an issue view."""
from __future__ import annotations

from tests.browser.conftest import PHONE, WIDE, check_accessibility, expect, fits_phone, login, screenshot


def _open_map(page, base, query=""):
    page.goto(f"{base}/c/alpha/map/{query}")
    page.wait_for_function("() => window.coalitionMap && window.coalitionMap.ready")


def _labels(page) -> set[str]:
    return set(page.evaluate("() => window.coalitionMap.visibleLabels()"))


def _zoom_out(page):
    page.evaluate("() => { const cy = window.coalitionMap.cy; cy.zoom(0.3); cy.center(); }")
    page.wait_for_timeout(150)  # the label size follows the zoom after a short pause


def test_filter_chips_narrow_the_map_and_the_address(page, live):
    base, world, _ = live
    login(page, base, world["alpha"]["member"])
    _open_map(page, base)
    before = page.evaluate("() => window.coalitionMap.cy.nodes().length")
    page.get_by_text("Filter by kind, stance or region").click()
    chip = page.get_by_role("checkbox", name="Support group")
    box = chip.locator("xpath=..").bounding_box()
    assert box["height"] >= 24 and box["width"] >= 24, "a chip is a comfortable target"
    chip.check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_function("() => window.coalitionMap.ready && window.coalitionMap.loads >= 2")
    labels = page.evaluate("() => window.coalitionMap.cy.nodes('[type = \"ally\"]').map(n => n.data('label'))")
    assert labels == ["Gus Group"]
    assert page.evaluate("() => window.coalitionMap.cy.nodes().length") < before
    assert "kind=support_group" in page.url
    # the legend calls kind "other" by its name
    legend = page.locator("#map-legend")
    expect(legend).to_contain_text("Other")
    expect(legend).to_contain_text("Insurance commissioner / regulator")
    # a reload keeps the chip ticked and the filter box open
    page.reload()
    page.wait_for_function("() => window.coalitionMap && window.coalitionMap.ready")
    expect(page.get_by_role("checkbox", name="Support group")).to_be_checked()


def test_names_show_around_the_chosen_node_and_focus_returns(page, live):
    base, world, _ = live
    login(page, base, world["alpha"]["member"])
    _open_map(page, base)
    olive = f"ally:{world['extra_ally_ids']['Olive Org']}"
    _zoom_out(page)
    shown = _labels(page)
    assert olive not in shown, "zoomed out, a person's name is not drawn"
    # choose Olive from the table: her name and her neighbours' names appear
    page.get_by_role("button", name="Show as table").click()
    details = page.get_by_role("button", name="Details of Olive Org")
    box = details.bounding_box()
    assert box["height"] >= 24 and box["width"] >= 24
    open_link = page.get_by_role("link", name="Open Olive Org")
    assert open_link.bounding_box()["height"] >= 24
    details.click()
    panel = page.locator("#map-panel")
    expect(panel).to_be_visible()
    expect(panel.get_by_role("heading")).to_have_text("Olive Org")
    _zoom_out(page)
    shown = _labels(page)
    neighbours = set(page.evaluate(
        "(id) => window.coalitionMap.cy.$id(id).closedNeighborhood().nodes().map(n => n.id())", olive))
    assert olive in shown and neighbours <= shown and len(neighbours) >= 3
    pia = f"ally:{world['extra_ally_ids']['Pia Patient']}"
    assert pia not in neighbours and pia not in shown
    # closing the panel returns focus to the button that opened it
    page.get_by_role("button", name="Close details").click()
    expect(panel).to_be_hidden()
    assert page.evaluate("() => document.activeElement.getAttribute('data-node')") == olive
    # Escape does the same
    page.keyboard.press("Enter")
    expect(panel).to_be_visible()
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    assert page.evaluate("() => document.activeElement.getAttribute('data-node')") == olive
    assert olive not in _labels(page)


def test_escape_closes_the_export_menu(page, live):
    base, world, _ = live
    login(page, base, world["alpha"]["member"])
    _open_map(page, base)
    menu = page.locator(".export-menu")
    page.get_by_text("Export", exact=True).click()
    expect(menu.get_by_role("link").first).to_be_visible()
    menu.get_by_role("link").first.focus()
    page.keyboard.press("Escape")
    expect(menu.get_by_role("link").first).to_be_hidden()
    assert page.evaluate("() => document.activeElement.tagName") == "SUMMARY"


def test_full_screen_toggle(page, live):
    base, world, _ = live
    login(page, base, world["alpha"]["member"])
    _open_map(page, base)
    canvas = page.locator("#map-canvas")
    normal = canvas.bounding_box()
    assert normal["width"] > 1000, "the canvas fills the window's width"
    assert normal["height"] >= 900 * 0.6, "and most of its height"
    button = page.get_by_role("button", name="Full screen")
    button.click()
    expect(page.get_by_role("button", name="Leave full screen")).to_have_attribute("aria-pressed", "true")
    page.wait_for_function("() => document.fullscreenElement || document.querySelector('.map-fullscreen')")
    page.wait_for_timeout(200)
    full = canvas.bounding_box()
    assert full["height"] > normal["height"] and full["y"] < 200
    screenshot(page, "map-fullscreen")
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.fullscreenElement && !document.querySelector('.map-fullscreen')")
    expect(page.get_by_role("button", name="Full screen")).to_have_attribute("aria-pressed", "false")


def test_overview_and_issue_view_at_both_sizes(page, live):
    base, world, _ = live
    login(page, base, world["alpha"]["coordinator"])
    _open_map(page, base)
    check_accessibility(page, "map overview")
    screenshot(page, "readable-map-wide")
    page.set_viewport_size(PHONE)
    fits_phone(page, "map overview")
    page.wait_for_timeout(500)  # the map refits to the new width a moment after the resize
    screenshot(page, "readable-map-phone")
    page.set_viewport_size(WIDE)
    # the issue view, from the issue page's link: the issue and its people named
    page.goto(f"{base}/c/alpha/issues/{world['alpha']['issue_id']}")
    page.get_by_role("link", name="Map of this issue").click()
    page.wait_for_function("() => window.coalitionMap && window.coalitionMap.ready")
    assert f"issue={world['alpha']['issue_id']}" in page.url
    shown = _labels(page)
    assert f"issue:{world['alpha']['issue_id']}" in shown
    assert f"ally:{world['extra_ally_ids']['Olive Org']}" in shown  # a champion on the issue
    check_accessibility(page, "issue map")
    screenshot(page, "readable-issue-map-wide")
    page.set_viewport_size(PHONE)
    fits_phone(page, "issue map")
    page.wait_for_timeout(500)
    screenshot(page, "readable-issue-map-phone")
