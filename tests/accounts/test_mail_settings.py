"""Each person's e-mail settings page: a checkbox per kind of notice, all ticked at first;
a save writes only what changed and says so; news of sign-ups is offered to coordinators
only."""
from __future__ import annotations

import re

from markupsafe import escape
from sqlalchemy import select

from coalition.models import User
from coalition.models.mail import MailOptOut
from coalition.platform import mail
from coalition.platform.extensions import db
from coalition.platform.forms import NO_CHANGES
from tests.factories import PASSWORD


def _login(client, email):
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302


def _user_id(app, email):
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.email == email))


def test_the_page_is_reached_from_the_password_page_and_starts_all_ticked(app, client, world):
    _login(client, world["alpha"]["member"])
    assert 'href="/account/email"' in client.get("/account/password").get_data(as_text=True)
    page = client.get("/account/email").get_data(as_text=True)
    for category in ("assignments", "reminders", "digest"):
        assert f'<label for="{category}">{escape(mail.CATEGORIES[category])}</label>' in page
    assert 'name="signups"' not in page  # a member approves no sign-ups
    assert all(re.search(rf'<input[^>]*checked[^>]*name="{c}"|<input[^>]*name="{c}"[^>]*checked',
                         page) for c in ("assignments", "reminders", "digest"))


def test_a_coordinator_is_offered_news_of_sign_ups(app, client, world):
    _login(client, world["alpha"]["coordinator"])
    page = client.get("/account/email").get_data(as_text=True)
    assert escape(mail.CATEGORIES["signups"]) in page and 'name="signups"' in page


def test_unticking_saves_and_an_unchanged_save_says_so(app, client, world):
    email = world["alpha"]["member"]
    user_id = _user_id(app, email)
    _login(client, email)
    # Browsers send ticked boxes only: "assignments" is left out, so it is switched off.
    response = client.post("/account/email", data={"reminders": "y", "digest": "y"},
                           follow_redirects=True)
    assert "Your e-mail choices are saved." in response.get_data(as_text=True)
    with app.app_context():
        assert not mail.wants(user_id, "assignments")
        assert mail.wants(user_id, "reminders") and mail.wants(user_id, "digest")
    page = client.get("/account/email").get_data(as_text=True)
    assert not re.search(r'<input[^>]*checked[^>]*name="assignments"', page)

    again = client.post("/account/email", data={"reminders": "y", "digest": "y"},
                        follow_redirects=True)
    assert NO_CHANGES in again.get_data(as_text=True)

    back = client.post("/account/email", data={"assignments": "y", "reminders": "y",
                                                "digest": "y"}, follow_redirects=True)
    assert "Your e-mail choices are saved." in back.get_data(as_text=True)
    with app.app_context():
        assert mail.wants(user_id, "assignments")
        assert db.session.scalar(select(MailOptOut.id)) is None


def test_a_members_save_leaves_the_coordinator_only_choice_alone(app, client, world):
    """Someone who once coordinated and switched sign-ups off keeps that choice when they
    save the page as a member (the box is not shown, so it is not sent)."""
    email = world["alpha"]["member"]
    user_id = _user_id(app, email)
    with app.app_context():
        db.session.add(MailOptOut(user_id=user_id, category="signups"))
        db.session.commit()
    _login(client, email)
    client.post("/account/email", data={"reminders": "y", "digest": "y"})
    with app.app_context():
        assert not mail.wants(user_id, "signups") and not mail.wants(user_id, "assignments")


def test_the_page_needs_a_log_in(client, world):
    response = client.get("/account/email")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_two_unsubscribes_at_once_store_one_choice(app, world, monkeypatch):
    """The second of two simultaneous requests (a mail program's one-click and the person's
    click) meets the first one's row: it keeps that row and fails nothing."""
    from coalition.accounts import mail_choices

    user_id = _user_id(app, world["alpha"]["member"])
    with app.app_context():
        db.session.add(MailOptOut(user_id=user_id, category="digest"))
        db.session.commit()
        monkeypatch.setattr(mail_choices, "switched_off", lambda session, uid: set())
        mail_choices.stop(db.session, user_id, "digest")  # has not seen the first row
        db.session.commit()
        assert db.session.query(MailOptOut).filter_by(user_id=user_id).count() == 1
