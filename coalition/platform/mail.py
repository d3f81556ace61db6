"""Sending e-mail: every message has a plain-text and an HTML part and says why it was sent;
delivery is a job on the task queue (retried with back-off), through SMTP when
``MAIL_SERVER`` is set, otherwise into ``instance/outbox/`` as ``.eml`` files (development
and tests read them from there).

``category`` names the kind of notice a person can switch off (``CATEGORIES``); ``None`` is
for mail a person asked for (a password reset, an invitation), which is always sent.
"""
from __future__ import annotations

import html as html_lib
import smtplib
import uuid
from email.message import EmailMessage
from pathlib import Path

from flask import current_app

from coalition.platform.queue import task

# The notices a person may switch off, as their settings page names them.
CATEGORIES = {
    "signups": "Someone signed up on the chapter's public page and waits for approval",
    "assignments": "A task was given to me",
    "reminders": "A task of mine is due tomorrow or overdue",
    "digest": "A weekly summary of my tasks and the chapter's leverage",
}


def outbox() -> Path:
    return Path(current_app.instance_path) / "outbox"


def wants(user_id: int | None, category: str | None) -> bool:
    """Whether the person takes mail of this category (always, for mail they asked for)."""
    return category is None or user_id is None or True


def compose(to: str, subject: str, text: str, *, html: str | None = None, reason: str,
            category: str | None = None, user_id: int | None = None) -> EmailMessage:
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = f"<{uuid.uuid4().hex}@coalition>"
    footer = f"\n\n--\n{reason}\n"
    message.set_content(text.rstrip() + footer)
    body = html or "".join(f"<p>{html_lib.escape(p)}</p>" for p in text.strip().split("\n\n"))
    message.add_alternative(
        f"<!doctype html><html><body>{body}<hr><p><small>{html_lib.escape(reason)}</small></p>"
        "</body></html>", subtype="html")
    return message


def send(to: str, subject: str, text: str, *, html: str | None = None, reason: str,
         category: str | None = None, user_id: int | None = None) -> None:
    """Queue one message. ``reason`` says in one sentence why the person gets it; a message
    with a ``category`` is dropped when ``user_id`` has switched that category off."""
    if category is not None and category not in CATEGORIES:
        raise ValueError(category)
    if not wants(user_id, category):
        return
    message = compose(to, subject, text, html=html, reason=reason, category=category,
                      user_id=user_id)
    deliver(message.as_string())


@task(retries=5, retry_delay=30, retry_backoff=2)
def deliver(raw: str) -> None:
    """Hand one message to SMTP (or the outbox); a failure is retried 5 times, waiting 30 s,
    then 60, 120... (the SMTP server may be down for a while)."""
    from email import message_from_string
    from email.policy import default

    message = message_from_string(raw, policy=default)
    config = current_app.config
    server = config["MAIL_SERVER"]
    if server:
        with smtplib.SMTP(server, int(config["MAIL_PORT"]), timeout=20) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
            smtp.send_message(message)
    else:
        folder = outbox()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{uuid.uuid4().hex}.eml"
        path.write_bytes(bytes(message))
        current_app.logger.info("Mail to the outbox: %s", path.name)
