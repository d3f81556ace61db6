"""A save that changes nothing is quiet, on every edit form: it writes no audit row, does not
bump the chapter's data version, and says "No changes to save."

Each case opens an edit page as a person who may use it, reads the form exactly as the page
renders it (every field with its shown value, as a browser sends it: see
``tests.html_forms``) and posts it back untouched. The rows are first filled in the way
other paths store them (multi-line notes with plain LF line breaks as the API and imports
keep them, every optional field set), so values that differ only in form (CR LF against LF,
"" against None, "3" against 3, a date against its text) show up as a change here.

``test_every_edit_route_is_walked`` holds the list against the URL map: a new route that
takes a POST must be walked here, or be listed with the reason it is not an edit.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import func, select, update

from coalition.models import (
    Ally,
    Chapter,
    Insurer,
    InsurerContact,
    Issue,
    IssueEvent,
    Relationship,
    Stance,
)
from coalition.models.outreach import Task
from coalition.models.security import AuditEntry, ConsentNotice
from coalition.platform.extensions import db
from coalition.platform.forms import NO_CHANGES
from tests import html_forms
from tests.factories import PASSWORD

MULTILINE = "First line of the note.\nSecond line, after a plain LF.\n\nA paragraph."


# --- the state a quiet save must leave alone --------------------------------------------

def snapshot(app, chapter_id: int) -> tuple[int, int]:
    """(audit rows of the chapter and of no chapter, the chapter's data version)."""
    with app.app_context():
        audits = db.session.scalar(select(func.count(AuditEntry.id)))
        version = db.session.scalar(select(Chapter.data_version)
                                    .where(Chapter.id == chapter_id))
        db.session.remove()
    return audits, version


def login(client, email: str) -> None:
    client.post("/logout")
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, "log-in failed"


def flashes(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", m).strip()
            for m in re.findall(r'<p class="flash[^"]*">(.*?)</p>', html, re.S)]


def set_values(app, model, ident: int, **values) -> None:
    """Store values as other paths do (the API, an import), outside any form."""
    with app.app_context():
        db.session.execute(update(model).where(model.id == ident).values(**values))
        db.session.commit()
        db.session.remove()


# --- the rows, filled in ------------------------------------------------------------------

def fill_ally(app, w, key="ally_id"):
    set_values(app, Ally, w[key], organisation="Oregon Medical Society", title="Board chair",
               phone="+1 503 555 0100", notes=MULTILINE, tags="physician, board",
               consent=True, consent_method="signed form", consent_at=date(2026, 5, 3),
               is_organisation=False, region="Portland")
    with app.app_context():  # a region is one of the chapter's list (an import adds it so)
        from coalition.allies import regions
        regions.adopt(db.session, w["chapter_id"], "Portland")
        db.session.commit()
        db.session.remove()


def fill_relationship(app, w, key="relationship_id"):
    set_values(app, Relationship, w[key], since=date(2020, 4, 1),
               last_contact=date(2026, 9, 30), notes=MULTILINE, strength=4)


def fill_insurer(app, w):
    set_values(app, Insurer, w["insurer_id"], plan_types="HMO, PPO", regions="Oregon, Idaho",
               website="https://health.example.org/plans", notes=MULTILINE)


def fill_profile(app, w):
    from coalition.models.association import InsurerProfile

    set_values(app, InsurerProfile, w["profile_id"], parent_company="National Group",
               lines_of_business="Commercial, Medicare Advantage", notes=MULTILINE)


def fill_campaign(app, w):
    from coalition.models.association import Campaign

    set_values(app, Campaign, w["campaign_id"], policy=MULTILINE, talking_points="One.\nTwo.",
               status="active")


def fill_contact(app, w, key="contact_id"):
    set_values(app, InsurerContact, w[key], title="Network manager",
               department="Provider relations", topics="fee schedule, prior authorisation",
               email="reggie@health.example.org", phone="555 0101", notes=MULTILINE)


def fill_issue(app, w):
    set_values(app, Issue, w["issue_id"], description=MULTILINE, desired_outcome="No cap.",
               fallback="A cap of 30 visits.\nReviewed yearly.",
               coverage_gap_regions="Harney, Malheur", unique_services="Pelvic-floor PT",
               stage="negotiation")


def close_issue(app, w):
    set_values(app, Issue, w["issue_id"], stage="resolved_partial",
               closed_on=date(2026, 6, 30))


def fill_event(app, w):
    set_values(app, IssueEvent, w["event_id"], kind="meeting", details=MULTILINE)


def fill_task(app, w, key="task_id"):
    set_values(app, Task, w[key], status="in_progress", outcome="interested",
               outcome_notes=MULTILINE, follow_up="Call again in May.\nBring the figures.")


def ownerless_task(app, w):
    """A task planned along an access path whose links have no active owner."""
    fill_task(app, w)
    set_values(app, Task, w["task_id"], owner_member_id=None, path_key="member:1>ally:1")


def ownerless_relationship(app, w):
    """A relationship whose declaring member left the chapter (the link is kept, unowned)."""
    fill_relationship(app, w)
    set_values(app, Relationship, w["relationship_id"], owner_member_id=None)


def plain_stance(app, w):
    set_values(app, Stance, w["stance_id"], notes=None, stance="supporter")


def stored_notice(app, w):
    with app.app_context():
        db.session.add(ConsentNotice(chapter_id=w["chapter_id"], version=1,
                                     text="I agree to be contacted.\nI can ask to be removed."))
        db.session.commit()
        db.session.remove()


def nothing(app, w):
    pass


def switched_off(app, w):
    """Some e-mail notices off, some on."""
    from coalition.models import User
    from coalition.models.mail import MailOptOut

    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == w["coordinator"]))
        db.session.add_all([MailOptOut(user_id=user_id, category="digest"),
                            MailOptOut(user_id=user_id, category="signups")])
        db.session.commit()
        db.session.remove()


# --- the cases ----------------------------------------------------------------------------

@dataclass
class Case:
    id: str
    endpoint: str  # the endpoint the form posts to
    who: str  # coordinator | member
    page: Callable[[dict], str]  # the page showing the form
    prepare: Callable = nothing
    action: Callable[[dict], str] | None = None  # the form's action, when not the page itself


A = "/c/alpha"
CASES = [
    Case("ally-coordinator", "allies.edit", "coordinator",
         lambda w: f"{A}/allies/{w['ally_id']}/edit", fill_ally),
    Case("ally-own-member", "allies.edit", "member",
         lambda w: f"{A}/allies/{w['own_ally_id']}/edit",
         lambda app, w: fill_ally(app, w, "own_ally_id")),
    Case("stance-on-ally-page", "allies.set_stance", "coordinator",
         lambda w: f"{A}/allies/{w['ally_id']}", plain_stance,
         action=lambda w: f"{A}/allies/{w['ally_id']}/stances"),
    Case("relationship-coordinator", "relationships.edit", "coordinator",
         lambda w: f"{A}/relationships/{w['relationship_id']}/edit", fill_relationship),
    Case("relationship-without-owner", "relationships.edit", "coordinator",
         lambda w: f"{A}/relationships/{w['relationship_id']}/edit", ownerless_relationship),
    Case("relationship-own-member", "relationships.edit", "member",
         lambda w: f"{A}/relationships/{w['own_relationship_id']}/edit",
         lambda app, w: fill_relationship(app, w, "own_relationship_id")),
    Case("relationship-from-ally-page", "relationships.edit", "coordinator",
         lambda w: f"{A}/relationships/{w['relationship_id']}/edit"
                   f"?next={A}/allies/{w['ally_id']}", fill_relationship),
    Case("insurer", "insurers.edit", "coordinator",
         lambda w: f"{A}/insurers/{w['insurer_id']}/edit", fill_insurer),
    Case("contact-with-manager", "insurers.edit_contact", "coordinator",
         lambda w: f"{A}/insurers/contacts/{w['contact_id']}/edit", fill_contact),
    Case("contact-at-the-top", "insurers.edit_contact", "coordinator",
         lambda w: f"{A}/insurers/contacts/{w['boss_contact_id']}/edit",
         lambda app, w: fill_contact(app, w, "boss_contact_id")),
    Case("issue-open", "issues.edit", "coordinator",
         lambda w: f"{A}/issues/{w['issue_id']}/edit", fill_issue),
    Case("issue-closed", "issues.edit", "coordinator",
         lambda w: f"{A}/issues/{w['issue_id']}/edit",
         lambda app, w: (fill_issue(app, w), close_issue(app, w))),
    Case("history-entry", "issues.edit_event", "coordinator",
         lambda w: f"{A}/issues/events/{w['event_id']}/edit", fill_event),
    Case("task-coordinator", "outreach.edit_task", "coordinator",
         lambda w: f"{A}/outreach/tasks/{w['task_id']}/edit", fill_task),
    Case("task-own-member", "outreach.edit_task", "member",
         lambda w: f"{A}/outreach/tasks/{w['own_task_id']}/edit",
         lambda app, w: fill_task(app, w, "own_task_id")),
    Case("task-without-owner", "outreach.edit_task", "coordinator",
         lambda w: f"{A}/outreach/tasks/{w['task_id']}/edit", ownerless_task),
    Case("consent-notice-default", "main.consent_notice", "coordinator",
         lambda w: f"{A}/consent"),
    Case("consent-notice-stored", "main.consent_notice", "coordinator",
         lambda w: f"{A}/consent", stored_notice),
    Case("mail-settings-member", "mail.settings", "member", lambda w: "/account/email"),
    Case("region-rename", "regions.edit", "coordinator", lambda w: f"{A}/regions/{w['region_id']}"),
    Case("mail-settings-coordinator", "mail.settings", "coordinator",
         lambda w: "/account/email", switched_off),
    # The association's records, edited by its staff (the administrator here).
    Case("insurer-profile", "association.edit_profile", "admin",
         lambda w: f"/association/profiles/{w['profile_id']}/edit", fill_profile),
    Case("campaign", "association.edit_campaign", "admin",
         lambda w: f"/association/campaigns/{w['campaign_id']}/edit", fill_campaign),
]

# Routes that change something when used again with the same values only by repetition
# (their forms always ask for a change): a second, identical post must be quiet.
REPEATED = {
    "members.set_role": "each button asks for the other role; pressed twice (two tabs, "
                        "a double click) the second changes nothing",
    "outreach.tick": "each button ticks or unticks; pressed twice the second changes nothing",
    "outreach.set_status": "each card button asks for another status; pressed twice (or a card "
                           "dropped back) the second changes nothing",
    "admin.coordinators": "appointing someone who already coordinates changes nothing",
    "admin.association_staff": "each button asks for the other state; pressed twice the second changes nothing",
    "chapter_association.link": "linking the insurer to the profile it is linked to changes nothing",
    "chapter_association.share": "sharing a contact already shared changes nothing",
    "chapter_association.unshare": "a contact no longer shared stays so",
    "chapter_association.leave": "a chapter that has left stays out (the button asks first)",
}

# POST routes that are not edits of a saved row, and why.
NOT_EDITS = {
    "regions.index": "adds a region",
    "regions.merge": "merges one region into another (asks first)",
    "outreach.new_calendar_link": "makes a new secret calendar link (a button; asks first if one exists)",
    "outreach.revoke_calendar_link": "turns the calendar link off (a button that asks first)",
    "admin.chapters": "creates a chapter",
    "admin.deactivate": "an account action (button), recorded as such",
    "admin.reactivate": "an account action (button), recorded as such",
    "allies.approve": "a decision on a sign-up (button)",
    "allies.create": "creates an ally",
    "auth.change_password": "the form is empty by design: a password is never shown again",
    "auth.forgot_password": "sends a link; changes no row of a chapter",
    "auth.login": "logs in",
    "auth.logout": "logs out",
    "auth.register": "creates an account",
    "auth.reset_password": "sets a new password from an e-mailed link",
    "auth.setup": "the first run's set-up",
    "imports.commit": "writes the import's rows",
    "mail.unsubscribe": "a button that switches one kind of e-mail off (the link in a mail)",
    "imports.index": "uploads a file",
    "insurers.create": "creates an insurer",
    "insurers.create_contact": "creates a contact",
    "issues.add_event": "adds a history entry",
    "issues.create": "opens an issue",
    "invitations.accept": "creates an account or a membership from an e-mailed link",
    "invitations.create": "sends invitations",
    "invitations.resend": "sends a new link (button)",
    "members.approve": "a decision on a membership (button)",
    "network.save_layout": "JSON sent by the map page's script, not a form; the same "
                           "positions store the same text, which writes nothing",
    "outreach.add_evidence": "adds an evidence count",
    "outreach.change_stage": "an action: every move writes a history entry; the form "
                             "starts from a prompt and the issue's own stage cannot be "
                             "chosen (posted anyway, it is refused beside the field)",
    "outreach.create_task": "plans a task",
    "outreach.log_touchpoint": "logs a touchpoint",
    "outreach.tasks_from_path": "plans tasks",
    "public.join": "a sign-up from the public page",
    "relationships.create": "declares a relationship",
    "tokens.create": "makes a token",
    "tokens.revoke": "revokes a token (button)",
    "association.new_profile": "adds an insurer profile",
    "association.new_campaign": "starts a campaign",
    "association.add_note": "shares a note with a campaign",
    "chapter_association.join": "an issue joins a campaign (a choice and a button), recorded",
    "chapter_association.ask": "asks another chapter for an introduction",
    "chapter_association.accept": "a decision on a request (button): plans a task",
    "chapter_association.decline": "a decision on a request (button)",
}
# Removing is not editing (and has its own work under way).
REMOVALS = re.compile(r"(^|[._])(delete|remove|erase|reject|purge|restore|trash|withdraw)")


def test_every_edit_route_is_walked(app):
    walked = {case.endpoint for case in CASES}
    unknown = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.endpoint.startswith("api."):
            continue
        name = rule.endpoint
        if name in walked or name in REPEATED or name in NOT_EDITS or REMOVALS.search(name):
            continue
        unknown.append(f"{name} ({rule.rule})")
    assert not unknown, (
        "POST routes with no quiet-save case: add a Case to CASES (an edit form), an entry "
        "to REPEATED, or the reason it is not an edit to NOT_EDITS: " + ", ".join(unknown))
    listed = set(REPEATED) | set(NOT_EDITS) | walked
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert listed <= endpoints, f"listed but gone: {sorted(listed - endpoints)}"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_an_unchanged_save_is_quiet(app, client, world, case):
    w = world["alpha"]
    case.prepare(app, w)
    login(client, world["admin"] if case.who == "admin" else w[case.who])
    page_url = case.page(w)
    page = client.get(page_url)
    assert page.status_code == 200, page.status_code
    action = html_forms.path("http://localhost" + case.action(w)) if case.action else None
    form = html_forms.find(page.get_data(as_text=True),
                           (action or page_url).split("?")[0],
                           url="http://localhost" + page_url)
    before = snapshot(app, w["chapter_id"])
    response = client.post(html_forms.path(form.action), data=form.data())
    assert response.status_code == 302, (
        f"the unchanged form was refused ({response.status_code}): "
        + "; ".join(re.findall(r'<p class="error"[^>]*>(.*?)</p>', response.get_data(as_text=True)))
        + f"\nsent: {form.entries()}")
    after_post = snapshot(app, w["chapter_id"])
    shown = flashes(client.get(response.headers["Location"]).get_data(as_text=True))
    assert after_post[0] == before[0], "an unchanged save wrote audit rows: " + audit_tail(
        app, after_post[0] - before[0])
    assert after_post[1] == before[1], "an unchanged save bumped the chapter's data version"
    assert shown == [NO_CHANGES], shown


def audit_tail(app, n: int) -> str:
    with app.app_context():
        rows = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())
                                  .limit(max(n, 0))).all()
        text = "; ".join(f"{r.action} {r.entity_type} {r.entity_id} [{r.fields}]" for r in rows)
        db.session.remove()
    return text


# --- the same change twice --------------------------------------------------------------

def _post_twice(app, client, chapter_id, url, data) -> list[str]:
    """Post ``data`` twice; the second post must write nothing. Its messages."""
    first = client.post(url, data=data)
    assert first.status_code == 302
    client.get(first.headers["Location"])  # shows (and so clears) the first message
    before = snapshot(app, chapter_id)
    second = client.post(url, data=data)
    assert second.status_code == 302
    assert snapshot(app, chapter_id) == before
    return flashes(client.get(second.headers["Location"]).get_data(as_text=True))


def test_the_same_role_twice_is_quiet(app, client, world):
    w = world["alpha"]
    login(client, w["coordinator"])
    page = client.get(f"{A}/members/").get_data(as_text=True)
    url = f"{A}/members/{w['membership_id']}/role"
    form = html_forms.find(page, url)
    assert form.data()["role"] == "coordinator"
    assert _post_twice(app, client, w["chapter_id"], url, form.data()) == [NO_CHANGES]


def test_the_same_tick_twice_is_quiet(app, client, world):
    w = world["alpha"]
    login(client, w["coordinator"])
    page = client.get(f"{A}/issues/{w['issue_id']}/plan").get_data(as_text=True)
    url = f"{A}/outreach/issues/{w['issue_id']}/checklist"
    form = html_forms.find(page, url)
    assert form.data()["done"] == "1"
    assert _post_twice(app, client, w["chapter_id"], url, form.data()) == [NO_CHANGES]


def test_appointing_a_coordinator_again_is_quiet(app, client, world):
    login(client, world["admin"])
    url = f"/admin/chapters/{world['alpha']['chapter_id']}/coordinators"
    form = html_forms.find(client.get(url).get_data(as_text=True), url,
                           url="http://localhost" + url)
    data = form.data(email=world["alpha"]["member"])
    assert _post_twice(app, client, world["alpha"]["chapter_id"], url, data) == [NO_CHANGES]


# --- a change is still a change, written once ------------------------------------------

def test_a_changed_task_is_one_write_and_says_so(app, client, world):
    """Changing a task's title and target is one audit row and one data version (the
    target's look-up used to flush the task half-assigned: one row more per save)."""
    w = world["alpha"]
    login(client, w["coordinator"])
    url = f"{A}/outreach/tasks/{w['task_id']}/edit"
    form = html_forms.find(client.get(url).get_data(as_text=True), url,
                           url="http://localhost" + url)
    before = snapshot(app, w["chapter_id"])
    response = client.post(url, data=form.data(title="Call Casey again",
                                                target=f"contact:{w['contact_id']}"))
    assert response.status_code == 302
    assert snapshot(app, w["chapter_id"]) == (before[0] + 1, before[1] + 1)
    assert audit_tail(app, 1) == f"changed Task {w['task_id']} [ally_id,contact_id,title]"
    assert flashes(client.get(response.headers["Location"]).get_data(as_text=True)) == [
        "Task “Call Casey again” saved."]
    with app.app_context():
        task = db.session.get(Task, w["task_id"])
        assert (task.ally_id, task.contact_id, task.owner_member_id) == (
            None, w["contact_id"], w["coordinator_membership_id"])


def test_a_contacts_manager_travels_as_the_pickers_value_and_clearing_it_is_one_write(app, client, world):
    """The "Reports to" picker sends "contact:<id>": unchanged it is quiet (the case
    contact-with-manager); emptied, the manager is cleared in one write."""
    w = world["alpha"]
    login(client, w["coordinator"])
    url = f"{A}/insurers/contacts/{w['contact_id']}/edit"
    form = html_forms.find(client.get(url).get_data(as_text=True), url, url="http://localhost" + url)
    assert form.data()["reports_to_id"] == f"contact:{w['boss_contact_id']}"
    before = snapshot(app, w["chapter_id"])
    assert client.post(url, data=form.data(reports_to_id="")).status_code == 302
    assert snapshot(app, w["chapter_id"]) == (before[0] + 1, before[1] + 1)
    assert audit_tail(app, 1) == f"changed InsurerContact {w['contact_id']} [reports_to_id]"
    with app.app_context():
        assert db.session.get(InsurerContact, w["contact_id"]).reports_to_id is None


def test_a_line_break_change_alone_is_no_change_but_words_are(app, client, world):
    """CR LF against LF is the same text; other words are a change."""
    w = world["alpha"]
    fill_insurer(app, w)
    login(client, w["coordinator"])
    url = f"{A}/insurers/{w['insurer_id']}/edit"
    form = html_forms.find(client.get(url).get_data(as_text=True), url,
                           url="http://localhost" + url)
    assert "\r\n" in form.data()["notes"]
    before = snapshot(app, w["chapter_id"])
    response = client.post(url, data=form.data(notes=MULTILINE.replace("\n", "\r\n") + "\r\n"))
    assert snapshot(app, w["chapter_id"]) == before
    response = client.post(url, data=form.data(notes=MULTILINE + "\nA new line."))
    assert response.status_code == 302
    assert snapshot(app, w["chapter_id"]) == (before[0] + 1, before[1] + 1)
    with app.app_context():
        assert db.session.get(Insurer, w["insurer_id"]).notes.endswith("A new line.")


@pytest.mark.parametrize(("stored", "assigned", "same"), [
    ("a\nb", "a\r\nb", True), ("a\r\nb", "a\nb", True), ("a\rb", "a\nb", True),
    (None, "", True), ("", None, True), (3, "3", True), ("3", 3, True),
    (date(2026, 1, 15), "2026-01-15", True),
    ("a b", "a  b", False), ("a", "A", False), (None, "x", False), (3, "4", False),
    (True, 1, False), (0, "", False), (date(2026, 1, 15), "2026-01-16", False),
])
def test_same_meaning(stored, assigned, same):
    from coalition.models.tracking import same_meaning

    assert same_meaning(stored, assigned) is same


def test_the_same_map_layout_twice_writes_nothing(app, client, world):
    """The map page's script saves positions as JSON (no form, so no message): the same
    positions again store nothing."""
    w = world["alpha"]
    login(client, w["coordinator"])
    body = {"positions": {f"ally:{w['ally_id']}": {"x": 1.5, "y": -2}}}
    assert client.post(f"{A}/map/layout", json=body).status_code == 200
    before = snapshot(app, w["chapter_id"])
    assert client.post(f"{A}/map/layout", json=body).status_code == 200
    assert snapshot(app, w["chapter_id"]) == before
