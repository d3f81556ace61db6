"""The interaction log and the "cultivate before you need it" list."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from coalition.models import Ally, Membership, Relationship
from coalition.models.outreach import Touchpoint
from coalition.platform.extensions import db
from tests import factories
from tests.outreach.helpers import get, login

URL = "/c/alpha/outreach"


def test_logging_updates_last_contact_and_strength(app, client, world):
    w = world["alpha"]
    login(client, w["member"])
    day = (date.today() - timedelta(days=2)).isoformat()
    response = client.post(f"{URL}/touchpoints/new", data={
        "relationship_id": w["own_relationship_id"], "occurred_on": day, "channel": "call",
        "summary": "Talked about the visit cap", "strength": "4"})
    assert response.status_code == 302
    rel = get(app, Relationship, w["own_relationship_id"])
    assert rel.last_contact.isoformat() == day and rel.strength == 4
    with app.app_context():
        point = db.session.scalar(select(Touchpoint).where(
            Touchpoint.relationship_id == w["own_relationship_id"]))
        assert point.summary == "Talked about the visit cap" and point.channel == "call"


def test_strength_is_optional_and_an_older_touchpoint_keeps_the_newer_date(app, client, world):
    w = world["alpha"]
    login(client, w["coordinator"])
    response = client.post(f"{URL}/touchpoints/new", data={
        "relationship_id": w["relationship_id"], "occurred_on": "2026-01-05",
        "channel": "meeting", "summary": "Old coffee", "strength": ""})
    assert response.status_code == 302
    rel = get(app, Relationship, w["relationship_id"])
    assert rel.last_contact == date(2026, 10, 1) and rel.strength == 3


def test_a_member_logs_only_on_their_own_relationships(app, client, world):
    w = world["alpha"]
    login(client, w["member"])
    page = client.get(f"{URL}/touchpoints/new").get_data(as_text=True)
    assert "Reggie Relations" in page and "Casey Coordinator-Ally" not in page
    response = client.post(f"{URL}/touchpoints/new", data={
        "relationship_id": w["relationship_id"], "occurred_on": "2026-11-01",
        "channel": "call", "summary": "x"})
    assert response.status_code == 400
    assert get(app, Relationship, w["relationship_id"]).last_contact == date(2026, 10, 1)


def test_bad_touchpoints_are_refused_and_typed_values_kept(app, client, world):
    w = world["alpha"]
    login(client, w["member"])
    future = (date.today() + timedelta(days=1)).isoformat()
    response = client.post(f"{URL}/touchpoints/new", data={
        "relationship_id": w["own_relationship_id"], "occurred_on": future,
        "channel": "call", "summary": "Typed summary"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="occurred_on-error"' in html
    assert 'value="Typed summary"' in html
    response = client.post(f"{URL}/touchpoints/new", data={
        "relationship_id": w["own_relationship_id"], "occurred_on": "2026-11-01",
        "channel": "pigeon", "summary": ""})
    html = response.get_data(as_text=True)
    assert 'id="channel-error"' in html and 'id="summary-error"' in html
    response = client.post(f"{URL}/touchpoints/new", data={
        "relationship_id": w["relationship_id"] + 1000, "occurred_on": "2026-11-01",
        "channel": "call", "summary": "x"})
    assert response.status_code == 400


def _influential(app, w, days_ago=None):
    """Casey (the world's ally) becomes influential; the coordinator's link to her was last
    used ``days_ago`` days ago."""
    with app.app_context():
        db.session.get(Ally, w["ally_id"]).influence = 5
        rel = db.session.get(Relationship, w["relationship_id"])
        rel.last_contact = date.today() - timedelta(days=days_ago) if days_ago else None
        db.session.commit()


def test_cultivate_lists_by_days(app, client, world):
    w = world["alpha"]
    _influential(app, w, days_ago=100)
    login(client, w["member"])
    html = client.get(f"{URL}/cultivate").get_data(as_text=True)  # default 90 days
    assert "Casey Coordinator-Ally" in html
    assert "Dana Decider" in html and "Reggie Relations" in html  # contacts, never contacted
    assert "Morgan Member" not in html  # influence 3
    html = client.get(f"{URL}/cultivate?days=120").get_data(as_text=True)
    assert "Casey Coordinator-Ally" not in html and "more than 120 days" in html


def test_cultivate_names_the_best_placed_member_or_says_nobody(app, client, world):
    w = world["alpha"]
    _influential(app, w, days_ago=200)
    with app.app_context():  # a weaker link from the member to Casey too
        chapter = db.session.get(Membership, w["membership_id"]).chapter
        factories.relationship(db.session, chapter, ("member", w["membership_id"]),
                               ("ally", w["ally_id"]), strength=2)
        db.session.get(Relationship, w["relationship_id"]).strength = 5
        db.session.commit()
    login(client, w["member"])
    html = client.get(f"{URL}/cultivate").get_data(as_text=True)
    casey = html.split("Casey Coordinator-Ally")[1].split("</tr>")[0]
    assert "coord-alpha (strength 5)" in casey
    dana = html.split("Dana Decider")[1].split("</tr>")[0]
    assert "Nobody in the chapter knows them directly" in dana
    reggie = html.split("Reggie Relations")[1].split("</tr>")[0]
    assert "member-alpha" in reggie


def test_cultivate_days_from_config_and_bad_values(app_factory, world_factory=None):
    app = app_factory(CULTIVATE_AFTER_DAYS=300)
    client = app.test_client()
    with app.app_context():
        w = factories.build_world(db.session)["alpha"]
    _influential(app, w, days_ago=200)
    login(client, w["member"])
    html = client.get(f"{URL}/cultivate").get_data(as_text=True)
    assert "more than 300 days" in html and "Casey Coordinator-Ally" not in html
    response = client.get(f"{URL}/cultivate?days=abc")
    assert response.status_code == 400
    assert "Give a whole number of days." in response.get_data(as_text=True)
    assert client.get(f"{URL}/cultivate?days=0").status_code == 400


def test_dashboard_shows_the_cultivate_list(app, client, world):
    w = world["alpha"]
    _influential(app, w, days_ago=100)
    login(client, w["member"])
    html = client.get("/c/alpha/").get_data(as_text=True)
    assert "Cultivate before you need it" in html and "Casey Coordinator-Ally" in html


def _cultivate_by_hand(session, chapter_id, days, today):
    """The list worked out in Python from every relationship: the reference for the SQL."""
    from coalition.models import InsurerContact, User
    from coalition.outreach.touchpoints import INFLUENTIAL
    cutoff = today - timedelta(days=days)
    names = dict(session.execute(
        select(Membership.id, User.name).join(User, User.id == Membership.user_id)
        .where(Membership.chapter_id == chapter_id, Membership.status == "active")).all())
    last, best = {}, {}
    for rel in session.scalars(select(Relationship).where(Relationship.chapter_id == chapter_id)):
        a, b = rel.endpoint("a"), rel.endpoint("b")
        for node in (a, b):
            if rel.last_contact is not None and (node not in last or rel.last_contact > last[node]):
                last[node] = rel.last_contact
        for mine, other in ((a, b), (b, a)):
            if mine[0] == "member" and mine[1] in names and other[0] != "member":
                rank = (rel.strength, rel.last_contact or date.min, -mine[1])
                if other not in best or rank > best[other]:
                    best[other] = rank
    candidates = [("contact", c.id, c.name) for c in session.scalars(
        select(InsurerContact).where(InsurerContact.chapter_id == chapter_id)
        .order_by(InsurerContact.id))]
    candidates += [("ally", a.id, a.name) for a in session.scalars(
        select(Ally).where(Ally.chapter_id == chapter_id, Ally.status == "active",
                           Ally.influence >= INFLUENTIAL).order_by(Ally.id))]
    out = []
    for kind, ident, name in candidates:
        seen = last.get((kind, ident))
        if seen is not None and seen >= cutoff:
            continue
        top = best.get((kind, ident))
        out.append((kind, ident, name, seen, names.get(-top[2]) if top else None,
                    top[0] if top else None))
    out.sort(key=lambda c: (c[3] or date.min, c[2]))
    return out


def test_cultivate_matches_the_list_worked_out_by_hand_with_ties(app):
    """Ties everywhere: same names, same last contact, equal strengths (then the most recent
    contact, then the earliest membership wins), inactive members, member-to-member links,
    both relationship ends; the dashboard's first rows and count agree with the full list."""
    import random

    from coalition.models import Chapter
    from coalition.outreach import touchpoints
    rnd = random.Random(7)
    today = date(2026, 6, 1)
    with app.app_context():
        w = factories.build_world(db.session)["alpha"]
        chapter = db.session.get(Chapter, w["chapter_id"])
        members = [factories.member(db.session, chapter, f"m{i}@example.org",
                                    status="inactive" if i == 3 else "active")
                   for i in range(6)]
        ins = factories.insurer(db.session, chapter, "Tie Health")
        nodes = [("member", m.id) for m in members]
        nodes += [("contact", factories.contact(db.session, ins, name=rnd.choice("AB")).id)
                  for _ in range(8)]
        nodes += [("ally", factories.ally(db.session, chapter, name=rnd.choice(["A", "B", "Zed"]),
                                          influence=rnd.choice([3, 4, 5]),
                                          status=rnd.choice(["active", "active", "inactive"])).id)
                  for _ in range(25)]
        dates = [None, today - timedelta(days=200), today - timedelta(days=100),
                 today - timedelta(days=10)]
        for _ in range(120):
            a, b = rnd.sample(nodes, 2)
            factories.relationship(db.session, chapter, a, b, strength=rnd.choice([2, 4, 4, 5]),
                                   last_contact=rnd.choice(dates))
        db.session.commit()
        for days in (1, 30, 150, 365):
            want = _cultivate_by_hand(db.session, chapter.id, days, today)
            got = touchpoints.cultivate(db.session, chapter.id, days, today=today)
            assert [(c.kind, c.id, c.name, c.last_contact, c.best_member, c.best_strength)
                    for c in got] == want
            top, total = touchpoints.cultivate_page(db.session, chapter.id, days, 5, today)
            assert top == got[:5] and total == len(got)
        assert any(c.best_member is None for c in got) and any(c.best_member for c in got)


def test_relationships_link_to_the_log_for_those_who_may_log_and_it_leads_back(app, client, world):
    """The ally's page and the list of relationships offer "Log a touchpoint" beside each
    relationship the viewer may log on; logged from there, the log leads back."""
    w = world["alpha"]
    login(client, w["member"])
    ally_page = f"/c/alpha/allies/{w['ally_id']}"
    # Casey's relationship is the coordinator's: the member may not log on it.
    assert "Log a touchpoint" not in client.get(ally_page).get_data(as_text=True)
    listing = client.get("/c/alpha/relationships/").get_data(as_text=True)
    assert listing.count(">Log a touchpoint<") == 1
    assert f"touchpoints/new?relationship_id={w['own_relationship_id']}&amp;next=" in listing

    client.post("/logout")
    login(client, w["coordinator"])
    page = client.get(ally_page).get_data(as_text=True)
    link = (f"/c/alpha/outreach/touchpoints/new?relationship_id={w['relationship_id']}"
            f"&amp;next=/c/alpha/allies/{w['ally_id']}")
    assert link in page
    form = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert f'<option selected value="{w["relationship_id"]}">' in form
    assert f'name="next" value="{ally_page}"' in form
    response = client.post(f"{URL}/touchpoints/new", data={
        "relationship_id": w["relationship_id"], "occurred_on": date.today().isoformat(),
        "channel": "call", "summary": "Asked about the hearing", "next": ally_page})
    assert response.status_code == 302 and response.headers["Location"] == ally_page
    assert "last contact today" in client.get(ally_page).get_data(as_text=True)
    # Only a path of this site is followed.
    response = client.post(f"{URL}/touchpoints/new", data={
        "relationship_id": w["relationship_id"], "occurred_on": date.today().isoformat(),
        "channel": "call", "summary": "Again", "next": "//evil.example/"})
    assert response.headers["Location"] == f"{URL}/touchpoints/new"
