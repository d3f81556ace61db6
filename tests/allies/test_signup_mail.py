"""A sign-up on a chapter's public page tells each coordinator of that chapter by e-mail
(category "signups"), through a real SMTP server, once it is saved."""
from __future__ import annotations

from sqlalchemy import select

from coalition.accounts import mail_choices
from coalition.models import User
from coalition.platform.extensions import db
from tests.allies.test_join import sign_up


def test_each_coordinator_of_the_chapter_is_told_of_a_new_sign_up(app, client, world,
                                                                 smtp_server):
    app.config.update(smtp_server.settings)
    assert sign_up(client).status_code == 302

    message = smtp_server.wait()
    assert smtp_server.recipients() == [world["alpha"]["coordinator"]]  # not beta's, no member
    assert message["Subject"] == "New sign-up for Alpha Chapter waits for approval"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "http://localhost/c/alpha/allies/pending" in text
    assert 'href="http://localhost/c/alpha/allies/pending"' in html
    assert "because you coordinate Alpha Chapter" in text
    # The mail names nobody: the person may be a patient.
    assert "Jo Public" not in text and "jo@example.net" not in text.lower()
    assert message["List-Unsubscribe"].startswith("<http://localhost/unsubscribe/")


def test_signing_up_again_or_a_refused_sign_up_tells_nobody_again(app, client, world,
                                                                  smtp_server):
    app.config.update(smtp_server.settings)
    assert sign_up(client, consent=None).status_code == 200  # refused: consent is required
    assert sign_up(client, website="http://spam.example").status_code == 302  # a robot
    assert smtp_server.messages == []
    assert sign_up(client).status_code == 302
    smtp_server.wait()
    assert sign_up(client, knows="Also Dr. Kim").status_code == 302  # the same person again
    assert len(smtp_server.messages) == 1


def test_a_coordinator_who_switched_it_off_is_not_told(app, client, world, smtp_server):
    app.config.update(smtp_server.settings)
    with app.app_context():
        coordinator = db.session.scalar(select(User).where(
            User.email == world["alpha"]["coordinator"]))
        mail_choices.save(db.session, coordinator, {"signups": False})
        db.session.commit()
    assert sign_up(client).status_code == 302
    assert smtp_server.messages == []
