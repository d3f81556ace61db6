"""Invitations through the pages: the form and the pending list on the Members page, and the
link's page for each visitor (new, with an account, logged in, someone else), posting what
the pages render."""
from __future__ import annotations

import html as html_lib
import re

import pytest
from sqlalchemy import select

from coalition.models import Membership, User
from coalition.models.invitations import Invitation
from coalition.platform.extensions import db
from tests import html_forms
from tests.accounts.test_invitations import link_in, outbox
from tests.factories import PASSWORD

MEMBERS = "/c/alpha/members/"
NEW_PASSWORD = "a long and private passphrase"


def text(response) -> str:
    return html_lib.unescape(response.get_data(as_text=True))


def flashes(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", m).strip()
            for m in re.findall(r'<p class="flash[^"]*">(.*?)</p>', html, re.S)]


def invite_through_the_page(client, addresses: str, role: str | None = None):
    page = client.get(MEMBERS)
    form = html_forms.find(page.get_data(as_text=True), "/c/alpha/members/invitations/",
                           url="http://localhost" + MEMBERS)
    data = form.data(addresses=addresses) if role is None else \
        form.data(addresses=addresses, role=role)
    return client.post(html_forms.path(form.action), data=data)


def row(app, email: str) -> Invitation | None:
    with app.app_context():
        found = db.session.scalar(select(Invitation).where(Invitation.email == email))
        db.session.expunge_all()
    return found


@pytest.fixture
def coordinator(client, auth, world):
    auth.login(world["alpha"]["coordinator"])
    return client


def test_inviting_from_the_members_page(app, coordinator):
    response = invite_through_the_page(
        coordinator, "Ana Lima <ana@example.org>\nbo@example.org, member-alpha@example.org")
    assert response.status_code == 302 and response.headers["Location"].endswith(MEMBERS)
    page = text(coordinator.get(MEMBERS))
    assert flashes(page) == ["Invited 2 people; 1 is already a member: member-alpha@example.org."]
    assert "ana@example.org (Ana Lima)" in page and "bo@example.org" in page
    assert sorted(m["To"] for m in outbox(app)) == ["ana@example.org", "bo@example.org"]
    assert row(app, "ana@example.org").role == "member"  # the form's default


def test_a_bad_address_keeps_what_was_typed_and_names_it(app, coordinator):
    typed = "ana@example.org\nbo@example\ncarla"
    response = invite_through_the_page(coordinator, typed, role="coordinator")
    assert response.status_code == 400
    page = text(response)
    assert "These are not e-mail addresses: “bo@example”, “carla”." in page
    again = dict(html_forms.find(response.get_data(as_text=True), "/c/alpha/members/invitations/",
                                 url="http://localhost" + MEMBERS).entries())
    assert again["addresses"].replace("\r\n", "\n") == typed and again["role"] == "coordinator"  # all kept
    assert outbox(app) == [] and row(app, "ana@example.org") is None


def test_an_empty_form_says_what_is_missing(coordinator):
    response = invite_through_the_page(coordinator, "  ")
    assert response.status_code == 400
    assert "Type or paste at least one e-mail address." in text(response)


def test_too_many_addresses_are_refused_with_the_cap(app, coordinator):
    app.config["INVITATIONS_PER_REQUEST"] = 2
    response = invite_through_the_page(coordinator, "a@example.org b@example.org c@example.org")
    assert response.status_code == 400
    assert "That is 3 addresses; invite at most 2 at a time." in text(response)


def test_pending_invitations_are_listed_with_their_buttons(app, coordinator, world):
    page = text(coordinator.get(MEMBERS))
    assert "Invitations waiting for an answer" in page
    assert "invited-alpha@example.org" in page and "invited-beta@example.org" not in page
    invitation_id = world["alpha"]["invitation_id"]
    assert f'/c/alpha/members/invitations/{invitation_id}/resend"' in page
    assert "Withdraw the invitation to invited-alpha@example.org? The link in their e-mail " \
           "stops working at once." in page


def test_resend_sends_a_new_link_and_the_old_one_dies(app, client, coordinator):
    invite_through_the_page(coordinator, "ana@example.org")
    old = link_in(outbox(app)[0])
    invitation = row(app, "ana@example.org")
    page = coordinator.get(MEMBERS).get_data(as_text=True)
    form = html_forms.find(page, f"/c/alpha/members/invitations/{invitation.id}/resend")
    response = coordinator.post(html_forms.path(form.action), data=form.data())
    assert response.status_code == 302
    assert flashes(text(coordinator.get(MEMBERS))) == [
        "Sent a new link to ana@example.org; the earlier link no longer works."]
    new = link_in(outbox(app)[1])
    assert new != old
    coordinator.post("/logout")
    assert "A newer invitation to join Alpha Chapter was sent" in text(client.get(old))
    assert client.get(new).status_code == 200


def test_withdraw_asks_first_then_the_link_stops_working(app, client, coordinator):
    invite_through_the_page(coordinator, "ana@example.org")
    link = link_in(outbox(app)[0])
    invitation = row(app, "ana@example.org")
    url = f"/c/alpha/members/invitations/{invitation.id}/withdraw"
    asked = text(coordinator.post(url))
    assert 'name="confirmed" value="yes"' in asked
    assert "invite the same address again later" in asked
    assert row(app, "ana@example.org").withdrawn_at is None
    done = coordinator.post(url, data={"confirmed": "yes"})
    assert done.status_code == 302
    page = text(coordinator.get(MEMBERS))
    assert flashes(page) == ["Withdrew the invitation to ana@example.org: its link no longer "
                             "works. To invite them after all, invite the address again."]
    assert "ana@example.org</td>" not in page  # gone from the pending list
    coordinator.post("/logout")
    closed = client.get(link)
    assert closed.status_code == 410
    page = text(closed)
    assert "The invitation to join Alpha Chapter was withdrawn." in page
    assert "Ask coord-alpha (" in page and "coord-alpha@example.org" in page


def test_another_chapters_invitation_answers_404(client, auth, world):
    auth.login(world["beta"]["coordinator"])
    beta_view_of_alpha = f"/c/beta/members/invitations/{world['alpha']['invitation_id']}"
    assert client.post(beta_view_of_alpha + "/resend").status_code == 404
    assert client.post(beta_view_of_alpha + "/withdraw",
                       data={"confirmed": "yes"}).status_code == 404


# --- the link ------------------------------------------------------------------------------

def test_a_newcomer_creates_the_account_and_lands_on_the_dashboard(app, client, coordinator):
    invite_through_the_page(coordinator, "Ana Lima <ana@example.org>", role="coordinator")
    link = link_in(outbox(app)[0])
    coordinator.post("/logout")

    page = client.get(link)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    body = text(page)
    assert "Join Alpha Chapter as a coordinator" in body and "ana@example.org" in body
    form = html_forms.find(page.get_data(as_text=True), link, url="http://localhost" + link)
    assert dict(form.entries())["name"] == "Ana Lima"  # from "Ana Lima <ana@…>"

    # A password that breaks the rules: said beside it, the name kept.
    weak = client.post(link, data=form.data(password="ana@example.org1",
                                            confirm="ana@example.org1"))
    assert weak.status_code == 400
    assert "Use at least 12 characters." in text(weak) or "Do not use your e-mail" in text(weak)
    assert 'value="Ana Lima"' in weak.get_data(as_text=True)

    done = client.post(link, data=form.data(password=NEW_PASSWORD, confirm=NEW_PASSWORD))
    assert done.status_code == 302 and done.headers["Location"].endswith("/c/alpha/")
    dashboard = client.get(done.headers["Location"])
    assert dashboard.status_code == 200
    assert "Welcome to Alpha Chapter! Your account is ready." in text(dashboard)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "ana@example.org"))
        membership = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
        assert (user.name, membership.role, membership.status) == \
            ("Ana Lima", "coordinator", "active")
    # Used: the same link now says so (and takes its owner to the chapter).
    assert client.get(link).headers["Location"].endswith("/c/alpha/")
    client.post("/logout")
    used = client.get(link)
    assert used.status_code == 410 and "was used already" in text(used)


def test_someone_with_an_account_logs_in_first_and_comes_back(app, client, coordinator, world):
    beta_member = world["beta"]["member"]
    invite_through_the_page(coordinator, beta_member)
    link = link_in(outbox(app)[0])
    coordinator.post("/logout")

    page = text(client.get(link))
    assert "You already have a Coalition account with this address." in page
    login_link = re.search(r'href="(/login\?next=[^"]+)"', page).group(1)
    assert login_link == "/login?next=" + link
    logged_in = client.post(html_lib.unescape(login_link),
                            data={"email": beta_member, "password": PASSWORD})
    assert logged_in.headers["Location"] == link

    join_page = client.get(link)
    assert "You are logged in as member-beta" in text(join_page)
    form = html_forms.find(join_page.get_data(as_text=True), link, url="http://localhost" + link)
    joined = client.post(link, data=form.data())
    assert joined.headers["Location"].endswith("/c/alpha/")
    assert client.get("/c/alpha/").status_code == 200  # a member of alpha now, as well as beta
    assert client.get("/c/beta/").status_code == 200


def test_someone_logged_in_with_another_address_is_told(app, client, auth, coordinator, world):
    invite_through_the_page(coordinator, "ana@example.org")
    link = link_in(outbox(app)[0])
    coordinator.post("/logout")
    auth.login(world["beta"]["member"])
    page = client.get(link)
    assert page.status_code == 403
    assert "This invitation is for ana@example.org, but you are logged in as " \
           "member-beta@example.org." in text(page)
    assert client.post(link).status_code == 403
    assert row(app, "ana@example.org").accepted_at is None


def test_an_expired_link_says_whom_to_ask(app, client, coordinator, time_machine):
    from datetime import datetime, timedelta
    # Tomorrow, not a fixed date: moving the clock behind the coordinator's log-in ends it.
    sent = datetime.now().replace(hour=9, minute=0, second=0, microsecond=0) + timedelta(days=1)
    time_machine.move_to(sent, tick=False)
    invite_through_the_page(coordinator, "ana@example.org")
    link = link_in(outbox(app)[0])
    coordinator.post("/logout")
    time_machine.move_to(sent + timedelta(days=19), tick=False)
    page = client.get(link)
    assert page.status_code == 410
    body = text(page)
    expired = sent + timedelta(days=14)  # an invitation is valid for 14 days
    assert f"The invitation to join Alpha Chapter expired on {expired.day} {expired:%b %Y}." in \
        re.sub(r"<[^>]+>", "", body)
    assert "Ask coord-alpha (" in body
    assert client.post(link, data={"name": "Ana", "password": NEW_PASSWORD,
                                   "confirm": NEW_PASSWORD}).status_code == 410
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "ana@example.org")) is None


@pytest.mark.parametrize("token", ["not-a-valid-token", "W10.AAAA", "x" * 300])
def test_a_made_up_link_answers_404(client, world, token):
    assert client.get(f"/invitations/{token}").status_code == 404
    assert client.post(f"/invitations/{token}").status_code == 404
