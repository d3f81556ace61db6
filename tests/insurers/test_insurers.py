"""Insurers and their contacts through the real forms: CRUD, counts, the org chart and its
cycle rule, refusals and other chapters' ids."""
from __future__ import annotations

import re

from sqlalchemy import event, func, select

from coalition.models import Insurer, InsurerContact, Issue, Relationship
from coalition.platform.extensions import db
from tests import factories
from tests.picker.test_routes import options


def login(auth, email):
    response = auth.login(email)
    assert response.status_code == 302


def test_list_shows_counts_of_contacts_and_issues(client, auth, world):
    login(auth, world["alpha"]["member"])
    html = client.get("/c/alpha/insurers/").get_data(as_text=True)
    assert "Alpha Health Plan" in html
    assert "Beta Health Plan" not in html
    row = re.search(r"Alpha Health Plan</a></td>(.*?)</tr>", html, re.S).group(1)
    assert re.search(r'data-label="Contacts">2<', row)
    assert re.search(r'data-label="Issues">1 ', row)
    # Members see no buttons for changes they may not make.
    assert "Add an insurer" not in html


def test_coordinator_creates_edits_an_insurer(app, client, auth, world):
    login(auth, world["alpha"]["coordinator"])
    assert "Add an insurer" in client.get("/c/alpha/insurers/").get_data(as_text=True)
    response = client.post("/c/alpha/insurers/new", data={
        "name": "Northwind Health", "plan_types": "HMO, PPO", "regions": "Coos, Curry",
        "website": "https://northwind.example.org", "notes": "Rural network gaps."})
    assert response.status_code == 302
    with app.app_context():
        ins = db.session.scalar(select(Insurer).where(Insurer.name == "Northwind Health"))
        assert ins.chapter_id == world["alpha"]["chapter_id"]
        assert ins.plan_type_list == ["HMO", "PPO"]
        ins_id = ins.id
    html = client.get(f"/c/alpha/insurers/{ins_id}").get_data(as_text=True)
    assert "HMO, PPO" in html and "Coos, Curry" in html and "<h1>Northwind Health</h1>" in html

    form = client.get(f"/c/alpha/insurers/{ins_id}/edit").get_data(as_text=True)
    assert 'value="Northwind Health"' in form
    response = client.post(f"/c/alpha/insurers/{ins_id}/edit", data={
        "name": "Northwind Health Plans", "plan_types": "PPO", "regions": "", "website": ""})
    assert response.status_code == 302
    with app.app_context():
        ins = db.session.get(Insurer, ins_id)
        assert (ins.name, ins.plan_types, ins.regions, ins.website) == (
            "Northwind Health Plans", "PPO", None, None)


def test_insurer_form_errors_keep_typed_values(app, client, auth, world):
    login(auth, world["alpha"]["coordinator"])
    response = client.post("/c/alpha/insurers/new", data={
        "name": "", "regions": "Klamath", "website": "not a web address"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="name-error"' in html and 'id="website-error"' in html
    assert 'value="Klamath"' in html and 'value="not a web address"' in html
    with app.app_context():
        assert db.session.scalar(select(func.count(Insurer.id))) == 2


def test_member_may_not_change_insurers(app, client, auth, world):
    login(auth, world["alpha"]["member"])
    a = world["alpha"]
    assert client.post("/c/alpha/insurers/new", data={"name": "X"}).status_code == 403
    assert client.post(f"/c/alpha/insurers/{a['insurer_id']}/edit",
                       data={"name": "X"}).status_code == 403
    assert client.post(f"/c/alpha/insurers/{a['insurer_id']}/contacts/new",
                       data={"name": "X", "role": "other"}).status_code == 403
    assert client.post(f"/c/alpha/insurers/contacts/{a['contact_id']}/delete",
                       data={"confirmed": "yes"}).status_code == 403
    with app.app_context():
        assert db.session.get(InsurerContact, a["contact_id"]) is not None
        assert db.session.get(Insurer, a["insurer_id"]).name == "Alpha Health Plan"


def test_delete_refused_while_the_insurer_has_issues(app, client, auth, world):
    login(auth, world["alpha"]["coordinator"])
    a = world["alpha"]
    response = client.post(f"/c/alpha/insurers/{a['insurer_id']}/delete",
                           data={"confirmed": "yes"}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "still has 1 issue" in html
    with app.app_context():
        assert db.session.get(Insurer, a["insurer_id"]) is not None


def test_delete_removes_contacts_and_their_links(app, client, auth, world):
    login(auth, world["alpha"]["coordinator"])
    a = world["alpha"]
    with app.app_context():
        db.session.delete(db.session.get(Issue, a["issue_id"]))
        db.session.commit()
    response = client.post(f"/c/alpha/insurers/{a['insurer_id']}/delete",
                           data={"confirmed": "yes"}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Deleted the insurer Alpha Health Plan with 2 contacts" in html
    with app.app_context():
        assert db.session.get(Insurer, a["insurer_id"]) is None
        assert db.session.scalar(select(func.count(InsurerContact.id)).where(
            InsurerContact.insurer_id == a["insurer_id"])) == 0
        # The member's link to the contact went with it; beta's rows are untouched.
        assert db.session.get(Relationship, a["own_relationship_id"]) is None
        assert db.session.get(Insurer, world["beta"]["insurer_id"]) is not None


def test_org_chart_nests_by_reports_to(client, auth, world):
    login(auth, world["alpha"]["member"])
    html = client.get(f"/c/alpha/insurers/{world['alpha']['insurer_id']}").get_data(as_text=True)
    chart = html[html.index('<ul class="org-chart">'):html.index('id="contacts"')]
    # Reggie sits in a list nested inside Dana's item.
    assert re.search(r"Dana Decider</strong>.*?Decision maker.*?<ul>\s*<li>.*?Reggie Relations"
                     r".*?Provider-relations representative", chart, re.S)


def test_show_page_does_not_query_per_contact(app, client, auth, world):
    login(auth, world["alpha"]["member"])
    url = f"/c/alpha/insurers/{world['alpha']['insurer_id']}"

    def count_queries():
        seen = []
        with app.app_context():
            engine = db.engine
        listener = lambda *args: seen.append(1)  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert client.get(url).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(seen)

    before = count_queries()
    with app.app_context():
        ins = db.session.get(Insurer, world["alpha"]["insurer_id"])
        boss = db.session.get(InsurerContact, world["alpha"]["boss_contact_id"])
        for n in range(8):
            factories.contact(db.session, ins, f"Staff {n}", "other", reports_to_id=boss.id,
                              topics="fees, caps")
        db.session.commit()
    assert count_queries() == before


def _contact_data(**kw):
    data = {"name": "Nora Network", "title": "Network lead", "department": "Networks",
            "role": "network_manager", "reports_to_id": "", "topics": "rural access",
            "email": "nora@insurer.example", "phone": "+1 503 555 0100", "notes": ""}
    data.update(kw)
    return data


def test_coordinator_adds_edits_and_deletes_a_contact(app, client, auth, world):
    login(auth, world["alpha"]["coordinator"])
    a = world["alpha"]
    form = client.get(f"/c/alpha/insurers/{a['insurer_id']}/contacts/new").get_data(as_text=True)
    # "Reports to" is found by typing among this insurer's contacts: none is listed up front.
    assert f'data-picker-url="/c/alpha/search/contacts/{a["insurer_id"]}"' in form
    assert options(form, "reports_to_id") == [("", "Nobody / not known")]
    response = client.post(f"/c/alpha/insurers/{a['insurer_id']}/contacts/new",
                           data=_contact_data(reports_to_id=f"contact:{a['boss_contact_id']}"))
    assert response.status_code == 302
    with app.app_context():
        nora = db.session.scalar(select(InsurerContact).where(InsurerContact.name == "Nora Network"))
        assert (nora.insurer_id, nora.reports_to_id, nora.role, nora.email) == (
            a["insurer_id"], a["boss_contact_id"], "network_manager", "nora@insurer.example")
        nora_id = nora.id
    html = client.get(f"/c/alpha/insurers/{a['insurer_id']}").get_data(as_text=True)
    assert "Network manager" in html and "Knows about: rural access" in html
    assert "mailto:nora@insurer.example" in html

    form = client.get(f"/c/alpha/insurers/contacts/{nora_id}/edit").get_data(as_text=True)
    assert f"search/contacts/{a['insurer_id']}?contact={nora_id}" in form
    assert options(form, "reports_to_id") == [("", "Nobody / not known"),
                                              (f"contact:{a['boss_contact_id']}", "Dana Decider (decision maker)")]
    assert f'<option selected value="contact:{a["boss_contact_id"]}">' in form
    # Emptied, the manager is cleared.
    response = client.post(f"/c/alpha/insurers/contacts/{nora_id}/edit",
                           data=_contact_data(title="VP Networks", reports_to_id="", email=""))
    assert response.status_code == 302
    with app.app_context():
        nora = db.session.get(InsurerContact, nora_id)
        assert (nora.title, nora.reports_to_id, nora.email) == ("VP Networks", None, None)

    response = client.post(f"/c/alpha/insurers/contacts/{nora_id}/delete", data={"confirmed": "yes"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(InsurerContact, nora_id) is None


def test_deleting_a_manager_moves_reports_up(app, client, auth, world):
    login(auth, world["alpha"]["coordinator"])
    a = world["alpha"]
    with app.app_context():
        ins = db.session.get(Insurer, a["insurer_id"])
        top = factories.contact(db.session, ins, "Tess Top", "decision_maker")
        db.session.get(InsurerContact, a["boss_contact_id"]).reports_to_id = top.id
        db.session.commit()
        top_id = top.id
    client.post(f"/c/alpha/insurers/contacts/{a['boss_contact_id']}/delete", data={"confirmed": "yes"})
    with app.app_context():
        assert db.session.get(InsurerContact, a["contact_id"]).reports_to_id == top_id


def test_contact_form_errors_keep_typed_values(client, auth, world):
    login(auth, world["alpha"]["coordinator"])
    a = world["alpha"]
    response = client.post(f"/c/alpha/insurers/{a['insurer_id']}/contacts/new",
                           data=_contact_data(name="", email="not-an-email"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="name-error"' in html and 'id="email-error"' in html
    assert 'value="Network lead"' in html and 'value="not-an-email"' in html


def test_reports_to_refuses_self_and_people_below(app, client, auth, world):
    login(auth, world["alpha"]["coordinator"])
    a = world["alpha"]
    boss_url = f"/c/alpha/insurers/contacts/{a['boss_contact_id']}/edit"
    # The search suggests neither the contact itself nor anyone below it.
    search = f"/c/alpha/search/contacts/{a['insurer_id']}?contact={a['boss_contact_id']}&q="
    assert client.get(search + "e").json == {"results": []}

    # Sent all the same (an old page, a crafted post): refused with the reason.
    below = client.post(boss_url, data=_contact_data(name="Dana Decider typed",
                                                     reports_to_id=f"contact:{a['contact_id']}"))
    html = below.get_data(as_text=True)
    assert below.status_code == 200
    assert 'id="reports_to_id-error"' in html and "loop in the org chart" in html
    assert 'value="Dana Decider typed"' in html

    itself = client.post(boss_url, data=_contact_data(reports_to_id=f"contact:{a['boss_contact_id']}"))
    assert "cannot report to themselves" in itself.get_data(as_text=True)

    # Deeper: Dana -> Reggie -> Nora; Dana may not report to Nora either.
    with app.app_context():
        ins = db.session.get(Insurer, a["insurer_id"])
        nora = factories.contact(db.session, ins, "Nora", "other", reports_to_id=a["contact_id"])
        db.session.commit()
        nora_id = nora.id
    deep = client.post(boss_url, data=_contact_data(reports_to_id=f"contact:{nora_id}"))
    assert "loop in the org chart" in deep.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(InsurerContact, a["boss_contact_id"]).reports_to_id is None
        assert db.session.get(InsurerContact, a["boss_contact_id"]).name == "Dana Decider"


def test_reports_to_refuses_other_insurers_and_chapters(app, client, auth, world):
    login(auth, world["alpha"]["coordinator"])
    a = world["alpha"]
    with app.app_context():
        from coalition.models import Chapter
        chapter = db.session.get(Chapter, a["chapter_id"])
        other = factories.insurer(db.session, chapter, "Other Insurer")
        stranger = factories.contact(db.session, other, "Stan Stranger")
        db.session.commit()
        stranger_id = stranger.id
    for manager in (f"contact:{stranger_id}", f"contact:{world['beta']['boss_contact_id']}",
                    str(a["boss_contact_id"]), f"ally:{a['ally_id']}", "typed:Stan"):
        response = client.post(f"/c/alpha/insurers/{a['insurer_id']}/contacts/new",
                               data=_contact_data(reports_to_id=manager))
        html = response.get_data(as_text=True)
        assert 'id="reports_to_id-error"' in html, manager
        assert ("Choose someone at Alpha Health Plan: type part of their name, then choose from the list."
                in html), manager
        assert 'value="Nora Network"' in html and 'value="Network lead"' in html  # nothing typed is lost
        assert ('data-picker-typed="Stan"' in html) == (manager == "typed:Stan")  # back in the box
    with app.app_context():
        assert db.session.scalar(select(func.count(InsurerContact.id)).where(
            InsurerContact.name == "Nora Network")) == 0


def test_reports_to_without_javascript_finds_only_colleagues_then_saves(app, client, auth, world):
    """The "Find" button lists this insurer's contacts that match (not another insurer's,
    not another chapter's, not the contact itself), keeps what was typed, then saves."""
    login(auth, world["alpha"]["coordinator"])
    a = world["alpha"]
    with app.app_context():
        from coalition.models import Chapter
        chapter = db.session.get(Chapter, a["chapter_id"])
        other = factories.insurer(db.session, chapter, "Other Insurer")
        factories.contact(db.session, other, "Dana Elsewhere")
        factories.contact(db.session, db.session.get(Insurer, a["insurer_id"]), "Danielle Deputy", "other",
                          title="Deputy director", department="Networks", reports_to_id=a["boss_contact_id"])
        db.session.commit()
    new = f"/c/alpha/insurers/{a['insurer_id']}/contacts/new"
    html = client.post(new, data=_contact_data(**{"reports_to_id-q": "DAN", "find": "reports_to_id"})
                       ).get_data(as_text=True)
    # Beta's "Dana Decider" and the other insurer's "Dana Elsewhere" are not offered.
    found = options(html, "reports_to_id")
    assert [label for _, label in found] == ["Nobody / not known", "Dana Decider (decision maker)",
                                             "Danielle Deputy (Deputy director, Networks)"]
    assert f"contact:{world['beta']['boss_contact_id']}" not in html
    assert "2 matches for “DAN”" in html and 'value="Nora Network"' in html and 'value="DAN"' in html
    with app.app_context():
        assert db.session.scalar(select(func.count(InsurerContact.id))
                                 .where(InsurerContact.name == "Nora Network")) == 0  # not saved yet

    # Editing Dana: she is not offered as her own manager, nor is anyone below her.
    html = client.post(f"/c/alpha/insurers/contacts/{a['boss_contact_id']}/edit", data=_contact_data(
        name="Dana Decider", **{"reports_to_id-q": "d", "find": "reports_to_id"})).get_data(as_text=True)
    assert options(html, "reports_to_id") == [("", "Nobody / not known")]
    assert "Nothing matches “d”" in html

    # One match is chosen already; Save keeps it.
    html = client.post(new, data=_contact_data(**{"reports_to_id-q": "decider", "find": "reports_to_id"})
                       ).get_data(as_text=True)
    chosen = re.search(r'<option selected value="(contact:\d+)">', html).group(1)
    assert chosen == f"contact:{a['boss_contact_id']}"
    assert client.post(new, data=_contact_data(reports_to_id=chosen)).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(InsurerContact.reports_to_id)
                                 .where(InsurerContact.name == "Nora Network")) == a["boss_contact_id"]


def test_other_chapters_insurers_and_contacts_answer_404(client, auth, world):
    login(auth, world["beta"]["coordinator"])
    a = world["alpha"]
    assert client.get(f"/c/beta/insurers/{a['insurer_id']}").status_code == 404
    assert client.post(f"/c/beta/insurers/{a['insurer_id']}/edit",
                       data={"name": "Hijack"}).status_code == 404
    assert client.post(f"/c/beta/insurers/contacts/{a['contact_id']}/delete",
                       data={"confirmed": "yes"}).status_code == 404
    assert client.get("/c/alpha/insurers/").status_code == 404
