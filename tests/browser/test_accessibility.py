"""What axe-core does not flag, checked in Chromium: the main pages fit a 390 px phone and
pass axe; a refused form puts the focus on its error summary, whose links put it in the
field; the focus ring shows; actions in tables are 24 px targets; long e-mails stay inside
the sign-up cards."""
from __future__ import annotations

import pytest

from tests.browser.conftest import PHONE, WIDE, check_accessibility, expect, fits_phone, go, login, screenshot, serve

# (name, who, path): the demo coalition's pages (chapter "demo", ids of its first rows),
# the world's for what the demo has none of (a sign-up waiting, an import).
PAGES = [
    ("login", None, "/login"),
    ("signup", None, "/join/alpha"),
    ("dashboard", "coordinator", "/c/demo/"),
    ("issues", "coordinator", "/c/demo/issues/"),
    ("issue", "coordinator", "/c/demo/issues/{demo_issue}"),
    ("allies", "coordinator", "/c/demo/allies/"),
    ("ally", "coordinator", "/c/demo/allies/{demo_ally}"),
    ("signups", "coordinator", "/c/alpha/allies/pending"),
    ("insurers", "coordinator", "/c/demo/insurers/"),
    ("insurer", "coordinator", "/c/demo/insurers/{demo_insurer}"),
    ("relationships", "coordinator", "/c/demo/relationships/"),
    ("my-tasks", "member", "/c/demo/outreach/mine"),
    ("brief", "coordinator", "/c/demo/outreach/issues/{demo_issue}/brief"),
    ("brief-counts", "coordinator", "/c/demo/outreach/issues/{demo_issue}/brief?counts=only"),
    ("members", "coordinator", "/c/demo/members/"),
    ("audit", "coordinator", "/c/demo/audit"),
    ("tokens", "coordinator", "/c/alpha/tokens/"),
    ("trash", "coordinator", "/c/alpha/trash/"),
    ("imports", "coordinator", "/c/alpha/imports/"),
    ("admin-chapters", "admin", "/admin/chapters"),
]
# Pages other engineers redo in the same issue (#14): these flip when their work lands.
BEING_REDONE: dict[str, str] = {}


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    """The world, and the demo coalition in chapter "demo" with the world's alpha
    coordinator as one of its coordinators and alpha's member as a member."""
    from sqlalchemy import select

    from coalition.demo.seed import seed_demo
    from coalition.models import Ally, Insurer, Issue, User
    from coalition.platform.extensions import db
    from tests import factories

    with serve(tmp_path_factory.mktemp("a11y")) as (base, world, app):
        with app.app_context():
            chapter = factories.chapter(db.session, "demo", "Demo Chapter")
            coordinator = db.session.scalar(select(User).where(User.email == world["alpha"]["coordinator"]))
            seed_demo(db.session, chapter, coordinator=coordinator, allies=150)
            factories.member(db.session, chapter, world["alpha"]["member"])
            first = {name: db.session.scalar(select(model.id).where(model.chapter_id == chapter.id)
                                             .order_by(model.id).limit(1))
                     for name, model in (("demo_issue", Issue), ("demo_ally", Ally), ("demo_insurer", Insurer))}
            db.session.commit()
        world["alpha"].update(first)
        yield base, world, app


def _email(world, who):
    return world["admin"] if who == "admin" else world["alpha"][who]


@pytest.mark.parametrize("name,who,path", [
    pytest.param(*p, marks=pytest.mark.xfail(strict=False, reason=BEING_REDONE[p[0]]))
    if p[0] in BEING_REDONE else p for p in PAGES], ids=[p[0] for p in PAGES])
def test_main_pages_fit_a_phone_and_pass_axe(page, running, name, who, path):
    base, world, _ = running
    if who:
        login(page, base, _email(world, who))
    page.set_viewport_size(PHONE)
    page.goto(base + path.format(**world["alpha"]))
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), \
        fits_phone(page, name)
    check_accessibility(page, f"{name} at 390 px")
    screenshot(page, f"a11y-{name}-phone")
    page.set_viewport_size(WIDE)
    check_accessibility(page, f"{name} at 1280 px")
    screenshot(page, f"a11y-{name}-wide")


@pytest.mark.parametrize("size", [WIDE, PHONE], ids=["wide", "phone"])
def test_a_refused_form_puts_the_focus_on_its_summary_and_each_link_in_its_field(page, running, size):
    base, world, _ = running
    login(page, base, world["alpha"]["coordinator"])
    page.set_viewport_size(size)
    page.goto(base + "/c/alpha/insurers/new")
    assert page.locator("[data-error-summary]").count() == 0 and page.get_by_role("alert").count() == 0
    page.get_by_label("Website").fill("acme.example")
    page.get_by_label("Regions").fill("Portland Metro")
    go(page, page.get_by_role("button", name="Add insurer"))
    assert page.title().startswith("Error: ")
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    assert summary.get_by_role("heading").inner_text().startswith("There are 2 problems")
    check_accessibility(page, "insurer form with errors")
    screenshot(page, f"a11y-error-summary-{size['width']}")
    summary.get_by_role("link", name="Website:").click()
    expect(page.get_by_label("Website")).to_be_focused()
    summary.get_by_role("link", name="Name:").click()
    expect(page.get_by_label("Name")).to_be_focused()
    assert page.get_by_label("Regions").input_value() == "Portland Metro"
    # The ring is drawn: 3 px of near-black around the field.
    ring = page.get_by_label("Name").evaluate(
        "el => { const s = getComputedStyle(el); return [s.outlineStyle, s.outlineWidth, s.outlineColor]; }")
    assert ring == ["solid", "3px", "rgb(11, 12, 12)"]
    screenshot(page, f"a11y-focus-ring-{size['width']}")
    if size == PHONE:
        fits_phone(page, "insurer form with errors")


def test_actions_in_tables_are_24_px_targets(page, running):
    base, world, _ = running
    login(page, base, world["alpha"]["coordinator"])
    for path in ("/c/demo/allies/", "/c/demo/insurers/", "/c/demo/relationships/", "/c/demo/audit"):
        page.goto(base + path)
        small = page.evaluate("""() => [...document.querySelectorAll('table a, table button')]
            .filter(el => el.offsetParent !== null)
            .map(el => [el.textContent.trim(), el.getBoundingClientRect()])
            .filter(([, r]) => r.height < 24 || r.width < 24).map(([t, r]) => `${t} ${r.width}x${r.height}`)""")
        assert not small, f"{path}: {small}"


def test_a_long_e_mail_stays_inside_its_sign_up_card(page, running):
    base, world, app = running
    from coalition.models import Ally
    from coalition.platform.extensions import db

    with app.app_context():
        ally = db.session.get(Ally, world["alpha"]["pending_ally_id"])
        ally.email = ("rosalind.featherstonehaugh-cholmondeley.patient-advocate"
                      "@northern-valley-physiotherapy.example.org")
        db.session.commit()
    login(page, base, world["alpha"]["coordinator"])
    page.set_viewport_size(PHONE)
    page.goto(base + "/c/alpha/allies/pending")
    fits_phone(page, "sign-ups with a long e-mail")
    outside = page.evaluate("""() => [...document.querySelectorAll('.card')].some(card => {
        const box = card.getBoundingClientRect();
        return [...card.querySelectorAll('*')].some(el => el.getBoundingClientRect().right > box.right + 1); })""")
    assert not outside
    screenshot(page, "a11y-signup-card-long-email")
