"""The power map of an issue in a real browser: opened from the issue page, read by
quadrant in the table, a dot followed to the person's page; both screen sizes."""
from __future__ import annotations

from tests.browser.conftest import expect, go, login, look, screenshot


def test_power_map_from_the_issue_page(page, live):
    base, world, _ = live
    a = world["alpha"]
    login(page, base, a["member"])
    page.goto(f"{base}/c/alpha/issues/{a['issue_id']}")
    screenshot(page, "issue-page-map-links")
    go(page, page.get_by_role("link", name="Power map: who has influence and where they stand"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Power map")
    look(page, "power-map")

    # the table: Olive (influence 5, champion) among the champions; Pia (1, neutral) to watch
    champions = page.get_by_role("region", name="Champions to mobilise (1)")
    expect(champions.get_by_role("row")).to_have_count(2)  # the header and Olive
    expect(champions.get_by_role("rowheader")).to_have_text(["Olive Org"])
    watch = page.get_by_role("region", name="Watch (1)")
    expect(watch.get_by_role("rowheader")).to_have_text(["Pia Patient"])
    unknown = page.get_by_role("region", name="Stance not known yet (2)")
    expect(unknown.get_by_role("rowheader")).to_have_text(["Dana Decider", "Reggie Relations"])

    # a quadrant's name in the grid leads to its table
    page.get_by_role("link", name="Supporters to grow").click()
    assert page.url.endswith("#pm-grow")

    # the dot is a link with the person's name; it opens their page
    dot = page.get_by_role("link", name="Olive Org: Patient organisation, influence 5 of 5, stance champion")
    box = dot.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24
    go(page, dot)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Olive Org")


def test_power_map_filters_by_chips(page, live):
    base, world, _ = live
    a = world["alpha"]
    login(page, base, a["member"])
    page.goto(f"{base}/c/alpha/map/power/{a['issue_id']}")
    page.get_by_text("Filter by kind, stance or region").click()
    page.get_by_role("checkbox", name="Patient", exact=True).check()
    go(page, page.get_by_role("button", name="Apply filters"))
    assert "kind=patient" in page.url
    expect(page.get_by_role("link", name="Olive Org", exact=True)).to_have_count(0)
    expect(page.get_by_role("region", name="Watch (1)").get_by_role("rowheader")).to_have_text(["Pia Patient"])
    # the map link keeps the filters and the issue
    go(page, page.get_by_role("link", name="See the same people on the ally map"))
    page.wait_for_function("() => window.coalitionMap && window.coalitionMap.ready")
    assert "kind=patient" in page.url and f"issue={a['issue_id']}" in page.url
    expect(page.get_by_role("checkbox", name="Patient", exact=True)).to_be_checked()


def test_hundreds_of_people_stay_readable(page, live):
    base, world, app = live
    a = world["alpha"]
    from coalition.models import Chapter, Issue
    from coalition.platform.extensions import db
    from tests import factories

    stances = ("champion", "supporter", "neutral", "opposed", "unknown")
    with app.app_context():
        chapter = db.session.get(Chapter, a["chapter_id"])
        issue = db.session.get(Issue, a["issue_id"])
        kinds = ("patient", "medical", "legislator", "media", "employer", "support_group")
        for i in range(240):
            ally = factories.ally(db.session, chapter, f"Person {i:03}", kinds[i % len(kinds)],
                                  influence=1 + i % 5, consent=True)
            factories.stance(db.session, ally, issue, stances[(i // 5) % 5])
        db.session.commit()
    login(page, base, a["member"])
    page.goto(f"{base}/c/alpha/map/power/{a['issue_id']}")
    # 245 people; each of the 25 cells draws at most eight, and says how many more
    assert page.locator(".pm-grid .pm-dot").count() <= 25 * 8
    more = page.get_by_role("link", name="and 2", exact=False).first
    expect(more).to_be_visible()
    look(page, "power-map-many")
