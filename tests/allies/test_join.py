"""The chapter's public sign-up page."""
from __future__ import annotations

import re
from datetime import date

from sqlalchemy import func, select

from coalition.models import Ally, Chapter, Issue, Stance
from coalition.platform.extensions import db
from tests import factories
from tests.allies.test_records import login


def sign_up(client, slug="alpha", **over):
    data = {"name": "Jo Public", "email": "Jo@Example.net", "kind": "patient",
            "region": "Eugene", "organisation": "", "knows": "Dr. Lee at Valley Clinic",
            "consent": "y"}
    data.update(over)
    return client.post(f"/join/{slug}", data={k: v for k, v in data.items() if v is not None})


def allies_with(app, email):
    with app.app_context():
        rows = db.session.scalars(select(Ally).where(func.lower(Ally.email) == email)).all()
        for r in rows:
            r.stance_values = sorted((s.issue_id, s.stance) for s in r.stances)
            db.session.expunge(r)
        return rows


def test_page_shows_chapter_intro_open_issues_and_unticked_consent(app, client, world):
    with app.app_context():
        ch = db.session.get(Chapter, world["alpha"]["chapter_id"])
        ch.public_intro = "We fight the visit caps together."
        issue = db.session.get(Issue, world["alpha"]["issue_id"])
        factories.issue(db.session, issue.insurer, "Old closed fight", closed_on=date(2025, 1, 1))
        db.session.commit()
    html = client.get("/join/alpha").get_data(as_text=True)
    assert "Alpha Chapter" in html and "We fight the visit caps together." in html
    assert "12-visit annual cap" in html and "Old closed fight" not in html
    consent = re.search(r'<input[^>]*name="consent"[^>]*>', html).group(0)
    assert "checked" not in consent
    assert "may contact me" in html and "Without" not in html


def test_unknown_slug_is_404(client, world):
    assert client.get("/join/nowhere").status_code == 404
    assert client.post("/join/nowhere", data={"name": "x"}).status_code == 404
    assert client.get("/join/nowhere/thanks").status_code == 404


def test_sign_up_creates_pending_ally_with_consent_and_stances(app, client, world):
    alpha = world["alpha"]
    response = sign_up(client, issues=[str(alpha["issue_id"]), str(world["beta"]["issue_id"])])
    assert response.status_code == 302 and response.headers["Location"].endswith("/join/alpha/thanks")
    assert "Thank you" in client.get(response.headers["Location"]).get_data(as_text=True)
    [ally] = allies_with(app, "jo@example.net")
    # "Eugene" is none of the chapter's regions: it waits in the notes for the coordinator.
    assert (ally.chapter_id, ally.status, ally.name, ally.kind, ally.region) == (
        alpha["chapter_id"], "pending", "Jo Public", "patient", None)
    assert "Lives or works in: Eugene" in ally.notes
    assert ally.consent and ally.consent_at is not None
    assert ally.consent_method == "public sign-up form at /join/alpha"
    assert "Dr. Lee at Valley Clinic" in ally.notes and "Whom I know" in ally.notes
    assert ally.user_id is None
    # Beta's issue id was ignored.
    assert ally.stance_values == [(alpha["issue_id"], "supporter")]
    with app.app_context():
        assert db.session.scalar(select(func.count(Stance.id)).where(
            Stance.issue_id == world["beta"]["issue_id"])) == 1  # only beta's own


def test_consent_is_required_and_values_are_kept(app, client, world):
    response = sign_up(client, consent=None, issues=[str(world["alpha"]["issue_id"])])
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="consent-error"' in html and "Without your consent" in html
    assert 'value="Jo Public"' in html and 'value="Jo@Example.net"' in html
    assert "Dr. Lee at Valley Clinic" in html
    issue_id = world["alpha"]["issue_id"]
    assert re.search(rf'<input checked id="issues-0" name="issues" type="checkbox" value="{issue_id}">', html)
    assert allies_with(app, "jo@example.net") == []


def test_bad_email_is_a_form_error(app, client, world):
    html = sign_up(client, email="nope").get_data(as_text=True)
    assert 'id="email-error"' in html and 'value="nope"' in html


def test_same_email_again_updates_the_one_ally(app, client, world):
    alpha = world["alpha"]
    with app.app_context():
        issue = db.session.get(Issue, alpha["issue_id"])
        second = factories.issue(db.session, issue.insurer, "15% fee cut").id
        db.session.commit()
    assert sign_up(client, issues=[str(alpha["issue_id"])]).status_code == 302
    again = sign_up(client, email="  JO@example.NET ", name="Jo P.", issues=[str(second)])
    assert again.status_code == 302
    [ally] = allies_with(app, "jo@example.net")
    assert ally.stance_values == sorted([(alpha["issue_id"], "supporter"), (second, "supporter")])
    # An existing active ally with this e-mail: no second record, stances updated,
    # a champion stays a champion.
    sign_up(client, email="casey-alpha@example.org", issues=[str(alpha["issue_id"]), str(second)])
    [casey] = allies_with(app, "casey-alpha@example.org")
    assert casey.status == "active" and casey.name == "Casey Coordinator-Ally"
    assert casey.stance_values == sorted([(alpha["issue_id"], "supporter"), (second, "supporter")])


def test_same_email_in_another_chapter_is_another_ally(app, client, world):
    sign_up(client, slug="alpha")
    sign_up(client, slug="beta")
    assert sorted(a.chapter_id for a in allies_with(app, "jo@example.net")) == sorted(
        [world["alpha"]["chapter_id"], world["beta"]["chapter_id"]])


def test_logged_in_member_is_linked(app, client, world):
    login(client, world["alpha"]["member"])
    sign_up(client, email="morgan-own@example.org")
    [ally] = allies_with(app, "morgan-own@example.org")
    with app.app_context():
        from coalition.models import Membership
        member = db.session.get(Membership, world["alpha"]["membership_id"])
        assert ally.user_id == member.user_id
    # A member of another chapter is not linked.
    client.post("/logout")
    login(client, world["beta"]["member"])
    sign_up(client, email="beta-person@example.org")
    [other] = allies_with(app, "beta-person@example.org")
    assert other.user_id is None


def test_pending_sign_up_is_not_in_the_list_until_approved(app, client, world):
    sign_up(client, email="new@example.net", name="Newcomer Nia")
    [ally] = allies_with(app, "new@example.net")
    login(client, world["alpha"]["coordinator"])
    assert "Newcomer Nia" not in client.get("/c/alpha/allies/").get_data(as_text=True)
    pending = client.get("/c/alpha/allies/pending").get_data(as_text=True)
    assert "Newcomer Nia" in pending and "Dr. Lee" in pending
    assert client.post(f"/c/alpha/allies/{ally.id}/approve").status_code == 302
    assert "Newcomer Nia" in client.get("/c/alpha/allies/").get_data(as_text=True)
    assert "Newcomer Nia" not in client.get("/c/alpha/allies/pending").get_data(as_text=True)


def test_reject_deletes_pending_only(app, client, world):
    alpha = world["alpha"]
    login(client, alpha["coordinator"])
    assert client.post(f"/c/alpha/allies/{alpha['pending_ally_id']}/reject",
                       data={"confirmed": "yes"}).status_code == 302
    # An active ally is not deleted by "reject".
    response = client.post(f"/c/alpha/allies/{alpha['ally_id']}/reject",
                           data={"confirmed": "yes"}, follow_redirects=True)
    assert "not waiting for approval" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Ally, alpha["pending_ally_id"]) is None
        assert db.session.get(Ally, alpha["ally_id"]) is not None


def test_members_cannot_approve(app, client, world):
    login(client, world["alpha"]["member"])
    assert client.post(f"/c/alpha/allies/{world['alpha']['pending_ally_id']}/approve"
                       ).status_code == 403
    assert client.get("/c/alpha/allies/pending").status_code == 403


def test_a_sign_up_in_a_listed_region_gets_that_region(app, client, world):
    from coalition.allies import regions

    with app.app_context():
        regions.add(db.session, world["alpha"]["chapter_id"], "Eugene Area")
        db.session.commit()
    sign_up(client, region="  eugene   area ")
    [ally] = allies_with(app, "jo@example.net")
    assert ally.region == "Eugene Area" and "Lives or works in" not in (ally.notes or "")
