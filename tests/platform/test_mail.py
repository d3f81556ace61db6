"""Mail through a real SMTP server (aiosmtpd, tests/mailserver.py), read back as it arrived:
both parts, the reason, the unsubscribe link and headers, the link working without a
log-in; delivery retried while the server is down; notices sent only after a commit; the
administrators' outbox when no server is set."""
from __future__ import annotations

import re

import pytest
from huey.exceptions import TaskException
from sqlalchemy import select

from coalition.accounts import service as accounts
from coalition.models import User
from coalition.models.mail import MailOptOut
from coalition.platform import mail, queue
from coalition.platform.extensions import db


def _user_id(app, email: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.email == email))


def _send(app, to: str, user_id: int | None, category: str | None = "assignments",
          subject: str = "New task for you: Call Casey") -> None:
    with app.test_request_context():
        mail.send(to, subject, "Hello,\n\nA coordinator gave you a task:\n"
                  "http://localhost/c/alpha/outreach/tasks/1\n",
                  reason="You get this e-mail because a task was given to you.",
                  category=category, user_id=user_id)


def _parts(message):
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


def _stop_link(message) -> str:
    return message["List-Unsubscribe"].strip("<>")


def test_a_notice_arrives_with_both_parts_its_reason_and_a_way_to_stop(app, world,
                                                                        smtp_server):
    app.config.update(smtp_server.settings)
    member = world["alpha"]["member"]
    _send(app, member, _user_id(app, member))

    message = smtp_server.wait()
    assert smtp_server.recipients() == [member]
    assert message["Subject"] == "New task for you: Call Casey"
    assert message.get_content_type() == "multipart/alternative"
    text, html = _parts(message)
    assert "A coordinator gave you a task" in text and "A coordinator gave you a task" in html
    reason = "You get this e-mail because a task was given to you."
    assert reason in text and reason in html
    # The address in the text is a link in the HTML part.
    assert '<a href="http://localhost/c/alpha/outreach/tasks/1">' in html

    stop = _stop_link(message)
    assert re.fullmatch(r"http://localhost/unsubscribe/[\w.-]+", stop), stop
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"Stop e-mails like this one: {stop}" in text
    assert f'href="{stop}"' in html
    assert "Choose which e-mails you get: http://localhost/account/email" in text


def test_mail_a_person_asked_for_has_no_unsubscribe_link(app, world, smtp_server):
    app.config.update(smtp_server.settings)
    _send(app, "someone@example.org", None, category=None, subject="Reset your password")
    message = smtp_server.wait()
    assert message["List-Unsubscribe"] is None
    assert "Stop e-mails" not in _parts(message)[0]


def test_the_unsubscribe_link_works_without_logging_in(app, client, world, smtp_server):
    app.config.update(smtp_server.settings)
    member = world["alpha"]["member"]
    user_id = _user_id(app, member)
    _send(app, member, user_id)
    path = _stop_link(smtp_server.wait()).removeprefix("http://localhost")

    page = client.get(path)  # nobody is logged in
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "Stop these e-mails?" in body and mail.CATEGORIES["assignments"] in body

    done = client.post(path)
    assert done.status_code == 200
    body = done.get_data(as_text=True)
    assert "You will not get these e-mails any more" in body
    assert mail.CATEGORIES["assignments"] in body and 'href="/account/email"' in body
    with app.app_context():
        assert mail.wants(user_id, "assignments") is False
        assert mail.wants(user_id, "reminders") is True

    # The next notice of that kind is not sent; other kinds still are.
    _send(app, member, user_id)
    _send(app, member, user_id, category="reminders", subject="Due tomorrow")
    assert smtp_server.wait(2)["Subject"] == "Due tomorrow"
    assert len(smtp_server.inbox.envelopes) == 2

    # Opened again, the link says it is done; pressed again, nothing more is stored.
    assert "You will not get these e-mails any more" in client.get(path).get_data(as_text=True)
    assert client.post(path).status_code == 200
    with app.app_context():
        assert db.session.query(MailOptOut).filter_by(user_id=user_id).count() == 1


def test_mail_programs_unsubscribe_with_one_click_without_a_csrf_token(app_factory, world):
    """RFC 8058: the mail program posts ``List-Unsubscribe=One-Click`` to the link, with no
    form and no cookie, even where every other form needs its CSRF token."""
    app = app_factory(WTF_CSRF_ENABLED=True)
    user_id = _user_id(app, world["alpha"]["member"])
    with app.test_request_context():
        path = mail.link("mail.unsubscribe", token=mail.unsubscribe_token(user_id, "digest"))
    client = app.test_client()
    response = client.post(path.removeprefix("http://localhost"),
                           data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    with app.app_context():
        assert mail.wants(user_id, "digest") is False
    # Elsewhere the CSRF check still holds.
    assert client.post("/forgot-password", data={"email": "x@example.org"}).status_code == 400


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_made_up_or_altered_link_answers_with_a_clear_page(app, client, world, method):
    user_id = _user_id(app, world["alpha"]["member"])
    with app.app_context():
        token = mail.unsubscribe_token(user_id, "assignments")
        other_key = mail.URLSafeSerializer("another-secret", salt=mail.UNSUBSCRIBE_SALT) \
            .dumps({"u": user_id, "c": "assignments"})
    altered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    for bad in (altered, other_key, "not-a-token", token.replace(".", "", 1)):
        response = client.open(f"/unsubscribe/{bad}", method=method)
        assert response.status_code == 400
        assert "This link does not work" in response.get_data(as_text=True)
    with app.app_context():
        assert mail.wants(user_id, "assignments") is True


def test_the_link_of_a_removed_account_answers_404(app, client, world):
    with app.app_context():
        user = accounts.create_user(db.session, "gone@example.org", "Gone", "a long passphrase 1")
        db.session.commit()
        token = mail.unsubscribe_token(user.id, "digest")
        db.session.delete(user)
        db.session.commit()
    response = client.post(f"/unsubscribe/{token}")
    assert response.status_code == 404
    assert "This account no longer exists" in response.get_data(as_text=True)


def test_delivery_is_retried_while_the_smtp_server_is_down(app, world):
    from tests.mailserver import SmtpServer

    server = SmtpServer()  # its port is free: nothing listens yet
    app.config.update(server.settings)
    with app.test_request_context():
        raw = mail.compose("member-alpha@example.org", "Hello", "Text.",
                           reason="Because.").as_string()
    queue.huey.flush()
    try:
        with app.app_context():  # the consumer runs jobs in its app: this one
            result = mail.deliver(raw)
        with pytest.raises(TaskException, match="Connection refused"):
            result.get()  # the first attempt failed...
        retry, = queue.huey.scheduled()  # ...and Huey put it back for later
        assert retry.retries == 4 and retry.retry_delay == 60  # 5 tries, then 30 s doubling
        settings = mail.deliver.settings
        assert (settings["default_retries"], settings["default_retry_delay"],
                settings["default_retry_backoff"]) == (5, 30, 2)

        server.start()  # the server is back: the consumer's next try delivers
        try:
            # What a consumer's scheduler does once the retry's time has come.
            due, = queue.huey.read_schedule(retry.eta)
            with app.app_context():
                queue.huey.execute(due, timestamp=retry.eta)
            assert server.wait()["Subject"] == "Hello"
        finally:
            server.stop()
    finally:
        queue.huey.flush()


def test_a_notice_waits_for_the_commit_and_goes_with_a_rollback(app, world, smtp_server):
    app.config.update(smtp_server.settings)
    member = world["alpha"]["member"]
    user_id = _user_id(app, member)
    with app.test_request_context():
        for subject in ("Rolled back", "Committed"):
            mail.send_after_commit(db.session, member, subject, "Text.", reason="Because.",
                                   category="assignments", user_id=user_id)
            db.session.execute(select(User.id).limit(1))
            assert not smtp_server.inbox.envelopes  # nothing before the commit
            if subject == "Rolled back":
                db.session.rollback()
            else:
                db.session.commit()
        db.session.commit()  # nothing left over for a later commit
    assert smtp_server.wait()["Subject"] == "Committed"
    assert len(smtp_server.inbox.envelopes) == 1


def test_links_outside_a_request_use_public_url(app):
    with app.app_context():
        assert mail.link("mail.settings") == "http://localhost:5000/account/email"
        app.config["PUBLIC_URL"] = "https://coalition.example.org/app"
        assert mail.link("mail.settings") == "https://coalition.example.org/app/account/email"
    with app.test_request_context(base_url="http://internal:8000"):
        assert mail.link("mail.settings") == "https://coalition.example.org/app/account/email"


def test_every_person_takes_every_category_until_they_switch_it_off(app, world):
    user_id = _user_id(app, world["alpha"]["member"])
    with app.app_context():
        assert all(mail.wants(user_id, category) for category in mail.CATEGORIES)
        assert mail.wants(None, "digest") and mail.wants(user_id, None)
        with pytest.raises(ValueError):
            mail.send("x@example.org", "S", "T", reason="R", category="nonsense")


# --- the outbox --------------------------------------------------------------------------

def _login(client, email):
    from tests.factories import PASSWORD

    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302


def test_without_a_server_mail_goes_to_the_outbox_which_administrators_read(app, client,
                                                                            world):
    assert not app.config["MAIL_SERVER"]
    _send(app, "member-alpha@example.org", _user_id(app, "member-alpha@example.org"))
    _login(client, world["admin"])

    page = client.get("/admin/outbox").get_data(as_text=True)
    assert "Mail is not sent: MAIL_SERVER is not set" in page
    assert "member-alpha@example.org" in page and "New task for you: Call Casey" in page
    name = re.search(r'href="/admin/outbox/([0-9a-f]{32}\.eml)"', page).group(1)

    message = client.get(f"/admin/outbox/{name}").get_data(as_text=True)
    assert "A coordinator gave you a task:" in message
    assert "You get this e-mail because a task was given to you." in message
    assert "<html>" not in message  # the text part, shown as text

    for bad in ("../secret_key", "app.css", "0" * 32 + ".eml"):
        assert client.get(f"/admin/outbox/{bad}").status_code == 404

    app.config["MAIL_SERVER"] = "smtp.example.org"
    assert "MAIL_SERVER is not set" not in client.get("/admin/outbox").get_data(as_text=True)


def test_the_outbox_shows_fifty_messages_a_page_newest_first(app, client, world):
    import os

    folder = app.instance_path + "/outbox"
    os.makedirs(folder)
    with app.app_context():
        for number in range(51):
            raw = bytes(mail.compose("x@example.org", f"Message {number}", "Text.",
                                     reason="Because."))
            path = os.path.join(folder, f"{number:032x}.eml")
            with open(path, "wb") as handle:
                handle.write(raw)
            os.utime(path, (1_700_000_000 + number, 1_700_000_000 + number))
    _login(client, world["admin"])
    first = client.get("/admin/outbox").get_data(as_text=True)
    assert first.count('href="/admin/outbox/') == 50
    assert first.index("Message 50") < first.index("Message 49")
    assert "Message 0<" not in first and "Page 1 of 2 (51 in all)" in first
    second = client.get("/admin/outbox?page=2").get_data(as_text=True)
    assert "Message 0<" in second and second.count('href="/admin/outbox/') == 1


def test_the_outbox_is_for_administrators_only(app, client, world):
    _login(client, world["alpha"]["coordinator"])
    assert client.get("/admin/outbox").status_code == 403
