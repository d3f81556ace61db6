"""The invitation service: reading a pasted list, inviting, the link's single use and expiry,
resending and withdrawing."""
from __future__ import annotations

import email
import email.policy
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from coalition.accounts import invitations
from coalition.accounts import service as accounts
from coalition.models import Chapter, Membership
from coalition.models.invitations import Invitation
from coalition.platform.extensions import db
from tests import factories


def outbox(app) -> list:
    folder = Path(app.instance_path) / "outbox"
    return [email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
            for p in sorted(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns)]


def link_in(message) -> str:
    text = message.get_body(("plain",)).get_content()
    return re.search(r"http://localhost(/invitations/\S+)", text).group(1)


def token_of(path: str) -> str:
    return path.rsplit("/", 1)[1]


@pytest.fixture
def ctx(app, world):
    """A request context (links are absolute), with alpha and its coordinator."""
    with app.test_request_context():
        chapter = db.session.scalar(select(Chapter).where(Chapter.slug == "alpha"))
        coordinator = accounts.find_user(db.session, world["alpha"]["coordinator"])
        yield chapter, coordinator
        db.session.remove()


def invite(chapter, by, text, role="member"):
    result = invitations.invite(db.session, chapter, by, text, role)
    db.session.commit()
    invitations.send(result.letters)
    return result


# --- reading the pasted list -----------------------------------------------------------------

@pytest.mark.parametrize("text,emails", [
    ("ana@example.org", ["ana@example.org"]),
    ("a@example.org, b@example.org\nc@example.org;d@example.org  e@example.org\t f@example.org",
     ["a@example.org", "b@example.org", "c@example.org", "d@example.org", "e@example.org",
      "f@example.org"]),
    ('Ana Lima <ana@example.org>, "Lima, Bo" <bo@example.org>\ncy@example.org Dee <dee@example.org>',
     ["ana@example.org", "bo@example.org", "cy@example.org", "dee@example.org"]),
    ("ANA@Example.org, ana@example.org", ["ana@example.org"]),
    ("<z@example.org>; mailto:y@example.org.", ["z@example.org", "y@example.org"]),
    ("", []),
])
def test_a_pasted_list_is_read_in_its_order(text, emails):
    parsed = invitations.parse_addresses(text)
    assert [a.email for a in parsed.addresses] == emails and parsed.bad == []


def test_names_written_with_the_address_are_kept():
    parsed = invitations.parse_addresses('Ana Lima <ana@example.org>, "Lima, Bo" <bo@example.org>')
    assert [a.name for a in parsed.addresses] == ["Ana Lima", "Lima, Bo"]


def test_what_is_not_an_address_is_returned_as_typed():
    parsed = invitations.parse_addresses("ana@example.org, bo@, carla, dee@example .org")
    assert [a.email for a in parsed.addresses] == ["ana@example.org"]
    assert parsed.bad == ["bo@", "carla", "dee@example", ".org"]


# --- inviting ----------------------------------------------------------------------------

def test_inviting_sends_one_message_per_new_address(app, ctx):
    chapter, coordinator = ctx
    result = invite(chapter, coordinator, "Ana Lima <ana@example.org>, bo@example.org",
                    "coordinator")
    assert result.invited == ["ana@example.org", "bo@example.org"]
    assert result.sentence() == "Invited 2 people."
    mails = outbox(app)
    assert sorted(m["To"] for m in mails) == ["ana@example.org", "bo@example.org"]
    ana = next(m for m in mails if m["To"] == "ana@example.org")
    assert ana["Subject"] == "Join Alpha Chapter on Coalition"
    text = ana.get_body(("plain",)).get_content()
    assert text.startswith("Hello Ana Lima,")
    assert "coord-alpha invites you to join Alpha Chapter on Coalition as a coordinator" in text
    assert "invited this address" in text  # why they get it
    row = db.session.scalar(select(Invitation).where(Invitation.email == "ana@example.org"))
    assert (row.role, row.invited_by_id, row.name) == ("coordinator", coordinator.id, "Ana Lima")
    assert row.expires_at - row.sent_at == timedelta(days=14)
    # Nothing in the link tells who or which chapter: two random values and a signature.
    payload = invitations._serializer().loads(token_of(link_in(ana)))
    assert payload[0] == row.key and re.fullmatch(r"[0-9a-f]{32}", row.key)
    assert len(payload) == 2 and len(payload[1]) >= 32  # and a random nonce, nothing else


def test_members_and_people_waiting_are_reported_and_skipped(app, ctx, world):
    chapter, coordinator = ctx
    result = invite(chapter, coordinator, "member-alpha@example.org pending-alpha@example.org "
                                          "new@example.org")
    assert result.sentence() == (
        "Invited 1 person; 1 is already a member: member-alpha@example.org; "
        "pending-alpha@example.org registered already and waits for your approval in the "
        "list below.")
    assert [m["To"] for m in outbox(app)] == ["new@example.org"]


def test_inviting_again_sends_a_new_link_and_keeps_one_row(app, ctx):
    chapter, coordinator = ctx
    invite(chapter, coordinator, "ana@example.org")
    first = token_of(link_in(outbox(app)[0]))
    result = invite(chapter, coordinator, "ana@example.org", "coordinator")
    assert result.resent == ["ana@example.org"] and result.invited == []
    assert result.sentence() == "Sent a new link to 1 person already invited."
    assert db.session.scalar(select(func.count(Invitation.id)).where(
        Invitation.email == "ana@example.org")) == 1
    assert invitations.open_link(db.session, first).state == "replaced"
    second = token_of(link_in(outbox(app)[1]))
    opened = invitations.open_link(db.session, second)
    assert opened.state == "open" and opened.invitation.role == "coordinator"


def test_a_list_with_a_bad_entry_invites_nobody_and_names_it(app, ctx):
    chapter, coordinator = ctx
    with pytest.raises(invitations.InvitationError) as refused:
        invitations.invite(db.session, chapter, coordinator, "ana@example.org, bo@", "member")
    assert str(refused.value).startswith("This is not an e-mail address: “bo@”.")
    assert refused.value.field == "addresses"
    db.session.rollback()
    assert db.session.scalar(select(func.count(Invitation.id)).where(
        Invitation.email == "ana@example.org")) == 0
    assert outbox(app) == []


def test_a_list_longer_than_the_cap_is_refused(app, ctx):
    chapter, coordinator = ctx
    app.config["INVITATIONS_PER_REQUEST"] = 3
    with pytest.raises(invitations.InvitationError, match="That is 4 addresses; invite at most 3"):
        invitations.invite(db.session, chapter, coordinator,
                           "a@example.org b@example.org c@example.org d@example.org", "member")


def test_an_unknown_role_is_refused(ctx):
    chapter, coordinator = ctx
    with pytest.raises(invitations.InvitationError) as refused:
        invitations.invite(db.session, chapter, coordinator, "a@example.org", "admin")
    assert refused.value.field == "role"


# --- the link ----------------------------------------------------------------------------

def test_a_link_works_once(app, ctx):
    chapter, coordinator = ctx
    invite(chapter, coordinator, "ana@example.org", "coordinator")
    token = token_of(link_in(outbox(app)[0]))
    opened = invitations.open_link(db.session, token)
    user = invitations.create_account(db.session, opened, "Ana Lima",
                                      "a long and private passphrase")
    db.session.commit()
    membership = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
    assert (membership.chapter_id, membership.role, membership.status) == \
        (chapter.id, "coordinator", "active")
    again = invitations.open_link(db.session, token)
    assert again.state == "accepted" and again.invitation.accepted_by_id == user.id
    # Pressing the button twice (or in two workers) uses it only once.
    with pytest.raises(invitations.InvitationError):
        invitations.accept(db.session, opened, user)


def test_a_link_expires_and_a_resend_revives_it(app, ctx, time_machine):
    chapter, coordinator = ctx
    time_machine.move_to(datetime(2026, 12, 1, 12, 0), tick=False)
    invite(chapter, coordinator, "ana@example.org")
    token = token_of(link_in(outbox(app)[0]))
    time_machine.move_to(datetime(2026, 12, 15, 11, 59), tick=False)
    assert invitations.open_link(db.session, token).state == "open"
    time_machine.move_to(datetime(2026, 12, 15, 12, 0), tick=False)
    opened = invitations.open_link(db.session, token)
    assert opened.state == "expired"
    user = factories.user(db.session, "ana@example.org")
    with pytest.raises(invitations.InvitationError):  # the UPDATE checks the time too
        invitations.accept(db.session, opened, user)
    db.session.rollback()

    letter = invitations.resend(db.session, opened.invitation, coordinator)
    db.session.commit()
    invitations.send([letter])
    assert letter.expires_at == datetime(2026, 12, 29, 12, 0)
    assert invitations.open_link(db.session, token).state == "replaced"  # the old link died
    fresh = invitations.open_link(db.session, token_of(link_in(outbox(app)[1])))
    assert fresh.state == "open"
    assert "until 29 December 2026" in outbox(app)[1].get_body(("plain",)).get_content()


def test_a_withdrawn_invitation_can_be_made_again(app, ctx):
    chapter, coordinator = ctx
    invite(chapter, coordinator, "ana@example.org")
    token = token_of(link_in(outbox(app)[0]))
    row = invitations.open_link(db.session, token).invitation
    assert invitations.withdraw(db.session, row) is True
    db.session.commit()
    assert invitations.withdraw(db.session, row) is False  # once is enough
    assert invitations.open_link(db.session, token).state == "withdrawn"
    assert row not in invitations.pending(db.session, chapter)
    with pytest.raises(invitations.InvitationError, match="withdrawn; nothing was sent"):
        invitations.resend(db.session, row, coordinator)

    result = invite(chapter, coordinator, "ana@example.org")
    assert result.invited == ["ana@example.org"]  # invited anew, not "resent"
    assert invitations.open_link(db.session, token_of(link_in(outbox(app)[1]))).state == "open"
    assert row in invitations.pending(db.session, chapter)


@pytest.mark.parametrize("token", ["", "abc", "not-a-valid-token", "W10.bad-signature"])
def test_a_link_never_made_here_finds_nothing(ctx, token):
    assert invitations.open_link(db.session, token) is None


def test_a_link_signed_with_another_key_finds_nothing(app, ctx):
    chapter, coordinator = ctx
    invite(chapter, coordinator, "ana@example.org")
    token = token_of(link_in(outbox(app)[0]))
    app.config["SECRET_KEY"] = "another-secret-key"
    assert invitations.open_link(db.session, token) is None


def test_accepting_needs_the_invited_address(app, ctx, world):
    chapter, coordinator = ctx
    invite(chapter, coordinator, "ana@example.org")
    opened = invitations.open_link(db.session, token_of(link_in(outbox(app)[0])))
    other = accounts.find_user(db.session, world["beta"]["member"])
    with pytest.raises(invitations.InvitationError, match="for ana@example.org"):
        invitations.accept(db.session, opened, other)


def test_someone_who_became_coordinator_meanwhile_stays_coordinator(app, ctx):
    chapter, coordinator = ctx
    invite(chapter, coordinator, "ana@example.org", "member")
    opened = invitations.open_link(db.session, token_of(link_in(outbox(app)[0])))
    # Ana registered on her own before opening the mail, and was made coordinator.
    ana = factories.member(db.session, chapter, "ana@example.org", role="coordinator").user
    membership = invitations.accept(db.session, opened, ana)
    db.session.commit()
    assert (membership.role, membership.status) == ("coordinator", "active")
    assert db.session.scalar(select(func.count(Membership.id)).where(
        Membership.user_id == ana.id)) == 1
