"""Public sign-up (honeypot, concurrency, consent notices), the ally data export, erasure
and the audit trail."""
from __future__ import annotations

import io
import json
import threading

import pytest
from sqlalchemy import func, select

from coalition.allies import consent as notices
from coalition.models import Ally, Chapter, Relationship, Stance
from coalition.models.outreach import Task
from coalition.models.security import AuditEntry, ConsentNotice, ErasedAlly, NoticeIsFinal
from coalition.platform.extensions import db
from tests.factories import PASSWORD


def _login(client, email):
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302


def _join(client, email="new.ally@example.org", **extra):
    data = {"name": "New Ally", "email": email, "kind": "patient", "consent": "y"}
    data.update(extra)
    return client.post("/join/alpha", data=data)


def _allies_with(app, email):
    with app.app_context():
        return db.session.scalar(select(func.count(Ally.id)).where(
            func.lower(Ally.email) == email.lower()))


# --- sign-up ------------------------------------------------------------------------------

def test_signup_records_the_exact_notice(app, client, world):
    page = client.get("/join/alpha").data.decode()
    with app.app_context():
        chapter = db.session.get(Chapter, world["alpha"]["chapter_id"])
        wording = notices.current_text(db.session, chapter)
    assert wording in page
    assert _join(client).status_code == 302
    with app.app_context():
        ally = db.session.scalar(select(Ally).where(Ally.email == "new.ally@example.org"))
        notice = db.session.get(ConsentNotice, ally.consent_notice_id)
        assert notice.text == wording and notice.version == 1
        assert ally.consent and ally.consent_at is not None
        assert ally.consent_method == "public sign-up form at /join/alpha"


def test_a_notice_in_use_is_superseded_not_edited(app, client, world):
    _join(client)
    with app.app_context():
        chapter = db.session.get(Chapter, world["alpha"]["chapter_id"])
        notice = notices.current(db.session, chapter)
        notice.text = "Something else entirely"
        with pytest.raises(NoticeIsFinal):
            db.session.commit()
        db.session.rollback()
        newer = notices.publish(db.session, chapter, "Version two of the wording.")
        db.session.commit()
        assert newer.version == 2
    assert "Version two of the wording." in client.get("/join/alpha").data.decode()
    _join(client, "second@example.org")
    with app.app_context():
        first = db.session.scalar(select(Ally).where(Ally.email == "new.ally@example.org"))
        second = db.session.scalar(select(Ally).where(Ally.email == "second@example.org"))
        assert db.session.get(ConsentNotice, first.consent_notice_id).version == 1
        assert db.session.get(ConsentNotice, second.consent_notice_id).version == 2


def test_honeypot_stores_nothing(app, client, world):
    response = _join(client, website="http://spam.example")
    assert response.status_code == 302
    assert _allies_with(app, "new.ally@example.org") == 0


def test_signing_up_twice_makes_one_ally(app, client, world):
    assert _join(client).status_code == 302
    assert _join(client, "NEW.Ally@example.org ").status_code == 302
    assert _allies_with(app, "new.ally@example.org") == 1


def test_two_signups_at_the_same_moment_make_one_ally(app, world):
    barrier = threading.Barrier(4)
    statuses = []

    def sign_up():
        client = app.test_client()
        barrier.wait()
        statuses.append(_join(client, "same.moment@example.org").status_code)

    threads = [threading.Thread(target=sign_up) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [302] * 4
    assert _allies_with(app, "same.moment@example.org") == 1


# --- consent and outreach -------------------------------------------------------------------

def test_no_outreach_task_without_consent(app, client, world):
    alpha = world["alpha"]
    with app.app_context():
        from tests import factories

        chapter = db.session.get(Chapter, alpha["chapter_id"])
        no_consent = factories.ally(db.session, chapter, "Sam Silent", consent=False).id
        db.session.commit()
    _login(client, alpha["coordinator"])
    data = {"kind": "call", "title": "Call Sam", "issue_id": alpha["issue_id"],
            "target": f"ally:{no_consent}", "status": "planned",
            "owner_member_id": alpha["coordinator_membership_id"], "due_on": "2026-12-01"}
    response = client.post("/c/alpha/outreach/tasks/new", data=data)
    assert response.status_code == 200
    assert b"has not consented to be contacted" in response.data
    assert b'value="Call Sam"' in response.data  # the typed values stay
    with app.app_context():
        assert db.session.scalar(select(func.count(Task.id)).where(
            Task.ally_id == no_consent)) == 0
    # With consent (Casey) the same form works.
    data["target"] = f"ally:{alpha['ally_id']}"
    assert client.post("/c/alpha/outreach/tasks/new", data=data).status_code == 302


# --- export and erasure ----------------------------------------------------------------------

def test_coordinator_downloads_everything_about_an_ally(client, world):
    alpha = world["alpha"]
    _login(client, alpha["coordinator"])
    response = client.get(f"/c/alpha/allies/{alpha['ally_id']}/data.json")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    data = json.loads(response.data)
    assert data["ally"]["name"] == "Casey Coordinator-Ally"
    assert data["ally"]["email"] == "casey-alpha@example.org"
    assert [s["stance"] for s in data["stances"]] == ["supporter"]
    assert [r["id"] for r in data["relationships"]] == [alpha["relationship_id"]]
    assert [t["id"] for t in data["touchpoints"]] == [alpha["touchpoint_id"]]
    assert [t["id"] for t in data["tasks"]] == [alpha["task_id"]]
    assert data["consent"]["given"] is True
    assert "beta" not in response.data.decode().lower().replace("alphabet", "")


def test_erasure_removes_everything_and_keeps_a_keyed_hash(app, client, world):
    alpha = world["alpha"]
    _login(client, alpha["coordinator"])
    assert client.get(f"/c/alpha/allies/{alpha['ally_id']}/erase").status_code == 200
    response = client.post(f"/c/alpha/allies/{alpha['ally_id']}/erase", data={"confirm": "y"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Ally, alpha["ally_id"]) is None
        assert db.session.get(Stance, alpha["stance_id"]) is None
        assert db.session.get(Relationship, alpha["relationship_id"]) is None
        assert db.session.get(Task, alpha["task_id"]) is None
        hashes = db.session.scalars(select(ErasedAlly.email_hash)).all()
        assert len(hashes) == 1 and "casey" not in hashes[0] and len(hashes[0]) == 64
        actions = db.session.scalars(select(AuditEntry.action).where(
            AuditEntry.entity_type == "Ally", AuditEntry.entity_id == alpha["ally_id"])).all()
        assert "erased" in actions
    assert client.get(f"/c/alpha/allies/{alpha['ally_id']}").status_code == 404
    # Gone from the map data and the exports.
    for url in ("/c/alpha/map/data.json", "/c/alpha/map/export",
                "/c/alpha/map/export?include_contact_details=1"):
        body = client.get(url).data
        assert b"Casey Coordinator-Ally" not in body and b"casey-alpha" not in body, url
    # A later sign-up is accepted politely but stores nothing.
    public = app.test_client()
    response = _join(public, "Casey-Alpha@example.org")
    assert response.status_code == 302
    assert _allies_with(app, "casey-alpha@example.org") == 0
    # And an import flags the row.
    csv = b"Name,Email\nCasey Again,casey-alpha@example.org\nNew Person,new.person@example.org\n"
    response = client.post("/c/alpha/imports/", data={
        "kind": "allies", "file": (io.BytesIO(csv), "allies.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).data.decode()
    assert "erased on request — skipped" in page
    assert "1 new" in page


def test_members_cannot_export_or_erase(client, world):
    alpha = world["alpha"]
    _login(client, alpha["member"])
    assert client.get(f"/c/alpha/allies/{alpha['ally_id']}/data.json").status_code == 403
    assert client.post(f"/c/alpha/allies/{alpha['ally_id']}/erase",
                       data={"confirm": "y"}).status_code == 403


# --- audit trail ----------------------------------------------------------------------------

def test_changes_are_audited_with_field_names_only(app, client, world):
    alpha = world["alpha"]
    _login(client, alpha["coordinator"])
    with app.app_context():
        ally = db.session.get(Ally, alpha["ally_id"])
        ally.phone = "555-0199"
        ally.notes = "Secret note about Casey"
        db.session.commit()
        entry = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "changed", AuditEntry.entity_type == "Ally")
            .order_by(AuditEntry.id.desc())).first()
        assert entry.field_list == ["notes", "phone"]
        assert entry.chapter_id == alpha["chapter_id"]
        everything = " ".join(f"{e.action} {e.entity_type} {e.fields}"
                              for e in db.session.scalars(select(AuditEntry)))
        assert "555-0199" not in everything and "Secret" not in everything
        assert "casey" not in everything.lower()
    page = client.get("/c/alpha/audit").data.decode()
    assert "notes, phone" in page


def test_exports_are_audited(app, client, world):
    _login(client, world["alpha"]["coordinator"])
    assert client.get("/c/alpha/map/export").status_code == 200
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "exported")).one()
        assert entry.entity_type == "network.export"
        assert entry.chapter_id == world["alpha"]["chapter_id"]


def test_audit_text_is_cleaned_and_escaped(app, client, world):
    from coalition.privacy import audit

    with app.app_context():
        audit.record(db.session, "changed\r\nFAKE admin logged in",
                     "Ally\n<script>alert(1)</script>", 1, world["alpha"]["chapter_id"],
                     fields=["notes\r\nforged", "<img src=x onerror=alert(1)>"])
        db.session.commit()
        entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        for text in (entry.action, entry.entity_type, entry.fields):
            assert "\r" not in text and "\n" not in text
    _login(client, world["alpha"]["coordinator"])
    page = client.get("/c/alpha/audit", query_string={"action": ""}).data.decode()
    assert "<script>alert(1)</script>" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page


def test_audit_filters_and_pages(app, client, world):
    _login(client, world["alpha"]["coordinator"])
    response = client.get("/c/alpha/audit", query_string={"action": "created",
                                                           "entity_type": "Task"})
    assert response.status_code == 200
    page = response.data.decode()
    assert "added the task" in page and "the insurer" not in page
    assert client.get("/c/alpha/audit?page=999").status_code == 200
    # Beta's trail stays in beta.
    with app.app_context():
        beta_ids = {world["beta"]["task_id"], world["beta"]["own_task_id"]}
    assert all(f"/tasks/{i}\"" not in page for i in beta_ids - {world["alpha"]["task_id"],
                                                                 world["alpha"]["own_task_id"]})
