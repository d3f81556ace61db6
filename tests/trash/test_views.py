"""Deleting through the pages: every route that deletes asks first (a page of its own when
the browser's dialog did not), and either offers Undo and the Trash or says why not; the Trash
page and restoring, scoped to the chapter and the person."""
from __future__ import annotations

import html as html_lib
import re

import pytest
from sqlalchemy import select

from coalition.models import Ally, Insurer, InsurerContact, Issue, IssueEvent, Membership, Relationship, Stance, User
from coalition.models.invitations import Invitation
from coalition.models.notices import CalendarLink
from coalition.models.outreach import EvidenceCount, Task
from coalition.models.tokens import PersonalAccessToken
from coalition.models.trash import TrashEntry
from coalition.platform.extensions import db
from coalition.trash.service import with_trash

YES = {"confirmed": "yes"}
DELETING = re.compile(r"delete|remove|revoke|reject|erase|deactivate|purge|withdraw")

# What each deleting route acts on: (url with world ids, who does it, the row, its model).
# The rows marked trash=True go to the Trash and can be undone.
TRASHED = {
    "issues.delete": ("/c/alpha/issues/{issue_id}/delete", Issue, "issue_id"),
    "issues.delete_event": ("/c/alpha/issues/events/{event_id}/delete", IssueEvent, "event_id"),
    "insurers.delete": ("/c/alpha/insurers/{empty_insurer_id}/delete", Insurer, "empty_insurer_id"),
    "insurers.delete_contact": ("/c/alpha/insurers/contacts/{contact_id}/delete", InsurerContact,
                                "contact_id"),
    "allies.delete": ("/c/alpha/allies/{ally_id}/delete", Ally, "ally_id"),
    "allies.delete_stance": ("/c/alpha/allies/stances/{stance_id}/delete", Stance, "stance_id"),
    "allies.reject": ("/c/alpha/allies/{pending_ally_id}/reject", Ally, "pending_ally_id"),
    "relationships.delete": ("/c/alpha/relationships/{relationship_id}/delete", Relationship,
                             "relationship_id"),
    "outreach.delete_task": ("/c/alpha/outreach/tasks/{task_id}/delete", Task, "task_id"),
    "outreach.delete_evidence": ("/c/alpha/outreach/evidence/{evidence_id}/delete", EvidenceCount,
                                 "evidence_id"),
}
# Routes that delete or switch off without the Trash, and why that is right.
NO_UNDO = {
    "members.remove": "A membership is access, not coalition data: the person registers again "
                      "and a coordinator approves them; the confirmation says so.",
    "tokens.revoke": "A revoked secret must never work again; the person issues a new token, "
                     "and the confirmation says so.",
    "outreach.revoke_calendar_link": "A turned-off secret address must never work again; the "
                                     "person makes a new link, and the confirmation says so.",
    "admin.deactivate": "Nothing is deleted: the same list reactivates the account, and the "
                        "confirmation says so.",
    "invitations.withdraw": "An invitation is access, not coalition data: inviting the address "
                            "again sends a new link; the confirmation says so.",
    "chapter_association.withdraw": "A request to another chapter, not coalition data: asking "
                                    "again sends a new one; the confirmation says so.",
    "privacy.erase": "Erasure on the person's request must be final and immediate; its own page "
                     "asks for a ticked confirmation and offers the data export first.",
}
# The API has no pages to ask on: its DELETEs move rows to the same Trash (API docs say so).
API = re.compile(r"^api\.")


def _urls(app):
    return {rule.endpoint for rule in app.url_map.iter_rules()
            if ({"POST", "DELETE"} & rule.methods) and DELETING.search(rule.endpoint)}


def test_every_deleting_route_is_listed_here(app):
    found = {e for e in _urls(app) if not API.match(e)}
    assert found == set(TRASHED) | set(NO_UNDO)


def _ids(app, world):
    from tests import factories

    ids = dict(world["alpha"])
    with app.app_context():
        chapter_id = ids["chapter_id"]
        from coalition.models import Chapter

        empty = factories.insurer(db.session, db.session.get(Chapter, chapter_id), "Empty Plan")
        db.session.commit()
        ids["empty_insurer_id"] = empty.id
    return ids


def _exists(app, model, ident, everything=False):
    with app.app_context():
        stmt = select(model).where(model.id == ident)
        return db.session.scalar(with_trash(stmt) if everything else stmt) is not None


def _text(response) -> str:
    return html_lib.unescape(response.get_data(as_text=True))


@pytest.mark.parametrize("endpoint", sorted(TRASHED))
def test_deleting_asks_first_then_offers_undo(app, client, auth, world, endpoint):
    ids = _ids(app, world)
    template, model, key = TRASHED[endpoint]
    url = template.format(**ids)
    auth.login(world["alpha"]["coordinator"])

    # Without a yes: the question on a page of its own, and nothing deleted.
    asked = client.post(url)
    assert asked.status_code == 200
    page = _text(asked)
    assert 'name="confirmed" value="yes"' in page
    question = re.search(r'<p class="lead">(.*?)</p>', page, re.S).group(1)
    assert question.endswith("?") and len(question) > 10
    assert "It stays in the Trash for 30 days" in page
    assert _exists(app, model, ids[key])

    # With it: gone from every page, in the Trash, and the next page offers Undo.
    done = client.post(url, data=YES)
    assert done.status_code == 302
    assert not _exists(app, model, ids[key]) and _exists(app, model, ids[key], everything=True)
    after = _text(client.get(done.headers["Location"]))
    undo = re.search(r'<form method="post" action="(/c/alpha/trash/(\d+)/restore)" '
                     r'class="flash flash-success flash-undo">.*?<span>(.*?)</span>', after, re.S)
    assert undo, after[:2000]
    assert undo.group(3).startswith("Deleted") or undo.group(3).startswith("The sign-up")

    restored = client.post(undo.group(1))
    assert restored.status_code == 302
    assert _exists(app, model, ids[key])
    assert "Restored " in _text(client.get(restored.headers["Location"]))


@pytest.mark.parametrize("endpoint", sorted(NO_UNDO))
def test_the_others_ask_first_and_say_how_to_reverse(app, client, auth, world, endpoint):
    alpha = world["alpha"]
    if endpoint == "admin.deactivate":
        auth.login(world["admin"])
        url = f"/admin/users/{alpha['user_id']}/deactivate"
    elif endpoint == "privacy.erase":
        auth.login(alpha["coordinator"])
        url = f"/c/alpha/allies/{alpha['ally_id']}/erase"
        refused = client.post(url, data={})  # the box is not ticked
        assert refused.status_code == 200 and "Tick the box to confirm." in _text(refused)
        assert _exists(app, Ally, alpha["ally_id"])
        return
    elif endpoint == "members.remove":
        auth.login(alpha["coordinator"])
        url = f"/c/alpha/members/{alpha['membership_id']}/remove"
    elif endpoint == "invitations.withdraw":
        auth.login(alpha["coordinator"])
        url = f"/c/alpha/members/invitations/{alpha['invitation_id']}/withdraw"
    elif endpoint == "chapter_association.withdraw":
        from coalition.models.association import Introduction

        with app.app_context():  # alpha asks omega (the world's chapter without members)
            asked = db.session.get(Introduction, alpha["intro_id"])
            mine = Introduction(campaign_id=asked.campaign_id, shared_contact_id=asked.shared_contact_id,
                                from_chapter_id=alpha["chapter_id"], to_chapter_id=asked.from_chapter_id)
            db.session.add(mine)
            db.session.commit()
            intro_id = mine.id
        auth.login(alpha["coordinator"])
        url = f"/c/alpha/association/introductions/{intro_id}/withdraw"
    elif endpoint == "outreach.revoke_calendar_link":
        auth.login(alpha["coordinator"])
        client.post("/c/alpha/outreach/calendar/new")
        url = "/c/alpha/outreach/calendar/revoke"
    else:
        auth.login(alpha["coordinator"])
        client.post("/c/alpha/tokens/", data={"name": "CRM sync", "scope": "read_write"})
        with app.app_context():
            token_id = db.session.scalar(select(PersonalAccessToken.id))
        url = "/c/alpha/tokens/revoke"
    data = {"token_id": token_id} if endpoint == "tokens.revoke" else {}

    asked = _text(client.post(url, data=data))
    assert 'name="confirmed" value="yes"' in asked
    assert re.search(r"again|reactivate|new one", asked)  # how to reverse it, said before
    with app.app_context():
        assert db.session.get(Membership, alpha["membership_id"]) is not None
        assert db.session.scalar(select(User.active).where(User.id == alpha["user_id"]))
        assert db.session.scalar(select(PersonalAccessToken.revoked_at)) is None
        assert db.session.scalar(select(Invitation.withdrawn_at).where(
            Invitation.id == alpha["invitation_id"])) is None
        if endpoint == "outreach.revoke_calendar_link":
            assert db.session.scalar(select(CalendarLink.id)) is not None
    assert client.post(url, data={**data, **YES}).status_code == 302


def test_the_trash_page_lists_and_restores(app, client, auth, world):
    alpha = world["alpha"]
    auth.login(alpha["coordinator"])
    client.post(f"/c/alpha/issues/{alpha['issue_id']}/delete", data=YES)
    page = _text(client.get("/c/alpha/trash/"))
    assert "2 deleted items can still be restored" in page
    assert ("The issue “12-visit annual cap”</strong>, with 1 history entry, 1 stance, 2 tasks "
            "and 1 evidence count") in page
    assert "Deleted by coord-alpha today" in page
    entry = re.search(r'action="/c/alpha/trash/(\d+)/restore"', page).group(1)  # newest first
    response = client.post(f"/c/alpha/trash/{entry}/restore")
    assert response.headers["Location"].endswith(f"/c/alpha/issues/{alpha['issue_id']}")
    page = _text(client.get("/c/alpha/trash/"))
    listed = page.split('<ul class="trash-list">')[1].split("</ul>")[0]
    assert "1 deleted item can still be restored" in page and "12-visit" not in listed
    client.post(f"/c/alpha/trash/{alpha['entry_id']}/restore")
    assert "The Trash is empty." in _text(client.get("/c/alpha/trash/"))


def test_other_chapters_and_other_members_cannot_reach_an_entry(app, client, auth, world):
    alpha = world["alpha"]
    auth.login(alpha["member"])  # Morgan removes a relationship they declared
    client.post(f"/c/alpha/relationships/{alpha['own_relationship_id']}/delete", data=YES)
    with app.app_context():
        mine = db.session.scalar(select(TrashEntry.id).where(TrashEntry.kind == "relationship"))
    auth.logout()
    auth.login(alpha["coordinator"])
    client.post(f"/c/alpha/issues/{alpha['issue_id']}/delete", data=YES)
    with app.app_context():
        coordinators = db.session.scalar(select(TrashEntry.id).where(TrashEntry.kind == "issue"))
    auth.logout()

    auth.login(world["beta"]["coordinator"])
    beta_page = _text(client.get("/c/beta/trash/"))
    assert "1 deleted item can still be restored" in beta_page  # beta's own "Old idea"
    assert f"/trash/{mine}/" not in beta_page and f"/trash/{coordinators}/" not in beta_page
    assert client.post(f"/c/beta/trash/{mine}/restore").status_code == 404
    assert client.post(f"/c/alpha/trash/{mine}/restore").status_code == 404  # not their chapter
    auth.logout()

    auth.login(alpha["member"])
    assert client.get("/c/alpha/trash/").status_code == 403  # the page is the coordinators'
    assert client.post(f"/c/alpha/trash/{coordinators}/restore").status_code == 404
    assert client.post(f"/c/alpha/trash/{mine}/restore").status_code == 302  # their own undo
    assert _exists(app, Relationship, alpha["own_relationship_id"])


def test_a_refused_restore_says_why(app, client, auth, world):
    alpha = world["alpha"]
    auth.login(alpha["coordinator"])
    client.post(f"/c/alpha/outreach/tasks/{alpha['task_id']}/delete", data=YES)
    client.post(f"/c/alpha/issues/{alpha['issue_id']}/delete", data=YES)
    with app.app_context():
        task_entry = db.session.scalar(select(TrashEntry.id).where(TrashEntry.kind == "task"))
    response = client.post(f"/c/alpha/trash/{task_entry}/restore", follow_redirects=True)
    assert "cannot be restored yet" in _text(response) and "Restore that first." in _text(response)
    assert not _exists(app, Task, alpha["task_id"])
