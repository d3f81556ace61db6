"""The chapter's search behind the pickers: scoped to the chapter, names that start with the
typed text first, at most 20 suggestions (50 without JavaScript), and hints that tell two
people of the same name apart."""
from __future__ import annotations

from coalition.models import Chapter, Membership
from coalition.picker import search
from coalition.platform.extensions import db
from tests import factories

A = "/c/alpha"


def _coordinator(w) -> Membership:
    return db.session.get(Membership, w["coordinator_membership_id"])


def _names(matches):
    return [m.label for m in matches]


def test_prefix_matches_come_first_then_contains_then_alphabetical(app, world):
    w = world["alpha"]
    with app.app_context():
        ch = db.session.get(Chapter, w["chapter_id"])
        for name in ("Anna Reggio", "Reggie Zed", "Bo Regan", "regina Abbot"):
            factories.ally(db.session, ch, name)
        db.session.commit()
        found = _names(search.search(db.session, _coordinator(w), "targets", "reg"))
    # "Reggie Relations" is the world's insurer contact; "regina" matches without case.
    assert found == ["Reggie Relations", "Reggie Zed", "regina Abbot", "Anna Reggio", "Bo Regan"]


def test_two_people_of_the_same_name_differ_by_their_hint(app, world):
    w = world["alpha"]
    with app.app_context():
        ch = db.session.get(Chapter, w["chapter_id"])
        factories.ally(db.session, ch, "Maria Lopez", "patient", region="Coast")
        factories.ally(db.session, ch, "Maria Lopez", "medical", region="Portland Metro",
                       organisation="Valley Clinic")
        db.session.commit()
        found = search.search(db.session, _coordinator(w), "people", "maria")
    assert [m.text for m in found] == ["Maria Lopez (patient, Coast)",
                                       "Maria Lopez (medical community, Portland Metro, Valley Clinic)"]
    assert found[0].value != found[1].value


def test_another_chapters_people_are_never_found(app, world):
    w, beta = world["alpha"], world["beta"]
    with app.app_context():
        me = _coordinator(w)
        for kind in search.KINDS:
            for q in ("Casey", "Reggie", "Dana", "coord", "Oregon"):
                for m in search.search(db.session, me, kind, q):
                    assert m.value not in (f"ally:{beta['ally_id']}", f"contact:{beta['contact_id']}",
                                           f"member:{beta['coordinator_membership_id']}",
                                           str(beta["relationship_id"])), (kind, q, m)
        # ... nor accepted when sent.
        assert search.lookup(db.session, me, "people", f"ally:{beta['ally_id']}") is None
        assert search.lookup(db.session, me, "targets", f"contact:{beta['contact_id']}") is None
        assert search.lookup(db.session, me, "members", str(beta["membership_id"])) is None
        assert search.lookup(db.session, me, "relationships", str(beta["relationship_id"])) is None
        assert search.lookup(db.session, me, "people", f"ally:{w['ally_id']}").label == "Casey Coordinator-Ally"


def test_limits_and_odd_input(app, world):
    w = world["alpha"]
    with app.app_context():
        ch = db.session.get(Chapter, w["chapter_id"])
        for i in range(60):
            factories.ally(db.session, ch, f"Pat Number {i:02d}")
        db.session.commit()
        me = _coordinator(w)
        assert len(search.search(db.session, me, "people", "pat")) == search.SUGGESTIONS == 20
        assert len(search.search(db.session, me, "people", "pat", limit=search.FIND_LIMIT)) == 50
        assert search.search(db.session, me, "people", "   ") == []
        assert search.search(db.session, me, "people", "%") == []  # a wildcard is a letter here
        assert search.search(db.session, me, "people", "_") == []
        for bad in ("ally:x", "ally:", "rocket:1", "ally:99999999999999999999", "", "member:-1"):
            assert search.lookup(db.session, me, "people", bad) is None
        # A task targets allies and contacts only, never a member.
        assert search.lookup(db.session, me, "targets", f"member:{w['membership_id']}") is None


def test_a_member_finds_only_the_relationships_they_may_log_on(app, world):
    w = world["alpha"]
    with app.app_context():
        member = db.session.get(Membership, w["membership_id"])
        found = search.search(db.session, member, "relationships", "e")
        assert [m.value for m in found] == [str(w["own_relationship_id"])]
        coordinator = _coordinator(w)
        assert {m.value for m in search.search(db.session, coordinator, "relationships", "e")} == {
            str(w["relationship_id"]), str(w["own_relationship_id"])}


def test_the_json_endpoint_answers_the_chapter_only(client, world):
    w = world["alpha"]
    from tests.allies.test_records import login

    login(client, w["coordinator"])
    response = client.get(f"{A}/search/people?q=cas")
    assert response.status_code == 200 and response.headers["Cache-Control"].count("no-store")
    assert response.json == {"results": [{"value": f"ally:{w['ally_id']}", "label": "Casey Coordinator-Ally",
                                          "hint": "medical community, Oregon"}]}
    assert client.get("/c/beta/search/people?q=cas").status_code == 404
    assert client.get(f"{A}/search/rockets?q=cas").status_code == 404
    assert client.get(f"{A}/search/regions?q=ore").json == {"results": [
        {"value": "Oregon", "label": "Oregon", "hint": ""}]}
