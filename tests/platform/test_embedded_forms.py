"""Every form embedded in another page works the first time, as the page renders it.

A form shown inside another page (the quick adds on an ally's page, the stage, checklist,
evidence and path forms on an issue's page, the role buttons, the token form…) is built by
that page's view, but checked by the view it posts to. When the two disagree — choices built
differently on GET and on POST, a field the embedded form does not send, a default that is
not a valid choice — the person's first save is refused with an error they cannot make sense
of ("Declared by: Not a valid choice" on the relationship quick-add was one).

Each case opens the host page as a person who uses the form, reads the form exactly as
rendered (``tests.html_forms``: only the fields it holds, with their default or selected
values), adds only what the person types in its text fields, or picks from a select that
starts with a "Choose…" prompt (always one of the options rendered), posts it, and checks
that the save went through the first time and made the row it should.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import func, select

from coalition.leverage.analysis import cache
from coalition.models import (
    Ally,
    Chapter,
    Issue,
    IssueEvent,
    Membership,
    Relationship,
    Stance,
)
from coalition.models.imports import ImportJob
from coalition.models.outreach import EvidenceCount, PreparationTick, Task, Touchpoint
from coalition.models.tokens import PersonalAccessToken
from coalition.platform.extensions import db
from tests import factories, html_forms
from tests.factories import PASSWORD

A = "/c/alpha"


def login(client, email: str) -> None:
    client.post("/logout")
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, "log-in failed"


def scalar(app, stmt):
    with app.app_context():
        value = db.session.scalar(stmt)
        db.session.remove()
    return value


def errors_in(html: str) -> list[str]:
    found = re.findall(r'<p class="(?:error|flash flash-error)"[^>]*>(.*?)</p>', html, re.S)
    return [re.sub(r"<[^>]+>", "", e).strip() for e in found]


# --- preparing the world ------------------------------------------------------------------

def nothing(app, w):
    pass


def link_casey_to_dana(app, w):
    """An access path coordinator -> Casey -> Dana (the decision maker) in the analysis."""
    with app.app_context():
        chapter = db.session.get(Chapter, w["chapter_id"])
        owner = db.session.get(Membership, w["membership_id"])
        factories.relationship(db.session, chapter, ("ally", w["ally_id"]),
                               ("contact", w["boss_contact_id"]), strength=5, owner=owner)
        db.session.commit()
        cache.issue(w["chapter_id"], w["issue_id"])  # what the issue page shows
        db.session.remove()


# --- what each save must have made ----------------------------------------------------------

def stance_on(key: str, issue_key: str = "issue_id"):
    def check(app, w, typed):
        assert scalar(app, select(Stance.stance).where(
            Stance.ally_id == w[key], Stance.issue_id == w[issue_key])) == "supporter"
    return check


def relationship_from(end: str):
    def check(app, w, typed):
        assert scalar(app, select(func.count(Relationship.id)).where(
            Relationship.chapter_id == w["chapter_id"],
            Relationship.a_ally_id == int(end.format(**w).split(":")[1]),
            Relationship.b_contact_id == w["contact_id"])) == 1
    return check


def event_made(app, w, typed):
    assert scalar(app, select(IssueEvent.kind).where(
        IssueEvent.summary == typed["summary"])) == "note"


def stage_moved(app, w, typed):
    assert scalar(app, select(Issue.stage).where(Issue.id == w["issue_id"])) != \
        "relationship_building"
    assert scalar(app, select(IssueEvent.details).where(
        IssueEvent.kind == "stage_change")) == typed["reason"]


def ticked(app, w, typed):
    assert scalar(app, select(func.count(PreparationTick.id)).where(
        PreparationTick.issue_id == w["issue_id"])) == 1


def path_planned(app, w, typed):
    assert scalar(app, select(func.count(Task.id)).where(
        Task.issue_id == w["issue_id"], Task.path_key.is_not(None))) == 2


def evidence_added(app, w, typed):
    assert scalar(app, select(EvidenceCount.count).where(
        EvidenceCount.issue_id == w["issue_id"], EvidenceCount.observed_on == date.today())
    ) == int(typed["count"])


def task_planned(app, w, typed):
    assert scalar(app, select(Task.issue_id).where(Task.title == typed["title"])) == \
        w["issue_id"]


def task_started(app, w, typed):
    assert scalar(app, select(Task.status).where(Task.id == w["task_id"])) == "in_progress"


def touchpoint_logged(app, w, typed):
    assert scalar(app, select(func.count(Touchpoint.id)).where(
        Touchpoint.summary == typed["summary"])) == 1


def made_coordinator(app, w, typed):
    assert scalar(app, select(Membership.role).where(
        Membership.id == w["membership_id"])) == "coordinator"


def token_made(app, w, typed):
    assert scalar(app, select(PersonalAccessToken.scope).where(
        PersonalAccessToken.name == typed["name"])) == "read"


def invited(app, w, typed):
    from coalition.models.invitations import Invitation

    assert scalar(app, select(Invitation.role).where(
        Invitation.email == typed["addresses"])) == "member"


def new_link_sent(app, w, typed):
    from coalition.models.invitations import Invitation

    assert scalar(app, select(Invitation.sent_at).where(Invitation.id == w["invitation_id"])) \
        > scalar(app, select(Invitation.created_at).where(Invitation.id == w["invitation_id"]))


def approved_ally(app, w, typed):
    assert scalar(app, select(Ally.status).where(Ally.id == w["pending_ally_id"])) == "active"


def approved_member(app, w, typed):
    assert scalar(app, select(Membership.status).where(
        Membership.id == w["pending_membership_id"])) == "active"


def calendar_link_made(app, w, typed):
    from coalition.models.notices import CalendarLink

    assert scalar(app, select(CalendarLink.user_id).where(
        CalendarLink.chapter_id == w["chapter_id"])) == w["user_id"]


def imported(app, w, typed):
    assert scalar(app, select(ImportJob.status).where(ImportJob.id == w["import_id"])) == "done"


def chapter_made(app, w, typed):
    assert scalar(app, select(Chapter.name).where(Chapter.slug == typed["slug"])) == \
        typed["name"]


def linked(app, w, typed):
    from coalition.models.association import ProfileLink

    assert scalar(app, select(ProfileLink.profile_id).where(
        ProfileLink.insurer_id == w["insurer_id"])) == w["profile_id"]


def unshared(app, w, typed):
    from coalition.models.association import ContactShare

    assert scalar(app, select(func.count(ContactShare.id)).where(
        ContactShare.contact_id == w["boss_contact_id"])) == 0


def accepted(app, w, typed):
    from coalition.models.association import Introduction

    assert scalar(app, select(Introduction.status).where(Introduction.id == w["intro_id"])) == "accepted"
    assert scalar(app, select(Task.contact_id).where(Task.title.like("Introduction for%"))) == \
        w["boss_contact_id"]


def noted(app, w, typed):
    from coalition.models.association import CampaignNote

    assert scalar(app, select(CampaignNote.chapter_id).where(CampaignNote.body == typed["body"])) == \
        w["chapter_id"]


def made_staff(app, w, typed):
    from coalition.models import User

    assert scalar(app, select(User.is_association_staff).where(User.id == w["user_id"])) is True


def appointed(app, w, typed):
    assert scalar(app, select(Membership.role).where(
        Membership.id == w["membership_id"])) == "coordinator"


# --- the embedded forms -------------------------------------------------------------------

@dataclass
class Embedded:
    id: str
    who: str  # coordinator | member | admin
    host: str  # the page, with {keys} of the world's alpha chapter
    action: str  # where its form posts
    typed: dict  # what the person types (text boxes) or picks (after a "Choose…" prompt)
    check: Callable
    prepare: Callable = nothing
    status: int = 302  # the answer to a save that went through
    index: int = 0  # which of the page's forms posting there


ALLY = A + "/allies/{ally_id}"
OWN_ALLY = A + "/allies/{own_ally_id}"
ISSUE = A + "/issues/{issue_id}"
# The parts of the issue's page the forms live on.
PLAN, EVIDENCE, HISTORY = ISSUE + "/plan", ISSUE + "/evidence", ISSUE + "/history"
CASES = [
    # the ally's page
    Embedded("stance-coordinator", "coordinator", OWN_ALLY, OWN_ALLY + "/stances", {},
             stance_on("own_ally_id")),
    Embedded("stance-member-own-ally", "member", OWN_ALLY, OWN_ALLY + "/stances", {},
             stance_on("own_ally_id")),
    Embedded("relationship-quick-add-coordinator", "coordinator", ALLY,
             A + "/relationships/new", {"b-q": "reggie", "b": "contact:{contact_id}"},
             relationship_from("ally:{ally_id}")),
    Embedded("relationship-quick-add-member", "member", ALLY, A + "/relationships/new",
             {"b-q": "reggie", "b": "contact:{contact_id}"}, relationship_from("ally:{ally_id}")),
    Embedded("relationship-quick-add-member-own-ally", "member", OWN_ALLY,
             A + "/relationships/new", {"b-q": "reggie", "b": "contact:{contact_id}"},
             relationship_from("ally:{own_ally_id}")),
    # "More details (dates, notes)…" from the ally's page: the full form, prefilled
    Embedded("relationship-more-details-coordinator", "coordinator",
             A + "/relationships/new?a=ally:{ally_id}&next=/c/alpha/allies/{ally_id}",
             A + "/relationships/new", {"b-q": "reggie", "b": "contact:{contact_id}"},
             relationship_from("ally:{ally_id}")),
    Embedded("relationship-more-details-member", "member",
             A + "/relationships/new?a=ally:{ally_id}&next=/c/alpha/allies/{ally_id}",
             A + "/relationships/new", {"b-q": "reggie", "b": "contact:{contact_id}"},
             relationship_from("ally:{ally_id}")),
    # the issue's page
    Embedded("history-entry-coordinator", "coordinator", HISTORY, ISSUE + "/events",
             {"summary": "Called the medical director"}, event_made),
    Embedded("history-entry-member", "member", HISTORY, ISSUE + "/events",
             {"summary": "Met the network manager"}, event_made),
    Embedded("stage-move", "coordinator", PLAN, A + "/outreach/issues/{issue_id}/stage",
             {"stage": "preparation", "reason": "The insurer agreed to meet."}, stage_moved),
    Embedded("stage-move-own-page", "coordinator", A + "/outreach/issues/{issue_id}/stage",
             A + "/outreach/issues/{issue_id}/stage",
             {"stage": "preparation", "reason": "The insurer agreed to meet."}, stage_moved),
    Embedded("checklist-tick", "coordinator", PLAN,
             A + "/outreach/issues/{issue_id}/checklist", {}, ticked),
    Embedded("tasks-from-path", "coordinator", PLAN,
             A + "/outreach/issues/{issue_id}/tasks-from-path", {}, path_planned,
             prepare=link_casey_to_dana),
    Embedded("evidence-coordinator", "coordinator", EVIDENCE,
             A + "/outreach/issues/{issue_id}/evidence", {"count": "12"}, evidence_added),
    Embedded("evidence-member", "member", EVIDENCE,
             A + "/outreach/issues/{issue_id}/evidence", {"count": "4"}, evidence_added),
    # "Plan a task for this issue" from the issue's page
    Embedded("task-for-issue-coordinator", "coordinator",
             A + "/outreach/tasks/new?issue_id={issue_id}", A + "/outreach/tasks/new",
             {"title": "Ask Dr Lee to write"}, task_planned),
    Embedded("task-for-issue-member", "member",
             A + "/outreach/tasks/new?issue_id={issue_id}", A + "/outreach/tasks/new",
             {"title": "Write to the commissioner"}, task_planned),
    # touchpoints, from "My tasks" and the cultivate list
    # the task board: a card's first button ("Start")
    Embedded("task-status-board", "coordinator", A + "/outreach/board",
             A + "/outreach/tasks/{task_id}/status", {}, task_started),
    Embedded("touchpoint-coordinator", "coordinator", A + "/outreach/touchpoints/new",
             A + "/outreach/touchpoints/new",
             {"relationship_id": "{relationship_id}", "summary": "Coffee after the meeting"},
             touchpoint_logged),
    Embedded("touchpoint-member", "member", A + "/outreach/touchpoints/new",
             A + "/outreach/touchpoints/new",
             {"summary": "A call about the cap"},  # their only relationship is chosen
             touchpoint_logged),
    Embedded("touchpoint-about-an-ally", "coordinator",
             A + "/outreach/touchpoints/new?ally_id={ally_id}",
             A + "/outreach/touchpoints/new",
             {"summary": "Coffee after the meeting"},  # the ally's only relationship is chosen
             touchpoint_logged),
    # lists with a form per row, and pages with a form beside a list
    Embedded("role-button", "coordinator", A + "/members/",
             A + "/members/{membership_id}/role", {}, made_coordinator),
    Embedded("approve-member", "coordinator", A + "/members/",
             A + "/members/{pending_membership_id}/approve", {}, approved_member),
    Embedded("invite-people", "coordinator", A + "/members/", A + "/members/invitations/",
             {"addresses": "new-person@example.org"}, invited),
    Embedded("resend-invitation", "coordinator", A + "/members/",
             A + "/members/invitations/{invitation_id}/resend", {}, new_link_sent),
    Embedded("approve-sign-up", "coordinator", A + "/allies/pending",
             A + "/allies/{pending_ally_id}/approve", {}, approved_ally),
    Embedded("token-coordinator", "coordinator", A + "/tokens/", A + "/tokens/",
             {"name": "CRM sync"}, token_made, status=200),
    Embedded("token-member", "member", A + "/tokens/", A + "/tokens/",
             {"name": "Spreadsheet"}, token_made, status=200),
    # The first link: nothing to replace, so no question; the new link is shown at once.
    Embedded("calendar-link", "member", A + "/outreach/mine", A + "/outreach/calendar/new",
             {}, calendar_link_made, status=200),
    Embedded("import-commit", "coordinator", A + "/imports/{import_id}",
             A + "/imports/{import_id}/commit", {}, imported),
    Embedded("new-chapter", "admin", "/admin/chapters", "/admin/chapters",
             {"name": "Idaho Chapter", "slug": "idaho"}, chapter_made),
    # the chapter's association page and a campaign's page
    Embedded("link-insurer-to-profile", "coordinator", A + "/association/",
             A + "/association/insurers/{insurer_id}/link", {}, linked),
    Embedded("stop-sharing-a-contact", "coordinator", A + "/association/",
             A + "/association/contacts/{boss_contact_id}/unshare", {}, unshared),
    Embedded("accept-an-introduction", "coordinator", A + "/association/",
             A + "/association/introductions/{intro_id}/accept", {}, accepted),
    Embedded("campaign-note", "coordinator", "/association/campaigns/{campaign_id}",
             "/association/campaigns/{campaign_id}/notes", {"body": "Section 4.2 names the rule."}, noted),
    Embedded("make-association-staff", "admin", "/admin/users",
             "/admin/users/{user_id}/association-staff", {}, made_staff),
    Embedded("appoint-coordinator", "admin", "/admin/chapters/{chapter_id}/coordinators",
             "/admin/chapters/{chapter_id}/coordinators", {"email": "member-alpha@example.org"},
             appointed),
]


# Embedded forms that only remove something (a button and a confirmation, no field to get
# wrong; removals have their own work under way; withdrawing an invitation is one) and the
# log-out button of every page.
# Deactivating an account asks first like a removal (tests/trash/test_views.py); so does a
# chapter leaving a campaign (tests/association/test_views.py).
NOT_CASES = re.compile(
    r"(^|[._])(delete|remove|erase|reject|revoke|purge|restore|trash|logout|deactivate|withdraw|leave)")


def _endpoint(adapter, url: str, method: str) -> str:
    return adapter.match(html_forms.path(url).split("?")[0], method=method)[0]


def test_every_embedded_form_has_a_case(app, client, world):
    """Every page of the URL map, opened as a coordinator (the administrator's as the
    administrator): each form posting to another route than the page's own must have a
    case here (or be a removal or the log-out button)."""
    w = world["alpha"]
    adapter = app.url_map.bind("localhost")
    covered = {_endpoint(adapter, c.action.format(**w), "POST") for c in CASES}
    assert len({c.id for c in CASES}) == len(CASES)
    missing = set()
    for admin in (False, True):
        login(client, world["admin"] if admin else w["coordinator"])
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint.startswith(("api.", "static")) or \
                    rule.endpoint.startswith("admin.") != admin or rule.arguments - set(w):
                continue
            with app.test_request_context():
                from flask import url_for

                url = url_for(rule.endpoint, **{k: w[k] for k in rule.arguments})
            response = client.get(url)
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            for form in html_forms.forms(response.get_data(as_text=True),
                                         url="http://localhost" + url):
                if form.method != "post":
                    continue
                target = _endpoint(adapter, form.action, "POST")
                if target != rule.endpoint and target not in covered and \
                        not NOT_CASES.search(target):
                    missing.add(f"{target} (on {rule.endpoint})")
    assert not missing, f"embedded forms without a case: {sorted(missing)}"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_an_embedded_form_works_the_first_time(app, client, world, case):
    w = world["alpha"]
    ids = dict(w, chapter_id=w["chapter_id"])
    case.prepare(app, w)
    login(client, world["admin"] if case.who == "admin" else w[case.who])
    host = case.host.format(**ids)
    page = client.get(host)
    assert page.status_code == 200, page.status_code
    form = html_forms.find(page.get_data(as_text=True), case.action.format(**ids),
                           url="http://localhost" + host, index=case.index)
    typed = {name: value.format(**ids) for name, value in case.typed.items()}
    # A picker (coalition.picker) without JavaScript: type part of the name in its search box
    # and press its Find button; the form comes back with what was typed and the matches.
    finds = [n for n in typed if n.endswith("-q")]
    for q_name in finds:
        q = typed.pop(q_name)
        found = client.post(html_forms.path(form.action),
                            data=form.data(**{q_name: q, "find": q_name[:-2]}))
        assert found.status_code == 200 and not errors_in(found.get_data(as_text=True)), found.status_code
        form = html_forms.find(found.get_data(as_text=True), case.action.format(**ids), url=form.action)
    shown = dict(form.entries())
    for name, value in typed.items():
        control = form.control(name)  # only fields the form holds
        if control.tag == "select" and f"{name}-q" not in finds:  # picked after a prompt
            assert shown[name] == "", f"{name} has a default ({shown[name]}): keep it"
            assert value in control.choices, f"{name}={value} is not offered"
    missing = set(form.required_text_fields) - set(typed)
    assert not missing, f"the case types nothing in the required {missing}"
    response = client.post(html_forms.path(form.action), data=form.data(**typed))
    body = response.get_data(as_text=True)
    if response.status_code == 302:
        body = client.get(response.headers["Location"]).get_data(as_text=True)
    assert response.status_code == case.status and not errors_in(body), (
        f"refused the first time ({response.status_code}): {errors_in(body)}; "
        f"sent {form.entries()} + {typed}")
    case.check(app, w, typed)


def test_a_sign_up_waiting_for_approval_offers_no_relationship_form(app, client, world):
    """The quick-add on a pending sign-up's page was always refused ("Not a valid choice"
    on its hidden "From": only the chapter's allies are choices). It is offered once the
    sign-up is approved, and then works the first time."""
    w = world["alpha"]
    login(client, w["coordinator"])
    page = client.get(f"{A}/allies/{w['pending_ally_id']}").get_data(as_text=True)
    assert "/relationships/new" not in page
    assert "Relationships can be added once the sign-up is approved." in page
    assert client.post(f"{A}/allies/{w['pending_ally_id']}/approve").status_code == 302
    page = client.get(f"{A}/allies/{w['pending_ally_id']}").get_data(as_text=True)
    form = html_forms.find(page, f"{A}/relationships/new")
    response = client.post(html_forms.path(form.action),
                           data=form.data(b=f"contact:{w['contact_id']}"))
    assert response.status_code == 302
    relationship_from("ally:{pending_ally_id}")(app, w, {})


def test_a_path_button_plans_the_path_it_shows_after_the_analysis_changed(app, client, world):
    """The "plan the chain" buttons pointed at a path by its place in the list; once the
    chapter changed, the analysis read when the button is pressed may list the paths in
    another order, and another path was planned than the one on the button."""
    w = world["alpha"]
    link_casey_to_dana(app, w)
    login(client, w["coordinator"])
    page = client.get(f"{A}/issues/{w['issue_id']}/plan").get_data(as_text=True)
    buttons = re.findall(r"Plan \d tasks?<span class=\"visually-hidden\">: ([^<]*)</span></button>", page)
    first = html_forms.find(page, f"{A}/outreach/issues/{w['issue_id']}/tasks-from-path")
    shown = buttons[0]
    # The coordinator now knows the decision maker directly: a shorter path comes first.
    with app.app_context():
        chapter = db.session.get(Chapter, w["chapter_id"])
        coordinator = db.session.get(Membership, w["coordinator_membership_id"])
        factories.relationship(db.session, chapter, ("member", coordinator.id),
                               ("contact", w["boss_contact_id"]), strength=5, owner=coordinator)
        db.session.commit()
        fresh = cache.issue(w["chapter_id"], w["issue_id"])
        db.session.remove()
    target = next(t for t in fresh["targets"] if t["node"] == first.data()["target"])
    assert len(target["paths"][0]["hops"]) == 1, "the new path should come first"
    response = client.post(html_forms.path(first.action), data=first.data())
    assert response.status_code == 302
    with app.app_context():
        titles = db.session.scalars(select(Task.title).where(Task.path_key.is_not(None))
                                    .order_by(Task.due_on)).all()
    stops = [name.strip() for name in shown.split("→")[1:]]
    assert len(titles) == len(stops), f"planned {titles} for the button “{shown}”"
    assert all(stop in title for stop, title in zip(stops, titles, strict=True)), (
        f"planned {titles} for the button “{shown}”")


def test_the_stage_form_asks_for_a_stage_and_keeps_the_reason(app, client, world):
    """Left at its prompt, the stage form says what is missing and keeps what was typed;
    the issue's own stage is shown but cannot be chosen."""
    w = world["alpha"]
    login(client, w["coordinator"])
    page = client.get(f"{A}/issues/{w['issue_id']}/plan").get_data(as_text=True)
    form = html_forms.find(page, f"{A}/outreach/issues/{w['issue_id']}/stage")
    assert "relationship_building" not in form.control("stage").choices  # disabled: now
    response = client.post(html_forms.path(form.action), data=form.data(reason="Met them."))
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and errors_in(body) == ["Choose the stage to move to."]
    assert "Met them." in body
    assert scalar(app, select(Issue.stage).where(Issue.id == w["issue_id"])) == \
        "relationship_building"
