"""The map page in a real browser: drawing, filters, panel, paths, exports, table view,
and axe-core on every page visited."""
from __future__ import annotations

from tests.browser.conftest import check_accessibility, login, screenshot


def _open_map(page, base, slug="alpha", query=""):
    page.goto(f"{base}/c/{slug}/map/{query}")
    page.wait_for_function("() => window.coalitionMap && window.coalitionMap.ready")


def _count(page) -> int:
    return page.evaluate("() => window.coalitionMap.cy.nodes().not('.hidden').length")


def test_dashboard_and_login_are_accessible(page, live):
    base, world, _ = live
    login(page, base, world["alpha"]["coordinator"])
    page.goto(f"{base}/c/alpha/")
    check_accessibility(page, "dashboard")
    assert not page.js_errors


def test_map_draws_filters_and_opens_the_panel(page, live):
    base, world, _ = live
    login(page, base, world["alpha"]["coordinator"])
    _open_map(page, base)
    # alpha: 2 members, 7 active allies (2 of the world + 5 extra), 2 contacts, 1 insurer,
    # 1 issue; the pending sign-up is not on the map.
    assert _count(page) == 13
    assert page.evaluate("() => window.coalitionMap.cy.edges().length") > 5
    screenshot(page, "map-full")
    check_accessibility(page, "map page")

    page.get_by_text("Filter by kind, stance or region").click()
    page.get_by_role("checkbox", name="Patient organisation").check()
    page.get_by_role("checkbox", name="Legislator").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_function("() => window.coalitionMap.ready && window.coalitionMap.loads >= 2")
    # the two allies; both members (the coordinator knows Olive, the member knows the
    # contact Reggie); the two contacts, the insurer and the issue stay.
    assert _count(page) == 8
    labels = page.evaluate("() => window.coalitionMap.cy.nodes().map(n => n.data('label'))")
    assert "Olive Org" in labels and "Gus Group" not in labels
    assert "kind=patient_org" in page.url

    # click a node on the canvas: the side panel opens with its details and a link
    # The node scrolled to the middle of the window, clear of the sticky header and menu row.
    pos = page.evaluate("""(id) => { const n = window.coalitionMap.cy.$id(id);
        const where = () => { const p = n.renderedPosition();
            const b = document.getElementById('map-canvas').getBoundingClientRect();
            return {x: b.left + p.x, y: b.top + p.y}; };
        window.scrollBy(0, where().y - window.innerHeight / 2);
        // cytoscape keeps the canvas's place on the page; after a scroll it must read it again,
        // or a click is matched against where the node was.
        window.coalitionMap.cy.resize();
        return where(); }""", f"ally:{world['extra_ally_ids']['Olive Org']}")
    assert page.evaluate("(p) => document.elementFromPoint(p.x, p.y).closest('#map-canvas') !== null", pos)
    page.mouse.click(pos["x"], pos["y"])
    panel = page.locator("#map-panel")
    panel.wait_for(state="visible")
    assert panel.locator("h2").inner_text() == "Olive Org"
    assert panel.get_by_role("link").count() in (0, 1)
    screenshot(page, "map-panel")
    check_accessibility(page, "map page with the panel open")

    page.locator("#map-depth").select_option("1")
    page.get_by_role("button", name="Focus on this").click()
    assert _count(page) < 8
    page.get_by_role("button", name="Show all").click()
    assert _count(page) == 8
    assert not page.js_errors


def test_issue_map_highlights_an_access_path(page, live):
    base, world, _ = live
    login(page, base, world["alpha"]["member"])
    _open_map(page, base, query=f"?issue={world['alpha']['issue_id']}")
    options = page.locator("#map-path option")
    assert options.count() >= 2, "the issue has a path to its decision maker"
    page.locator("#map-path").select_option(index=1)
    highlighted = page.evaluate("() => window.coalitionMap.cy.elements('.path').length")
    assert highlighted >= 3  # at least two nodes and the link between them
    nodes = page.evaluate("() => window.coalitionMap.cy.nodes('.path').map(n => n.id())")
    assert f"contact:{world['alpha']['boss_contact_id']}" in nodes
    screenshot(page, "map-path")
    check_accessibility(page, "issue map with a path")
    # members cannot save layouts: no button
    assert page.locator("#map-save").count() == 0
    assert not page.js_errors


def test_exports_download_valid_files(page, live, tmp_path):
    base, world, _ = live
    login(page, base, world["alpha"]["coordinator"])
    _open_map(page, base)
    page.locator(".export-menu summary").click()
    link = page.locator(".export-menu a[data-format]").first
    with page.expect_download() as info:
        link.click()
    download = info.value
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    assert target.stat().st_size > 0
    assert download.suggested_filename.startswith("alpha-map")

    with page.expect_download() as info:
        page.get_by_role("button", name="This view as PNG").click()
    png = tmp_path / "view.png"
    info.value.save_as(png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    with page.expect_download() as info:
        page.get_by_role("button", name="This view as SVG").click()
    svg = tmp_path / "view.svg"
    info.value.save_as(svg)
    assert b"<svg" in svg.read_bytes()[:500]
    assert not page.js_errors


def test_save_layout_keeps_positions(page, live):
    base, world, _ = live
    login(page, base, world["alpha"]["coordinator"])
    _open_map(page, base)
    moved = page.evaluate("""() => { const n = window.coalitionMap.cy.nodes()[0];
        n.position({x: 1234, y: -567}); return n.id(); }""")
    page.get_by_role("button", name="Save layout").click()
    page.wait_for_function("() => document.getElementById('map-status').textContent.startsWith('Layout saved')")
    _open_map(page, base)
    pos = page.evaluate(f"() => window.coalitionMap.cy.$id('{moved}').position()")
    assert (round(pos["x"]), round(pos["y"])) == (1234, -567)


def test_table_view_by_keyboard(page, live):
    base, world, _ = live
    login(page, base, world["alpha"]["member"])
    _open_map(page, base)
    toggle = page.locator("#map-table-toggle")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement && document.activeElement.id") == "map-table-toggle":
            break
    else:
        raise AssertionError("the table toggle cannot be reached with Tab")
    page.keyboard.press("Enter")
    table = page.locator("#map-table-view")
    table.wait_for(state="visible")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.evaluate("() => document.activeElement.id") == "map-table-view"
    assert table.locator("caption").first.inner_text().startswith("People and places on the map (13)")
    assert table.locator("tbody tr").count() >= 13
    screenshot(page, "map-table")
    check_accessibility(page, "map page with the table view")


def test_large_map_opens_on_an_overview_and_expands_a_group(page, live_small):
    base, world, _ = live_small
    login(page, base, world["alpha"]["member"])
    _open_map(page, base)
    assert page.evaluate("() => window.coalitionMap.payload.mode") == "overview"
    groups = page.evaluate("() => window.coalitionMap.cy.nodes('[type = \"group\"]').length")
    assert groups == _count(page) and groups >= 5
    assert "more than can be drawn at once" in page.locator("#map-status").inner_text()
    screenshot(page, "map-overview")
    check_accessibility(page, "map overview")
    page.get_by_role("button", name="Chapter member (2)").click()
    page.wait_for_function("() => window.coalitionMap.ready && window.coalitionMap.loads >= 2")
    assert page.evaluate("() => window.coalitionMap.payload.mode") == "group"
    assert page.evaluate("() => window.coalitionMap.cy.nodes('[type = \"member\"]').length") == 2
    page.get_by_role("button", name="Back to the overview").click()
    page.wait_for_function("() => window.coalitionMap.ready && window.coalitionMap.loads >= 3")
    assert page.evaluate("() => window.coalitionMap.payload.mode") == "overview"
    assert not page.js_errors
