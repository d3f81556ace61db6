"""The page cache (``coalition.platform.page_cache``): read pages kept per chapter data version and
viewer, with CSRF tokens filled in per response, never storing flashed messages.

Every test checks what the pages say, not only the counters: a "hit" is proved by a change
that bypasses the ORM (so the chapter's ``data_version`` stays put) and is therefore not
visible on a page served from memory.
"""
from __future__ import annotations

import re
import sys

from sqlalchemy import select, update

from coalition.models import Ally, Chapter, Issue, Membership
from coalition.platform.extensions import db
from tests import factories
from tests.conftest import AuthActions

ALLIES = "/c/alpha/allies/"
DASHBOARD = "/c/alpha/"
WAITING_LINK = "Sign-ups waiting for approval"


def _pages(app):
    return app.extensions["coalition.pages"]


def _client(app, email):
    client = app.test_client()
    assert AuthActions(client).login(email).status_code == 302
    return client


def _text(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True)


def _viewer_name(page):
    """The account name in the top bar."""
    return re.search(r'class="who"[^>]*>([^<]+)</a>', page).group(1)


def _csrf_tokens(page):
    inputs = re.findall(r'<input[^>]*name="csrf_token"[^>]*>', page)
    return {re.search(r'value="([^"]*)"', tag).group(1) for tag in inputs}


def _same_page(page):
    """The page with its CSRF tokens blanked: each render signs a fresh token carrying the
    second it was made, so two renders a second apart differ there and nowhere else."""
    page = re.sub(r'(name="csrf_token"[^>]*value=")[^"]*"', r'\1"', page)
    return re.sub(r'(name="csrf-token"[^>]*content=")[^"]*"', r'\1"', page)


def _version(app, chapter_id):
    with app.app_context():
        return db.session.scalar(select(Chapter.data_version).where(Chapter.id == chapter_id))


def _rename_behind_the_orms_back(app, model, ident, **values):
    """Change a row without the flush hook: the chapter's data version stays the same, so
    a page served from memory keeps showing the old value."""
    with app.app_context():
        with db.engine.begin() as conn:
            conn.execute(update(model).where(model.id == ident).values(**values))


def _issue_url(world, slug="alpha"):
    """The issue's History part: the history and its form, which these tests read and post."""
    return f"/c/{slug}/issues/{world[slug]['issue_id']}/history"


# --- hits ----------------------------------------------------------------------------------

def test_second_identical_get_is_a_hit_with_the_same_page(app, world):
    alpha = world["alpha"]
    client = _client(app, alpha["coordinator"])
    stats = _pages(app).stats
    first = _text(client, ALLIES)
    assert stats == {"hit": 0, "miss": 1, "skipped": 0}
    version = _version(app, alpha["chapter_id"])
    _rename_behind_the_orms_back(app, Ally, alpha["ally_id"], name="Renamed Quietly")
    assert _version(app, alpha["chapter_id"]) == version
    second = _text(client, ALLIES)
    assert stats == {"hit": 1, "miss": 1, "skipped": 0}
    # Served from memory: the quiet rename is not there, and the page is the same one.
    assert "Casey Coordinator-Ally" in second and "Renamed Quietly" not in second
    assert _same_page(second) == _same_page(first)
    # Another query string is another page.
    other = _text(client, ALLIES + "?sort=name")
    assert "Renamed Quietly" in other
    assert stats["miss"] == 2


def test_each_cached_view_is_served_from_memory_the_second_time(app, world):
    alpha = world["alpha"]
    client = _client(app, alpha["coordinator"])
    for url in (DASHBOARD, ALLIES, _issue_url(world)):
        first = _text(client, url)
        hits = _pages(app).stats["hit"]
        assert _same_page(_text(client, url)) == _same_page(first)
        assert _pages(app).stats["hit"] == hits + 1, url


# --- data changes --------------------------------------------------------------------------

def test_an_edit_through_the_app_shows_on_the_next_get(app, world):
    alpha = world["alpha"]
    client = _client(app, alpha["coordinator"])
    before = _text(client, ALLIES)
    assert "Casey Coordinator-Ally" in before
    assert _same_page(_text(client, ALLIES)) == _same_page(before)  # now kept in memory
    with app.app_context():
        version = db.session.get(Ally, alpha["ally_id"]).version
    response = client.post(f"/c/alpha/allies/{alpha['ally_id']}/edit", data={
        "name": "Casey Renamed-Ally", "kind": "medical", "influence": "3",
        "version": str(version)})
    assert response.status_code == 302
    client.get(response.headers["Location"])  # shows (and so consumes) the flash
    after = _text(client, ALLIES)
    assert "Casey Renamed-Ally" in after and "Casey Coordinator-Ally" not in after


def test_rows_committed_elsewhere_show_on_dashboard_ally_list_and_issue_page(app, world):
    alpha = world["alpha"]
    client = _client(app, alpha["coordinator"])
    issue_url = _issue_url(world)
    dashboard = _text(client, DASHBOARD)
    allies = _text(client, ALLIES)
    issue = _text(client, issue_url)
    assert '<span class="stat">2</span> allies' in dashboard
    assert "Newcomer From Elsewhere" not in allies
    assert "Hearing scheduled" not in issue
    version = _version(app, alpha["chapter_id"])
    with app.app_context():  # another worker (or the CLI) commits new rows
        chapter = db.session.get(Chapter, alpha["chapter_id"])
        factories.ally(db.session, chapter, "Newcomer From Elsewhere")
        factories.event(db.session, db.session.get(Issue, alpha["issue_id"]),
                        "Hearing scheduled")
        db.session.commit()
    assert _version(app, alpha["chapter_id"]) > version
    hits = _pages(app).stats["hit"]
    assert '<span class="stat">3</span> allies' in _text(client, DASHBOARD)
    assert "Newcomer From Elsewhere" in _text(client, ALLIES)
    assert "Hearing scheduled" in _text(client, issue_url)
    assert _pages(app).stats["hit"] == hits  # three new pages, none from memory


def test_a_change_in_another_chapter_keeps_alphas_pages(app, world):
    alpha, beta = world["alpha"], world["beta"]
    client = _client(app, alpha["coordinator"])
    _text(client, ALLIES)
    with app.app_context():
        factories.ally(db.session, db.session.get(Chapter, beta["chapter_id"]), "Beta Person")
        db.session.commit()
    hits = _pages(app).stats["hit"]
    _text(client, ALLIES)
    assert _pages(app).stats["hit"] == hits + 1


# --- viewers -------------------------------------------------------------------------------

def test_coordinator_and_member_never_receive_each_others_page(app, world):
    alpha = world["alpha"]
    coordinator = _client(app, alpha["coordinator"])
    member = _client(app, alpha["member"])
    issue_url = _issue_url(world)

    # The coordinator warms the ally list and the dashboard; the member asks second.
    for url, coordinator_only in ((ALLIES, WAITING_LINK), (DASHBOARD, "Waiting for approval:")):
        page = _text(coordinator, url)
        assert _text(coordinator, url) == page  # kept
        assert coordinator_only in page and _viewer_name(page) == "coord-alpha"
        for _ in range(2):  # the member's first (rendered) and second (kept) page
            seen = _text(member, url)
            assert coordinator_only not in seen, url
            assert _viewer_name(seen) == "member-alpha"

    # The member warms the issue page; the coordinator asks second.
    page = _text(member, issue_url)
    assert _text(member, issue_url) == page
    assert "Edit issue" not in page and _viewer_name(page) == "member-alpha"
    for _ in range(2):
        seen = _text(coordinator, issue_url)
        assert "Edit issue" in seen and "Delete issue" in seen
        assert _viewer_name(seen) == "coord-alpha"
    # Every view was both rendered and kept per viewer: 3 pages x 2 viewers.
    assert _pages(app).stats["miss"] == 6 and _pages(app).stats["hit"] == 6


def test_a_role_change_is_a_new_page(app, world):
    alpha = world["alpha"]
    member = _client(app, alpha["member"])
    assert WAITING_LINK not in _text(member, ALLIES)
    assert WAITING_LINK not in _text(member, ALLIES)  # kept
    # Even without a new data version the role is part of the key.
    _rename_behind_the_orms_back(app, Membership, alpha["membership_id"], role="coordinator")
    assert WAITING_LINK in _text(member, ALLIES)
    with app.app_context():  # and through the app, which also bumps the version
        db.session.get(Membership, alpha["membership_id"]).role = "member"
        db.session.commit()
    assert WAITING_LINK not in _text(member, ALLIES)


def test_other_chapters_and_non_members_get_404_after_alpha_warmed_its_pages(app, world):
    alpha, beta = world["alpha"], world["beta"]
    coordinator = _client(app, alpha["coordinator"])
    urls = (DASHBOARD, ALLIES, _issue_url(world))
    for url in urls:
        _text(coordinator, url)
        _text(coordinator, url)
    assert _pages(app).stats["hit"] == 3
    for email in (beta["coordinator"], beta["member"], world["admin"],
                  f"pending-{alpha['slug']}@example.org"):
        outsider = _client(app, email)
        for url in urls:
            page = _text(outsider, url, status=404)
            assert "Casey Coordinator-Ally" not in page and "Alpha Chapter" not in page
    # Beta's own pages with alpha's issue id are 404 too, and beta's list is beta's.
    beta_coordinator = _client(app, beta["coordinator"])
    _text(beta_coordinator, f"/c/beta/issues/{alpha['issue_id']}", status=404)
    beta_allies = _text(beta_coordinator, "/c/beta/allies/")
    assert "Allies of Beta Chapter" in beta_allies and "Alpha Chapter" not in beta_allies


def test_a_member_who_left_gets_404_although_the_page_was_kept(app, world):
    alpha = world["alpha"]
    member = _client(app, alpha["member"])
    _text(member, ALLIES)
    _text(member, ALLIES)
    with app.app_context():
        db.session.get(Membership, alpha["membership_id"]).status = "pending"
        db.session.commit()
    _text(member, ALLIES, status=404)


# --- CSRF tokens ---------------------------------------------------------------------------

def _csrf_login(client, email):
    page = _text(client, "/login")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"email": email, "password": factories.PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 302


def test_a_cached_page_carries_the_csrf_token_of_the_requesting_session(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        world = factories.build_world(db.session)
    alpha = world["alpha"]
    url = _issue_url(world)
    first, second = app.test_client(), app.test_client()
    _csrf_login(first, alpha["member"])
    _csrf_login(second, alpha["member"])  # the same user, another session

    page_1 = _text(first, url)
    page_2 = _text(second, url)
    assert _pages(app).stats == {"hit": 1, "miss": 1, "skipped": 0}
    tokens_1, tokens_2 = _csrf_tokens(page_1), _csrf_tokens(page_2)
    assert len(tokens_1) == 1 and len(tokens_2) == 1  # every form of a page: one token
    assert tokens_1 != tokens_2
    assert "csrf-placeholder-" not in page_1 + page_2
    # Apart from the token the second page is the first one.
    (token_1,), (token_2,) = tokens_1, tokens_2
    assert page_2.replace(token_2, "TOKEN") == page_1.replace(token_1, "TOKEN")

    entry = {"occurred_on": "2026-11-20", "kind": "note", "summary": "Posted from memory"}
    # The first session's token does not work in the second session...
    assert second.post(url.replace("/history", "/events"), data=dict(entry, csrf_token=token_1)) \
        .status_code == 400
    # ...the token from the second session's cached page does.
    response = second.post(url.replace("/history", "/events"), data=dict(entry, csrf_token=token_2))
    assert response.status_code == 302
    shown = _text(second, url)
    assert "Posted from memory" in shown and "csrf-placeholder-" not in shown
    # The first session's (now older) token still works for the first session.
    response = first.post(url.replace("/history", "/events"), data=dict(entry, summary="Second entry",
                                                     csrf_token=token_1))
    assert response.status_code == 302
    for client in (first, second):
        for page_url in (url, ALLIES, DASHBOARD, url):
            page = _text(client, page_url)
            assert "csrf-placeholder-" not in page
            assert _csrf_tokens(page) and all(_csrf_tokens(page))


# --- flashed messages ----------------------------------------------------------------------

def test_a_flash_is_shown_once_and_never_kept(app, world):
    alpha = world["alpha"]
    url = _issue_url(world)
    poster = _client(app, alpha["coordinator"])
    reader = _client(app, alpha["coordinator"])  # the same viewer in another session
    entry = {"occurred_on": "2026-11-20", "kind": "note", "summary": "Called the insurer"}
    response = poster.post(url.replace("/history", "/events"), data=entry)
    assert response.status_code == 302
    # Before the poster follows the redirect, the same viewer stores the new page.
    kept = _text(reader, url)
    assert _text(reader, url) == kept and "Added to the history." not in kept
    skipped = _pages(app).stats["skipped"]
    shown = _text(poster, url)
    assert shown.count("Added to the history.") == 1 and "Called the insurer" in shown
    assert _pages(app).stats["skipped"] == skipped + 1  # rendered, not from memory
    again = _text(poster, url)
    assert "Added to the history." not in again and "Called the insurer" in again
    # The page with the message was not stored either: the reader still gets none.
    assert "Added to the history." not in _text(reader, url)


def test_a_flash_after_a_redirect_to_the_ally_list_is_shown_once(app, world):
    alpha = world["alpha"]
    client = _client(app, alpha["coordinator"])
    response = client.post(f"/c/alpha/allies/{alpha['own_ally_id']}/delete", data={"confirmed": "yes"})
    assert response.status_code == 302 and response.headers["Location"].endswith(ALLIES)
    message = "Deleted Morgan Member"
    first = _text(client, ALLIES)
    assert first.count(message) == 1
    second = _text(client, ALLIES)
    third = _text(client, ALLIES)
    assert message not in second and message not in third
    assert _pages(app).stats["hit"] == 1  # the third; the page with the flash was not kept


# --- settings ------------------------------------------------------------------------------

def test_page_cache_bytes_zero_stores_nothing(app, world):
    alpha = world["alpha"]
    app.config["PAGE_CACHE_BYTES"] = 0
    client = _client(app, alpha["coordinator"])
    for url in (ALLIES, DASHBOARD, _issue_url(world)):
        _text(client, url)
    _rename_behind_the_orms_back(app, Ally, alpha["ally_id"], name="Renamed Quietly")
    assert "Renamed Quietly" in _text(client, ALLIES)  # rendered again, not kept
    for url in (ALLIES, DASHBOARD, _issue_url(world)):
        _text(client, url)
    assert _pages(app).stats == {"hit": 0, "miss": 0, "skipped": 7}
    assert not _pages(app)._pages


def _stored_size(app, client, url):
    """The size of ``url``'s page as the cache counts it: its memory, not its characters."""
    pages = _pages(app)
    before = set(pages._pages)
    _text(client, url)
    (key,) = set(pages._pages) - before
    return sys.getsizeof(pages._pages[key])


def test_older_pages_are_dropped_beyond_page_cache_bytes(app, world):
    alpha = world["alpha"]
    client = _client(app, alpha["coordinator"])
    urls = [f"{ALLIES}?q=nobody{n:02d}" for n in range(12)]
    size = max(_stored_size(app, client, u) for u in urls)
    assert min(sys.getsizeof(p) for p in _pages(app)._pages.values()) > size * 8 / 9
    pages = _pages(app)
    pages.clear()
    limit = size * 8 + 8  # one page fits (size <= limit // 8); nine do not
    app.config["PAGE_CACHE_BYTES"] = limit
    for url in urls[:8]:
        _text(client, url)
    hits = pages.stats["hit"]
    _text(client, urls[0])  # all eight are kept; this makes the first the newest
    assert pages.stats["hit"] == hits + 1
    for url in urls[8:]:
        _text(client, url)
    assert pages._bytes <= limit and len(pages._pages) == 8
    # The pages asked for longest ago (urls[1] to urls[4]) were dropped; urls[0] was not.
    _rename_behind_the_orms_back(app, Chapter, alpha["chapter_id"], name="Quietly Renamed")
    misses, hits = pages.stats["miss"], pages.stats["hit"]
    assert "Allies of Alpha Chapter" in _text(client, urls[0])  # kept: asked recently
    assert "Allies of Quietly Renamed" in _text(client, urls[1])
    assert pages.stats["miss"] == misses + 1
    assert "Allies of Alpha Chapter" in _text(client, urls[11])
    assert pages.stats["hit"] == hits + 2
    assert pages._bytes <= limit


def test_a_page_larger_than_an_eighth_of_the_bound_is_not_kept(app, world):
    alpha = world["alpha"]
    client = _client(app, alpha["coordinator"])
    size = _stored_size(app, client, ALLIES)
    pages = _pages(app)
    pages.clear()
    app.config["PAGE_CACHE_BYTES"] = size * 8 - 8
    _text(client, ALLIES)
    _text(client, ALLIES)
    assert pages.stats["hit"] == 0 and not pages._pages
    app.config["PAGE_CACHE_BYTES"] = size * 8
    _text(client, ALLIES)
    _text(client, ALLIES)
    assert pages.stats["hit"] == 1
