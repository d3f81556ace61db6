"""Relationships added from either end, validated per chapter, owned by who declared them."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from coalition.models import Chapter, Relationship
from coalition.platform.extensions import db
from tests import factories
from tests.allies.test_records import login


def count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Relationship.id)))


def rel(app, ident) -> Relationship | None:
    with app.app_context():
        row = db.session.get(Relationship, ident)
        if row is not None:
            db.session.expunge(row)
        return row


def test_form_prefills_end_a_and_offers_a_picker(client, world):
    login(client, world["alpha"]["member"])
    html = client.get(f"/c/alpha/relationships/new?a=ally:{world['alpha']['ally_id']}"
                      ).get_data(as_text=True)
    assert f'<option selected value="ally:{world["alpha"]["ally_id"]}">' in html
    # Only the chosen ends are options; the rest are found by typing (coalition.picker).
    assert 'data-picker-url="/c/alpha/search/people"' in html and 'name="find" value="b"' in html
    assert "coord-beta" not in html and f'value="ally:{world["beta"]["ally_id"]}"' not in html
    assert 'name="owner"' not in html  # members always own what they declare


def test_member_declares_a_relationship_they_own(app, client, world):
    alpha = world["alpha"]
    login(client, alpha["member"])
    before = count(app)
    response = client.post("/c/alpha/relationships/new", data={
        "a": f"member:{alpha['membership_id']}", "b": f"ally:{alpha['ally_id']}",
        "kind": "refers_to", "strength": "4", "since": "2024-03-01",
        "last_contact": "2026-01-10", "notes": "Sends patients weekly",
        "next": f"/c/alpha/allies/{alpha['ally_id']}"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/c/alpha/allies/{alpha['ally_id']}")
    assert count(app) == before + 1
    with app.app_context():
        row = db.session.scalars(select(Relationship).order_by(Relationship.id.desc())).first()
        assert row.endpoint("a") == ("member", alpha["membership_id"])
        assert row.endpoint("b") == ("ally", alpha["ally_id"])
        assert (row.kind, row.strength, row.since, row.owner_member_id) == (
            "refers_to", 4, date(2024, 3, 1), alpha["membership_id"])
    page = client.get(f"/c/alpha/allies/{alpha['ally_id']}").get_data(as_text=True)
    assert "Refers patients to" in page and "member-alpha" in page


def _quick_add_fields(page: str) -> set[str]:
    """The names of the fields the ally page's quick-add form sends."""
    import re

    start = page.index('action="/c/alpha/relationships/new')
    form = page[start:page.index("</form>", start)]
    return set(re.findall(r'name="([a-z_]+)"', form))


@pytest.mark.parametrize("who", ["member", "coordinator"])
def test_added_from_the_ally_page_end_with_the_fields_that_form_sends(app, client, world, who):
    """The quick-add on an ally's page sends no owner: it must work the first time for a
    coordinator too (it answered "Declared by: Not a valid choice")."""
    alpha = world["alpha"]
    login(client, alpha[who])
    page = client.get(f"/c/alpha/allies/{alpha['own_ally_id']}").get_data(as_text=True)
    fields = _quick_add_fields(page)
    assert "owner" not in fields and {"a", "b", "kind", "strength"} <= fields
    typed = {"a": f"ally:{alpha['own_ally_id']}", "b": f"contact:{alpha['contact_id']}",
             "kind": "knows", "strength": "2",
             "next": f"/c/alpha/allies/{alpha['own_ally_id']}#relationships"}
    response = client.post("/c/alpha/relationships/new", data={k: v for k, v in typed.items() if k in fields})
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(f"/c/alpha/allies/{alpha['own_ally_id']}").get_data(as_text=True)
    assert "Reggie Relations" in page
    with app.app_context():
        row = db.session.scalars(select(Relationship).order_by(Relationship.id.desc())).first()
        assert row.owner_member_id == alpha["coordinator_membership_id" if who == "coordinator"
                                            else "membership_id"]


def test_the_ally_page_finds_the_other_end_by_typing(client, world):
    alpha = world["alpha"]
    login(client, alpha["coordinator"])
    page = client.get(f"/c/alpha/allies/{alpha['ally_id']}").get_data(as_text=True)
    start = page.index('action="/c/alpha/relationships/new')
    b = page.index('name="b"', start)
    to = page[b:page.index("</select>", b)]
    assert to.count("<option") == 1  # the prompt; the rest is found by typing
    assert 'data-picker-url="/c/alpha/search/people"' in page[start:]


def test_coordinator_chooses_another_owner(app, client, world):
    alpha = world["alpha"]
    login(client, alpha["coordinator"])
    client.post("/c/alpha/relationships/new", data={
        "a": f"ally:{alpha['ally_id']}", "b": f"contact:{alpha['contact_id']}",
        "kind": "knows", "strength": "3", "owner": str(alpha["membership_id"])})
    with app.app_context():
        row = db.session.scalars(select(Relationship).order_by(Relationship.id.desc())).first()
        assert row.owner_member_id == alpha["membership_id"]
    # Another chapter's membership is not a choice.
    response = client.post("/c/alpha/relationships/new", data={
        "a": f"ally:{alpha['ally_id']}", "b": f"contact:{alpha['contact_id']}",
        "kind": "knows", "strength": "3", "owner": str(world["beta"]["membership_id"])})
    assert response.status_code == 200 and 'id="owner-error"' in response.get_data(as_text=True)


def test_refuses_self_link_and_keeps_values(app, client, world):
    alpha = world["alpha"]
    login(client, alpha["member"])
    before = count(app)
    response = client.post("/c/alpha/relationships/new", data={
        "a": f"ally:{alpha['ally_id']}", "b": f"ally:{alpha['ally_id']}", "kind": "knows",
        "strength": "3", "notes": "typed notes"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "two different people" in html and 'id="b-error"' in html
    assert "typed notes" in html
    assert count(app) == before


def test_refuses_other_chapters_endpoints_with_a_form_error(app, client, world):
    alpha, beta = world["alpha"], world["beta"]
    login(client, alpha["coordinator"])
    before = count(app)
    for a, b in [(f"ally:{beta['ally_id']}", f"ally:{alpha['ally_id']}"),
                 (f"member:{alpha['membership_id']}", f"contact:{beta['contact_id']}"),
                 (f"member:{beta['membership_id']}", f"ally:{alpha['ally_id']}"),
                 ("ally:999999", f"ally:{alpha['ally_id']}"),
                 ("rocket:1", f"ally:{alpha['ally_id']}")]:
        response = client.post("/c/alpha/relationships/new", data={
            "a": a, "b": b, "kind": "knows", "strength": "3"})
        html = response.get_data(as_text=True)
        assert response.status_code == 200, (a, b)
        assert "Not found in this chapter: type part of the name, then choose from the list." in html
    assert count(app) == before


def test_bad_strength_and_date_are_form_errors(app, client, world):
    alpha = world["alpha"]
    login(client, alpha["member"])
    response = client.post("/c/alpha/relationships/new", data={
        "a": f"member:{alpha['membership_id']}", "b": f"ally:{alpha['ally_id']}",
        "kind": "knows", "strength": "8", "since": "yesterday-ish"})
    html = response.get_data(as_text=True)
    assert 'id="strength-error"' in html and 'id="since-error"' in html
    assert 'value="yesterday-ish"' in html


def test_member_edits_only_their_relationships(app, client, world):
    alpha = world["alpha"]
    login(client, alpha["member"])
    theirs = rel(app, alpha["relationship_id"])
    assert client.post(f"/c/alpha/relationships/{theirs.id}/edit", data={
        "a": f"member:{alpha['coordinator_membership_id']}", "b": f"ally:{alpha['ally_id']}",
        "kind": "family", "strength": "1", "version": theirs.version}).status_code == 403
    assert client.post(f"/c/alpha/relationships/{theirs.id}/delete", data={"confirmed": "yes"}).status_code == 403
    assert rel(app, theirs.id).kind == "knows"
    mine = rel(app, alpha["own_relationship_id"])
    response = client.post(f"/c/alpha/relationships/{mine.id}/edit", data={
        "a": f"member:{alpha['membership_id']}", "b": f"contact:{alpha['contact_id']}",
        "kind": "works_with", "strength": "5", "last_contact": "2026-02-02",
        "version": mine.version})
    assert response.status_code == 302
    after = rel(app, mine.id)
    assert (after.kind, after.strength, after.owner_member_id) == (
        "works_with", 5, alpha["membership_id"])
    assert client.post(f"/c/alpha/relationships/{mine.id}/delete", data={"confirmed": "yes"}).status_code == 302
    assert rel(app, mine.id) is None


def test_outdated_relationship_form_does_not_overwrite(app, client, world):
    alpha = world["alpha"]
    login(client, alpha["coordinator"])
    old = rel(app, alpha["relationship_id"])
    with app.app_context():
        row = db.session.get(Relationship, old.id)
        row.notes = "changed elsewhere"
        db.session.commit()
    response = client.post(f"/c/alpha/relationships/{old.id}/edit", data={
        "a": f"member:{alpha['coordinator_membership_id']}", "b": f"ally:{alpha['ally_id']}",
        "kind": "knows", "strength": "2", "notes": "my notes", "version": old.version,
        "owner": str(alpha["coordinator_membership_id"])})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Someone else changed this relationship" in html
    assert "changed elsewhere" in html and "my notes" in html
    assert rel(app, old.id).notes == "changed elsewhere"


def test_index_filters(app, client, world):
    alpha = world["alpha"]
    with app.app_context():
        ch = db.session.get(Chapter, alpha["chapter_id"])
        factories.relationship(db.session, ch, ("ally", alpha["ally_id"]),
                               ("ally", alpha["own_ally_id"]), strength=5, kind="works_with",
                               last_contact=date.today() - timedelta(days=10))
        factories.relationship(db.session, ch, ("ally", alpha["ally_id"]),
                               ("contact", alpha["boss_contact_id"]), strength=1,
                               kind="knows", last_contact=date.today() - timedelta(days=400))
        db.session.commit()
    login(client, alpha["member"])

    def total(**args):
        html = client.get("/c/alpha/relationships/", query_string=args).get_data(as_text=True)
        import re
        return int(re.search(r'<h2 id="results">(\d+) relationship', html).group(1))

    # World: coordinator–Casey (strength 3, contact 2026-10-01), member–Reggie (3, never).
    assert total() == 4
    assert total(kind="works_with") == 1
    assert total(min_strength=3) == 3
    assert total(min_strength=5) == 1
    stale_expected = 2 + (1 if date(2026, 10, 1) < date.today() - timedelta(days=180) else 0)
    assert total(stale=1) == stale_expected
    assert total(stale=1, kind="knows", min_strength=2) == stale_expected - 1
