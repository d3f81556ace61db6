"""The association through its pages: profiles and campaigns (staff), a chapter linking,
sharing and joining, introductions asked, accepted and declined, leaving; what each visitor
sees. The world (tests/factories.py): alpha's issue is in the campaign "Visit caps
everywhere"; beta links its insurer and shares its decision maker but has not joined; omega
(no members) asked alpha for an introduction to Dana Decider."""
from __future__ import annotations

import html as html_lib
import re
from datetime import date

import pytest
from sqlalchemy import select

from coalition.models import AuditEntry, Issue
from coalition.models.association import (
    CampaignIssue,
    CampaignNote,
    InsurerProfile,
    Introduction,
)
from coalition.models.outreach import EvidenceCount, Task
from coalition.platform.extensions import db


def text(response) -> str:
    return html_lib.unescape(response.get_data(as_text=True))


def plain(response) -> str:
    """The page's words as a person reads them: no tags, single spaces."""
    words = re.sub(r"<[^>]+>", " ", text(response))
    return re.sub(r"\s+", " ", words).replace(" :", ":").replace(" .", ".").replace(" ,", ",")


def flashes(page: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", m).strip()
            for m in re.findall(r'<p class="flash[^"]*">(.*?)</p>', page, re.S)]


def campaign_url(world) -> str:
    return f"/association/campaigns/{world['alpha']['campaign_id']}"


def rows(app, stmt):
    with app.app_context():
        found = list(db.session.scalars(stmt))
        db.session.expunge_all()
    return found


def join(client, world, slug="beta"):
    return client.post(f"/c/{slug}/association/join", data={
        "campaign_id": world["alpha"]["campaign_id"], "issue_id": world[slug]["issue_id"]})


# --- staff ---------------------------------------------------------------------------

def test_staff_add_a_profile_and_start_a_campaign_on_it(app, client, auth, world):
    auth.login(world["admin"])
    response = client.post("/association/profiles/new", data={
        "name": "Cascade Mutual", "parent_company": "Cascade Group", "states": "Oregon, Idaho"})
    assert response.status_code == 302
    profile = rows(app, select(InsurerProfile).where(InsurerProfile.name == "Cascade Mutual"))[0]
    page = text(client.get(response.headers["Location"]))
    assert "Profile of Cascade Mutual added." in flashes(page)
    assert "Cascade Group" in page and "No chapter has shared a contact yet." in page
    response = client.post("/association/campaigns/new", data={
        "title": "Fee cut of 15 %", "profile_id": profile.id, "status": "active",
        "policy": "A 15 % cut in every state from January."})
    page = text(client.get(response.headers["Location"]))
    assert "Campaign “Fee cut of 15 %” started." in flashes(page)
    assert "0 chapters take part" in page
    dashboard = plain(client.get("/association/"))
    assert "Fee cut of 15 %" in dashboard and "Cascade Mutual: no chapter has an open issue with it." in dashboard


def test_a_second_profile_with_the_same_name_is_refused_and_keeps_what_was_typed(client, auth, world):
    auth.login(world["admin"])
    page = text(client.post("/association/profiles/new", data={
        "name": "national health plan", "parent_company": "Typed Parent Inc."}))
    assert "The association already has a profile with this name." in page
    assert 'value="Typed Parent Inc."' in page


def test_an_edit_based_on_an_old_version_saves_nothing_and_shows_both(app, client, auth, world):
    auth.login(world["admin"])
    url = f"/association/profiles/{world['alpha']['profile_id']}/edit"
    page = text(client.post(url, data={"name": "National Health Plan", "states": "Utah",
                                       "version": "0"}))
    assert "Saved values and yours" in page and "Utah" in page
    assert rows(app, select(InsurerProfile.states))[0] == "Oregon, Washington"


# --- what each chapter sees ----------------------------------------------------------

def test_a_chapter_not_in_the_campaign_sees_what_it_is_and_how_to_join_but_no_figures(client, auth, world):
    auth.login(world["beta"]["coordinator"])
    page = text(client.get(campaign_url(world)))
    assert "1 chapter takes part" in page
    assert "Alpha Chapter" not in page and "Chapters taking part" not in page
    assert "Beta Chapter: the issue that joins" in page  # beta's open issue may join


def test_joining_shows_the_other_chapters_figures_and_is_recorded(app, client, auth, world):
    auth.login(world["beta"]["coordinator"])
    response = join(client, world)
    page = text(client.get(response.headers["Location"]))
    assert flashes(page) == ["Beta Chapter takes part in “Visit caps everywhere”. The other chapters "
                             "see your stage, score and largest gap, never your allies."]
    assert "2 chapters take part" in page
    table = page[page.index('id="chapters-h"'):page.index('id="contacts-h"')]
    assert "Alpha Chapter" in table and "Beta Chapter" in table
    entries = rows(app, select(CampaignIssue).where(CampaignIssue.chapter_id == world["beta"]["chapter_id"]))
    assert len(entries) == 1 and entries[0].joined_by_id is not None
    assert rows(app, select(AuditEntry.action).where(
        AuditEntry.chapter_id == world["beta"]["chapter_id"], AuditEntry.entity_type == "Campaign")) == ["joined"]
    trail = plain(client.get("/c/beta/audit"))
    assert "joined the campaign “Visit caps everywhere”" in trail


def test_a_member_cannot_join_for_the_chapter(client, auth, world):
    auth.login(world["beta"]["member"])
    assert join(client, world).status_code == 403


def test_leaving_keeps_the_dated_row_and_the_timeline_says_so(app, client, auth, world):
    auth.login(world["alpha"]["coordinator"])
    page = text(client.get(campaign_url(world)))
    assert "Leave the campaign (Alpha Chapter)" in page and "data-confirm=" in page
    asked = text(client.post("/c/alpha/association/leave", data={"campaign_id": world["alpha"]["campaign_id"]}))
    assert "Take Alpha Chapter out of “Visit caps everywhere”?" in asked and "join again at any time" in asked
    assert rows(app, select(CampaignIssue.left_at)) == [None]
    response = client.post("/c/alpha/association/leave", data={
        "campaign_id": world["alpha"]["campaign_id"], "confirmed": "yes"})
    page = text(client.get(response.headers["Location"]))
    assert "Alpha Chapter left “Visit caps everywhere”. Join again at any time" in flashes(page)[0]
    assert "0 chapters take part" in page and "Alpha Chapter: the issue that joins" in page
    entry = rows(app, select(CampaignIssue))[0]
    assert entry.left_at is not None and entry.left_by_id is not None
    auth.logout()
    auth.login(world["admin"])
    timeline = text(client.get(campaign_url(world)))
    timeline = timeline[timeline.index('id="timeline-h"'):]
    assert "Alpha Chapter: Left the campaign" in timeline and "Alpha Chapter: Joined the campaign" in timeline


# --- introductions -------------------------------------------------------------------

def test_accepting_an_introduction_plans_a_task_only_the_accepting_chapter_sees(app, client, auth, world):
    alpha = world["alpha"]
    auth.login(alpha["coordinator"])
    overview = plain(client.get("/c/alpha/association/"))
    assert "Omega Chapter asks for an introduction to Dana Decider (Visit caps everywhere)" in overview
    response = client.post(f"/c/alpha/association/introductions/{alpha['intro_id']}/accept",
                           data={"reply": "Happy to."})
    assert response.status_code == 302 and "/c/alpha/outreach/tasks/" in response.headers["Location"]
    intro = rows(app, select(Introduction))[0]
    assert (intro.status, intro.reply) == ("accepted", "Happy to.") and intro.task_id
    task = rows(app, select(Task).where(Task.id == intro.task_id))[0]
    assert task.chapter_id == alpha["chapter_id"] and task.contact_id == alpha["boss_contact_id"]
    assert task.issue_id == alpha["issue_id"] and task.status == "planned"
    assert task.title == "Introduction for Omega Chapter: reach Dana Decider about “" + \
        rows(app, select(Issue.title).where(Issue.id == alpha["issue_id"]))[0] + "”"
    page = text(client.get(response.headers["Location"]))
    assert "Accepted. A task is planned in your chapter on your own path" in flashes(page)[0]
    auth.logout()
    auth.login(world["beta"]["coordinator"])
    assert client.get(f"/c/alpha/outreach/tasks/{task.id}").status_code == 404
    assert client.post(f"/c/beta/association/introductions/{alpha['intro_id']}/decline").status_code == 404


def test_asking_and_declining_both_sides_see_the_answer(app, client, auth, world):
    auth.login(world["beta"]["coordinator"])
    join(client, world)
    page = text(client.get(campaign_url(world)))
    # Alpha's member knows Reggie Relations, who reports to Dana Decider: a path, strength not names.
    reach = page[page.index('id="contacts-h"'):page.index('id="evidence-h"')]
    assert "Alpha Chapter: a" in reach and "Ask Alpha Chapter for an introduction" in reach
    assert "Reggie" not in reach and "Morgan" not in reach
    response = client.post("/c/beta/association/introductions/ask", data={
        "campaign_id": world["alpha"]["campaign_id"], "to_chapter_id": world["alpha"]["chapter_id"],
        "shared_contact_id": world["alpha"]["shared_contact_id"], "message": "Before our meeting?"})
    page = text(client.get(response.headers["Location"]))
    assert flashes(page) == ["Introduction to Dana Decider asked of Alpha Chapter. You will see their "
                             "answer on your chapter's association page."]
    again = client.post("/c/beta/association/introductions/ask", data={
        "campaign_id": world["alpha"]["campaign_id"], "to_chapter_id": world["alpha"]["chapter_id"],
        "shared_contact_id": world["alpha"]["shared_contact_id"]})
    assert "it is waiting for their answer" in flashes(text(client.get(again.headers["Location"])))[0]
    intro = rows(app, select(Introduction).where(Introduction.from_chapter_id == world["beta"]["chapter_id"]))[0]
    auth.logout()
    auth.login(world["alpha"]["coordinator"])
    assert "Beta Chapter asks for an introduction" in plain(client.get("/c/alpha/association/"))
    client.post(f"/c/alpha/association/introductions/{intro.id}/decline", data={"reply": "Not this month."})
    auth.logout()
    auth.login(world["beta"]["coordinator"])
    overview = plain(client.get("/c/beta/association/"))
    mine = overview[overview.index("Asked by your chapter"):]
    assert "To Alpha Chapter: an introduction to Dana Decider" in mine
    assert "Declined" in mine and "Not this month." in mine


def test_a_chapter_outside_the_campaign_cannot_ask(client, auth, world):
    auth.login(world["beta"]["coordinator"])
    response = client.post("/c/beta/association/introductions/ask", data={
        "campaign_id": world["alpha"]["campaign_id"], "to_chapter_id": world["alpha"]["chapter_id"],
        "shared_contact_id": world["alpha"]["shared_contact_id"]})
    assert flashes(text(client.get(response.headers["Location"]))) == [
        "Join the campaign with one of your issues before asking for an introduction."]


# --- notes, evidence, sharing --------------------------------------------------------

def test_a_participating_coordinator_shares_a_note(app, client, auth, world):
    auth.login(world["alpha"]["coordinator"])
    client.post(f"/association/campaigns/{world['alpha']['campaign_id']}/notes",
                data={"body": "Their manual, section 4.2, names the rule."})
    page = text(client.get(campaign_url(world)))
    notes = page[page.index('id="notes-h"'):]
    assert "Their manual, section 4.2, names the rule." in notes and "Alpha Chapter," in notes
    assert rows(app, select(CampaignNote.chapter_id)) == [world["alpha"]["chapter_id"]]


def test_evidence_is_summed_by_kind_and_month_across_chapters(app, client, auth, world):
    with app.app_context():
        for slug, day, count in (("alpha", date(2026, 3, 20), 5), ("alpha", date(2026, 4, 2), 3),
                                 ("beta", date(2026, 3, 9), 11)):
            db.session.add(EvidenceCount(chapter_id=world[slug]["chapter_id"], issue_id=world[slug]["issue_id"],
                                         kind="denial", observed_on=day, count=count))
        db.session.commit()
    auth.login(world["beta"]["coordinator"])
    join(client, world)
    page = text(client.get(campaign_url(world)))
    evidence = page[page.index('id="evidence-h"'):page.index('id="timeline-h"')]
    cells = re.findall(r"<t[hd](?:\s[^>]*)?>(.*?)</t[hd]>", evidence)
    # By hand: March = 7 (alpha's world row) + 5 + 11 (beta) = 23; April = 3; total 26. The
    # world's beta row of 7 in March also counts: 23 + 7 = 30, total 33.
    assert cells[:4] == ["Kind", "Mar 2026", "Apr 2026", "Total"]
    assert cells[4:] == ["Claim denials", "30", "3", "33"]


def test_sharing_a_contact_needs_a_linked_insurer_and_the_right_role(app, client, auth, world):
    auth.login(world["alpha"]["coordinator"])
    response = client.post(f"/c/alpha/association/contacts/{world['alpha']['contact_id']}/share")
    assert flashes(text(client.get(response.headers["Location"]))) == [
        "Only decision makers and medical directors can be shared with the association."]
    overview = text(client.get("/c/alpha/association/"))
    assert "Stop sharing Dana Decider" in overview
    client.post(f"/c/alpha/association/contacts/{world['alpha']['boss_contact_id']}/unshare")
    assert "Share Dana Decider with the association" in text(client.get("/c/alpha/association/"))


@pytest.mark.parametrize("who", ["admin", "alpha", "beta"])
def test_no_ally_or_member_of_a_chapter_appears_on_the_association_pages(client, auth, world, who):
    auth.login(world["admin"] if who == "admin" else world[who]["coordinator"])
    if who == "beta":
        join(client, world)
    pages = "".join(text(client.get(url)) for url in (
        "/association/", campaign_url(world), "/association/profiles/",
        f"/association/profiles/{world['alpha']['profile_id']}"))
    for secret in ("Casey Coordinator-Ally", "Morgan Member", "Sam Signup", "casey-alpha@example.org",
                   "casey-beta@example.org", world["alpha"]["member"], world["beta"]["member"],
                   "Reggie Relations"):
        assert secret not in pages


def test_the_administrator_makes_someone_association_staff(app, client, auth, world):
    from coalition.models import User

    auth.login(world["admin"])
    page = text(client.get("/admin/users"))
    name = rows(app, select(User.name).where(User.id == world["alpha"]["user_id"]))[0]
    assert f"Make {name} association staff" in page
    client.post(f"/admin/users/{world['alpha']['user_id']}/association-staff", data={"staff": "yes"})
    assert rows(app, select(User.is_association_staff).where(User.id == world["alpha"]["user_id"])) == [True]
    auth.logout()
    auth.login(world["alpha"]["member"])  # now staff: the staff-only pages open
    assert client.get("/association/profiles/new").status_code == 200
    dashboard = plain(client.get("/association/"))
    assert "Insurers by the number of chapters with open issues" in dashboard


def test_association_staff_see_the_association_not_the_chapters(app, client, auth, world):
    from coalition.accounts import service as accounts
    from tests.factories import PASSWORD

    with app.app_context():
        staff = accounts.create_user(db.session, "policy@example.org", "Pat Policy", PASSWORD)
        staff.is_association_staff = True
        db.session.commit()
    auth.login("policy@example.org")
    assert client.get("/association/profiles/new").status_code == 200
    assert "Alpha Chapter" in plain(client.get(campaign_url(world)))
    for url in ("/c/alpha/", "/c/alpha/allies/", f"/c/alpha/issues/{world['alpha']['issue_id']}",
                "/c/alpha/association/"):
        assert client.get(url).status_code == 404, url


def test_sharing_builds_the_national_org_chart_from_the_chapters(app, client, auth, world):
    """Alpha's chart: Reggie Relations reports to Dana Decider. Alpha makes Reggie a medical
    director (shareable) and shares both: on the profile, Reggie reports to Dana."""
    from coalition.models import InsurerContact
    from coalition.models.association import SharedContact

    alpha = world["alpha"]
    with app.app_context():
        db.session.get(InsurerContact, alpha["contact_id"]).role = "medical_director"
        db.session.commit()
    auth.login(alpha["coordinator"])
    client.post(f"/c/alpha/association/contacts/{alpha['contact_id']}/share")
    people = {p.name: p for p in rows(app, select(SharedContact))}
    assert people["Reggie Relations"].reports_to_id == people["Dana Decider"].id
    assert people["Dana Decider"].reports_to_id is None
    page = plain(client.get(f"/association/profiles/{alpha['profile_id']}"))
    assert "Reggie Relations" in page and "reports to Dana Decider" in page
