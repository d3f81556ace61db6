"""The ally list: search, filters, sorting and pagination, counted."""
from __future__ import annotations

import re
from datetime import datetime

import pytest
from sqlalchemy import event

from coalition.models import Chapter, Issue
from coalition.platform.extensions import db
from tests import factories


@pytest.fixture
def many(app, world):
    """Alpha gets a known set of allies on top of the world's two active ones
    (Casey Coordinator-Ally: medical, supporter on the world issue; Morgan Member: other)."""
    with app.app_context():
        ch = db.session.get(Chapter, world["alpha"]["chapter_id"])
        issue = db.session.get(Issue, world["alpha"]["issue_id"])
        ins = issue.insurer
        second = factories.issue(db.session, ins, "15% fee cut")
        rows = [
            ("Anna Adams", "patient", 2, "Salem", "anna@mail.org", "Knee Group", "testimony"),
            ("Bob Brown", "patient", 5, "Portland", "bob@mail.org", None, None),
            ("Clara Cruz", "medical", 4, "Portland", None, "St. Mary Hospital", "surgeon, board"),
            ("Dan Doe", "regulator", 5, "Salem", "dan@state.gov", "Insurance Division", None),
            ("Eve 100% Evans", "patient_org", 1, "Bend", None, "Arthritis_Org", "press"),
        ]
        made = {}
        for i, (name, kind, infl, region, email, org, tags) in enumerate(rows):
            made[name] = factories.ally(db.session, ch, name, kind, influence=infl, region=region,
                                        email=email, organisation=org, tags=tags,
                                        created_at=datetime(2026, 1, 1 + i))
        factories.stance(db.session, made["Anna Adams"], issue, "champion")
        factories.stance(db.session, made["Bob Brown"], issue, "opposed")
        factories.stance(db.session, made["Bob Brown"], second, "champion")
        factories.stance(db.session, made["Clara Cruz"], second, "supporter")
        # Beta's allies must never show up in alpha's list.
        beta = db.session.get(Chapter, world["beta"]["chapter_id"])
        factories.ally(db.session, beta, "Anna Beta", "patient")
        db.session.commit()
        return {"issue": issue.id, "second": second.id}


def names(response) -> list[str]:
    html = response.get_data(as_text=True)
    return re.findall(r'<td data-label="Name"><a href="[^"]+">([^<]+)</a>', html)


def get(client, **args):
    response = client.get("/c/alpha/allies/", query_string=args)
    assert response.status_code == 200
    return names(response)


@pytest.fixture
def member(client, auth, world):
    auth.login(world["alpha"]["member"])
    return client


ALL = ["Anna Adams", "Bob Brown", "Casey Coordinator-Ally", "Clara Cruz", "Dan Doe",
       "Eve 100% Evans", "Morgan Member"]


def test_lists_active_allies_of_the_chapter_by_name(member, many):
    assert get(member) == ALL  # "Sam Signup" is pending, "Anna Beta" is beta's


@pytest.mark.parametrize("q,expected", [
    ("anna", ["Anna Adams"]),                       # name, case-insensitive
    ("KNEE", ["Anna Adams"]),                       # organisation
    ("state.gov", ["Dan Doe"]),                     # e-mail
    ("Board", ["Clara Cruz"]),                      # tags
    ("portland", []),                               # region is a filter, not searched
    ("100%", ["Eve 100% Evans"]),                   # % is literal
    ("_org", ["Eve 100% Evans"]),                   # _ is literal
    ("mail.org clara", []),                         # every word must match
    ("mail.org anna", ["Anna Adams"]),
])
def test_search(member, many, q, expected):
    assert get(member, q=q) == expected


def test_filter_by_kind(member, many):
    assert get(member, kind="patient") == ["Anna Adams", "Bob Brown"]
    assert get(member, kind="nonsense") == ALL


def test_filter_by_issue_any_stance(member, many):
    assert get(member, issue=many["issue"]) == ["Anna Adams", "Bob Brown",
                                                 "Casey Coordinator-Ally"]
    assert get(member, issue=many["second"]) == ["Bob Brown", "Clara Cruz"]


def test_filter_by_stance_on_issue_and_on_any_issue(member, many):
    assert get(member, stance="champion", issue=many["issue"]) == ["Anna Adams"]
    assert get(member, stance="champion") == ["Anna Adams", "Bob Brown"]
    assert get(member, stance="opposed", issue=many["second"]) == []
    assert get(member, stance="supporter") == ["Casey Coordinator-Ally", "Clara Cruz"]


def test_filter_by_region_and_combination(member, many):
    assert get(member, region="Portland") == ["Bob Brown", "Clara Cruz"]
    assert get(member, region="portland", kind="medical") == ["Clara Cruz"]
    assert get(member, region="Salem", stance="champion") == ["Anna Adams"]


def test_other_chapters_issue_id_is_ignored(member, many, world):
    assert get(member, issue=world["beta"]["issue_id"]) == ALL


def test_sorting(member, many):
    assert get(member, sort="influence")[:3] == ["Bob Brown", "Dan Doe", "Clara Cruz"]
    newest = [n for n in get(member, sort="newest") if n in MINE]
    assert newest == ["Eve 100% Evans", "Dan Doe", "Clara Cruz", "Bob Brown", "Anna Adams"]
    assert get(member, sort="nonsense") == ALL


MINE = {"Anna Adams", "Bob Brown", "Clara Cruz", "Dan Doe", "Eve 100% Evans"}


def test_sort_by_kind_groups_kinds(member, many):
    kinds = {"Anna Adams": "patient", "Bob Brown": "patient", "Casey Coordinator-Ally": "medical",
             "Clara Cruz": "medical", "Dan Doe": "regulator", "Eve 100% Evans": "patient_org",
             "Morgan Member": "other"}
    got = get(member, sort="kind")
    assert [kinds[n] for n in got] == sorted(kinds[n] for n in got)


def test_pagination_keeps_filters(app_factory, client, auth):
    app = app_factory(ALLIES_PER_PAGE=2)
    client = app.test_client()
    with app.app_context():
        world = factories.build_world(db.session)
        ch = db.session.get(Chapter, world["alpha"]["chapter_id"])
        for i in range(5):
            factories.ally(db.session, ch, f"Patient {i}", "patient")
        db.session.commit()
    client.post("/login", data={"email": world["alpha"]["member"],
                                "password": factories.PASSWORD})
    first = client.get("/c/alpha/allies/?kind=patient&q=patient")
    html = first.get_data(as_text=True)
    assert names(first) == ["Patient 0", "Patient 1"]
    assert "Page 1 of 3 (5 in all)" in html
    link = re.search(r'href="([^"]+)" rel="next"', html).group(1).replace("&amp;", "&")
    assert "kind=patient" in link and "q=patient" in link and "page=2" in link
    second = client.get(link)
    assert names(second) == ["Patient 2", "Patient 3"]
    last = client.get("/c/alpha/allies/?kind=patient&q=patient&page=3")
    assert names(last) == ["Patient 4"]
    assert names(client.get("/c/alpha/allies/?kind=patient&page=99")) == []


def test_list_does_not_query_per_row(app, member, many, world):
    with app.app_context():
        engine = db.engine
    statements = []

    def count(*args, **kwargs):
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", count)
    try:
        member.get("/c/alpha/allies/")
        few = len(statements)
        with app.app_context():
            ch = db.session.get(Chapter, world["alpha"]["chapter_id"])
            issue = db.session.get(Issue, many["issue"])
            for i in range(10):
                a = factories.ally(db.session, ch, f"Zed {i}", "patient")
                factories.stance(db.session, a, issue, "supporter")
            db.session.commit()
        statements.clear()
        member.get("/c/alpha/allies/")
        assert len(statements) == few
    finally:
        event.remove(engine, "before_cursor_execute", count)
