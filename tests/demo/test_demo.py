"""The demo coalition: realistic counts, sound structure, one chapter only, determinism."""
from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from sqlalchemy import func, select

from coalition.demo.seed import DEMO_PASSWORD, DemoError, seed_demo
from coalition.models import (
    ALLY_KINDS,
    ISSUE_STAGES,
    STANCES,
    Ally,
    Chapter,
    Insurer,
    InsurerContact,
    Issue,
    IssueEvent,
    Membership,
    Relationship,
    Stance,
    User,
)
from coalition.platform.extensions import db
from tests import factories

TODAY = date(2026, 6, 1)
CHAPTER_MODELS = (Insurer, InsurerContact, Issue, IssueEvent, Ally, Stance, Relationship)


@pytest.fixture
def seeded(app):
    """The default demo in chapter ``oregon``, next to an empty chapter ``washington``."""
    with app.app_context():
        chapter = factories.chapter(db.session, "oregon")
        factories.chapter(db.session, "washington")
        counts = seed_demo(db.session, chapter, today=TODAY)
        db.session.commit()
        yield chapter, counts


def _count(model, chapter_id: int) -> int:
    return db.session.scalar(select(func.count(model.id)).where(model.chapter_id == chapter_id))


def _endpoint(rel: Relationship, side: str) -> tuple[str, int]:
    return rel.endpoint(side)


def test_counts_at_the_default_size(seeded):
    chapter, counts = seeded
    assert counts["insurers"] == _count(Insurer, chapter.id) == 3
    assert counts["issues"] == _count(Issue, chapter.id) == 6
    assert counts["allies"] == _count(Ally, chapter.id) == 150
    assert 350 <= counts["relationships"] == _count(Relationship, chapter.id) <= 450
    assert counts["stances"] == _count(Stance, chapter.id) > 150
    for insurer in db.session.scalars(select(Insurer).where(Insurer.chapter_id == chapter.id)):
        assert 6 <= len(insurer.contacts) <= 9
        assert {c.role for c in insurer.contacts} >= {"decision_maker", "medical_director",
                                                      "provider_relations", "network_manager"}
    kinds = Counter(db.session.scalars(select(Ally.kind).where(Ally.chapter_id == chapter.id)))
    assert set(kinds) == set(ALLY_KINDS)
    assert 1 <= kinds["regulator"] <= 2
    members = db.session.scalars(
        select(Membership).where(Membership.chapter_id == chapter.id)).all()
    assert counts["members"] == len(members) == 8
    assert all(m.status == "active" for m in members)
    assert sum(m.role == "coordinator" for m in members) == 1


def test_demo_members_log_in_with_the_documented_password(seeded, client):
    chapter, _ = seeded
    email = db.session.scalar(
        select(User.email).join(Membership).where(Membership.chapter_id == chapter.id)
        .order_by(User.id).limit(1))
    assert email.endswith("@oregon.demo.coalition.example")
    response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302 and "/login" not in response.headers["Location"]


def test_allies_look_real(seeded):
    chapter, _ = seeded
    allies = db.session.scalars(select(Ally).where(Ally.chapter_id == chapter.id)).all()
    influence = {}
    for ally in allies:
        assert 1 <= ally.influence <= 5
        influence.setdefault(ally.kind, []).append(ally.influence)
        assert ally.name and ally.region
        if ally.email:
            assert ally.email.split("@")[1].endswith(".example") or \
                ally.email.split("@")[1].split(".")[-1] == "example" or \
                ally.email.endswith((".example.com", ".example.net", ".example.org",
                                     "@example.com", "@example.net", "@example.org"))
    mean = {k: sum(v) / len(v) for k, v in influence.items()}
    assert mean["regulator"] > mean["patient"] and mean["legislator"] > mean["patient"]
    assert sum(a.consent for a in allies) > 0.7 * len(allies)
    # The regulator oversees the insurers' region.
    regulator_regions = {a.region for a in allies if a.kind == "regulator"}
    for insurer in db.session.scalars(select(Insurer).where(Insurer.chapter_id == chapter.id)):
        assert regulator_regions & set(insurer.region_list)
    stances = Counter(db.session.scalars(select(Stance.stance).where(
        Stance.chapter_id == chapter.id)))
    assert set(stances) == set(STANCES)
    assert stances["supporter"] > stances["opposed"]
    with_stance = db.session.scalar(select(func.count(func.distinct(Stance.ally_id))).where(
        Stance.chapter_id == chapter.id))
    pairs = db.session.scalar(select(func.count(Stance.id)).where(
        Stance.chapter_id == chapter.id))
    assert pairs < 6 * len(allies) * 0.8  # not every ally has a stance on every issue
    assert with_stance > 0.6 * len(allies)


def test_every_issue_has_a_dated_history(seeded):
    chapter, _ = seeded
    issues = db.session.scalars(select(Issue).where(Issue.chapter_id == chapter.id)).all()
    assert len({i.category for i in issues}) == 6
    assert any(i.closed_on for i in issues) and any(i.closed_on is None for i in issues)
    assert any(i.coverage_gap_regions for i in issues)
    assert any(i.unique_services for i in issues)
    for issue in issues:
        assert issue.description and issue.desired_outcome and issue.fallback
        assert issue.stage in ISSUE_STAGES
        assert 4 <= len(issue.events) <= 10
        dates = [e.occurred_on for e in issue.events]
        assert all(issue.opened_on <= d <= TODAY for d in dates)
        if issue.closed_on:
            assert max(dates) <= issue.closed_on
        assert any(e.kind == "stage_change" for e in issue.events)
        last_change = max((e for e in issue.events if e.kind == "stage_change"),
                          key=lambda e: (e.occurred_on, e.id))
        assert ISSUE_STAGES[issue.stage] in last_change.summary


def test_contacts_form_a_tree_per_insurer(seeded):
    chapter, _ = seeded
    contacts = {c.id: c for c in db.session.scalars(
        select(InsurerContact).where(InsurerContact.chapter_id == chapter.id))}
    roots = Counter()
    for contact in contacts.values():
        seen = {contact.id}
        node = contact
        while node.reports_to_id is not None:
            boss = contacts[node.reports_to_id]
            assert boss.insurer_id == contact.insurer_id
            assert boss.id not in seen, "cycle in the organisation chart"
            seen.add(boss.id)
            node = boss
        roots[(contact.insurer_id, node.id)] += 1
    assert len(roots) == 3  # one top per insurer


def test_relationships_are_sound(seeded):
    chapter, _ = seeded
    rels = db.session.scalars(
        select(Relationship).where(Relationship.chapter_id == chapter.id)).all()
    pairs = set()
    ids = {
        "member": set(db.session.scalars(select(Membership.id).where(
            Membership.chapter_id == chapter.id))),
        "ally": set(db.session.scalars(select(Ally.id).where(Ally.chapter_id == chapter.id))),
        "contact": set(db.session.scalars(select(InsurerContact.id).where(
            InsurerContact.chapter_id == chapter.id))),
    }
    types = Counter()
    for rel in rels:
        a, b = _endpoint(rel, "a"), _endpoint(rel, "b")
        assert a != b, "self-link"
        assert a[1] in ids[a[0]] and b[1] in ids[b[0]]
        pair = frozenset((a, b))
        assert pair not in pairs, "duplicate pair"
        pairs.add(pair)
        assert 1 <= rel.strength <= 5
        assert rel.owner_member_id in ids["member"]
        assert rel.since is None or rel.since <= TODAY
        if rel.last_contact:
            assert rel.since <= rel.last_contact <= TODAY
        types[tuple(sorted((a[0], b[0])))] += 1
        types[rel.kind] += 1
    for combo in (("ally", "member"), ("ally", "ally"), ("contact", "member"),
                  ("ally", "contact")):
        assert types[combo] > 0, combo
    for kind in ("member_of", "refers_to", "knows", "oversees"):
        assert types[kind] > 0, kind
    stale = sum(1 for r in rels if r.last_contact and (TODAY - r.last_contact).days > 365)
    fresh = sum(1 for r in rels if r.last_contact and (TODAY - r.last_contact).days < 90)
    assert stale > 20 and fresh > 20


def test_rows_stay_in_the_given_chapter(seeded):
    chapter, _ = seeded
    other = db.session.scalar(select(Chapter).where(Chapter.slug == "washington"))
    for model in CHAPTER_MODELS:
        assert _count(model, other.id) == 0
        assert db.session.scalar(select(func.count(model.id))) == _count(model, chapter.id)
    assert not db.session.scalars(
        select(Membership).where(Membership.chapter_id == other.id)).all()


def test_a_chapter_with_allies_is_refused(seeded):
    chapter, _ = seeded
    with pytest.raises(DemoError, match="already has allies"):
        seed_demo(db.session, chapter, today=TODAY)


def test_the_coordinator_becomes_a_member_node(app):
    with app.app_context():
        chapter = factories.chapter(db.session, "oregon")
        boss = factories.member(db.session, chapter, "boss@example.org", role="coordinator")
        counts = seed_demo(db.session, chapter, coordinator=boss.user, today=TODAY)
        assert counts["members"] == 9
        mine = db.session.scalar(select(func.count(Relationship.id)).where(
            (Relationship.a_member_id == boss.id) | (Relationship.b_member_id == boss.id)))
        assert mine > 0
        coordinators = db.session.scalars(select(Membership).where(
            Membership.chapter_id == chapter.id, Membership.role == "coordinator")).all()
        assert [m.id for m in coordinators] == [boss.id]


def _dump(chapter_id: int) -> list:
    """The chapter's demo data without ids, timestamps of insertion or the chapter."""
    names = {}
    for model in (Membership, Ally, InsurerContact, Insurer, Issue):
        for row in db.session.scalars(select(model).where(model.chapter_id == chapter_id)):
            label = row.user.email if model is Membership else row.name if hasattr(
                row, "name") else row.title
            names[(model.__name__, row.id)] = label
    skip = {"id", "chapter_id", "version", "created_by_id", "updated_by_id", "user_id"}
    refs = {"insurer_id": "Insurer", "issue_id": "Issue", "ally_id": "Ally",
            "reports_to_id": "InsurerContact", "owner_member_id": "Membership",
            "a_member_id": "Membership", "b_member_id": "Membership", "a_ally_id": "Ally",
            "b_ally_id": "Ally", "a_contact_id": "InsurerContact",
            "b_contact_id": "InsurerContact"}
    out = []
    for model in CHAPTER_MODELS + (Membership,):
        rows = []
        for row in db.session.scalars(select(model).where(model.chapter_id == chapter_id)
                                      .order_by(model.id)):
            item = []
            for column in model.__table__.columns:
                if column.key in skip:
                    continue
                value = getattr(row, column.key)
                if column.key in refs and value is not None:
                    value = names[(refs[column.key], value)]
                item.append((column.key, str(value)))
            rows.append(tuple(item))
        out.append((model.__name__, rows))
    users = db.session.execute(
        select(User.email, User.name, User.created_at).join(Membership)
        .where(Membership.chapter_id == chapter_id).order_by(User.id)).all()
    out.append(("User", [tuple(map(str, u)) for u in users]))
    return out


def _seed_and_dump(app, seed: int, slug: str = "oregon", today=TODAY) -> list:
    with app.app_context():
        chapter = db.session.scalar(select(Chapter).where(Chapter.slug == slug))
        seed_demo(db.session, chapter, seed=seed, today=today)
        dump = _dump(chapter.id)
        db.session.rollback()
        return dump


def test_same_seed_and_day_give_the_same_data(app):
    with app.app_context():
        factories.chapter(db.session, "oregon")
        db.session.commit()
    first = _seed_and_dump(app, seed=7)
    assert first == _seed_and_dump(app, seed=7)
    assert first != _seed_and_dump(app, seed=8)
    later = _seed_and_dump(app, seed=7, today=date(2026, 7, 1))
    assert [len(rows) for _, rows in later] == [len(rows) for _, rows in first]


def test_scaling_to_a_thousand_allies(app):
    with app.app_context():
        chapter = factories.chapter(db.session, "big")
        counts = seed_demo(db.session, chapter, allies=1000, today=TODAY)
        assert counts["allies"] == 1000
        assert 3.6 <= counts["relationships"] / 1000 <= 4.4
        assert counts["members"] == 50
        kinds = Counter(db.session.scalars(select(Ally.kind).where(
            Ally.chapter_id == chapter.id)))
        assert set(kinds) == set(ALLY_KINDS)


def test_tiny_and_empty_demos(app):
    with app.app_context():
        chapter = factories.chapter(db.session, "tiny")
        counts = seed_demo(db.session, chapter, allies=0, today=TODAY)
        assert counts["allies"] == 0 and counts["relationships"] > 0
        assert counts["issues"] == 6
        small = factories.chapter(db.session, "small")
        assert seed_demo(db.session, small, allies=5, today=TODAY)["allies"] == 5
