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


def test_reports_to_suggests_only_colleagues_at_the_same_insurer(app, world):
    """The "contacts" kind: the insurer's own contacts, never another insurer's or another
    chapter's, and never the contact being edited nor anyone below it (even through a loop
    left in old data)."""
    w, beta = world["alpha"], world["beta"]
    with app.app_context():
        from coalition.models import Insurer

        ch = db.session.get(Chapter, w["chapter_id"])
        here = db.session.get(Insurer, w["insurer_id"])
        elsewhere = factories.insurer(db.session, ch, "Rival Health")
        rival = factories.contact(db.session, elsewhere, "Reggie Rival")
        # Dana heads Reggie (the world), who heads Rita; Loop and Lou report to each other.
        rita = factories.contact(db.session, here, "Rita Report", "other", reports_to_id=w["contact_id"])
        loop = factories.contact(db.session, here, "Loop One", "other")
        lou = factories.contact(db.session, here, "Lou Loop", "other", reports_to_id=loop.id)
        loop.reports_to_id = lou.id
        db.session.commit()
        me = _coordinator(w)
        scope = {"insurer_id": here.id}

        def found(q, **more):
            return [m.label for m in search.search(db.session, me, "contacts", q, scope=dict(scope, **more))]

        assert found("re") == ["Reggie Relations", "Rita Report"]  # not Reggie Rival, not beta's
        assert found("d") == ["Dana Decider"]
        assert found("re", contact=w["boss_contact_id"]) == []  # Reggie and Rita report to Dana
        assert found("re", contact=w["contact_id"]) == []  # Reggie himself and Rita below him
        assert found("d", contact=w["contact_id"]) == ["Dana Decider"]
        assert found("lo", contact=loop.id) == []
        assert found("lo", contact=rita.id) == ["Loop One", "Lou Loop"]
        assert found("re", contact=99999999999999) == ["Reggie Relations", "Rita Report"]  # ignored

        for q in ("Dana", "Reggie", "e", "a"):
            values = {m.value for m in search.search(db.session, me, "contacts", q, scope=scope)}
            assert not values & {f"contact:{rival.id}", f"contact:{beta['contact_id']}",
                                 f"contact:{beta['boss_contact_id']}"}, q
        # ... nor accepted when sent; the contact itself is (the directory says why it is refused).
        assert search.lookup(db.session, me, "contacts", f"contact:{rival.id}", scope) is None
        assert search.lookup(db.session, me, "contacts", f"contact:{beta['boss_contact_id']}", scope) is None
        for bad in (str(w["boss_contact_id"]), f"ally:{w['ally_id']}", "contact:x", "typed:Dana", ""):
            assert search.lookup(db.session, me, "contacts", bad, scope) is None, bad
        assert search.lookup(db.session, me, "contacts", f"contact:{w['contact_id']}", scope).text == \
            "Reggie Relations (provider-relations representative)"


def test_the_reports_to_endpoint_answers_one_insurer_of_the_chapter(app, client, world):
    w, beta = world["alpha"], world["beta"]
    from tests.allies.test_records import login

    login(client, w["member"])
    url = f"{A}/search/contacts/{w['insurer_id']}"
    response = client.get(url + "?q=reg")
    assert response.status_code == 200 and "no-store" in response.headers["Cache-Control"]
    assert response.json == {"results": [{"value": f"contact:{w['contact_id']}", "label": "Reggie Relations",
                                          "hint": "provider-relations representative"}]}
    assert client.get(url + f"?q=reg&contact={w['boss_contact_id']}").json == {"results": []}
    assert client.get(url + "?q=reg&contact=abc").json["results"][0]["label"] == "Reggie Relations"
    # Another chapter's insurer, in this chapter or in theirs: 404.
    assert client.get(f"{A}/search/contacts/{beta['insurer_id']}?q=reg").status_code == 404
    assert client.get(f"/c/beta/search/contacts/{beta['insurer_id']}?q=reg").status_code == 404
    assert client.get(f"{A}/search/contacts/99999999999?q=reg").status_code == 404
