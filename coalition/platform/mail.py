"""Sending e-mail: every message has a plain-text and an HTML part and says why it was sent;
delivery is a job on the task queue (retried with back-off), through SMTP when
``MAIL_SERVER`` is set, otherwise into ``instance/outbox/`` as ``.eml`` files (development
and tests read them from there; administrators at ``/admin/outbox``).

``category`` names the kind of notice a person can switch off (``CATEGORIES``); ``None`` is
for mail a person asked for (a password reset, an invitation), which is always sent. A
message with a category carries a link that switches that category off without logging in,
and the ``List-Unsubscribe`` headers mail programs turn into an "Unsubscribe" button
(RFC 2369, one click: RFC 8058). Each person's choices are rows of ``mail_opt_out``.

Notices caused by a save are sent only once the save is committed
(:func:`send_after_commit`): a save that fails sends nothing.

Allies are never mailed. Every message goes to an account holder (a coordinator, a member,
an administrator) or to someone who asked for it (an invitation accepted by a coordinator,
a password reset). Allies, patients among them, are reached by members through outreach
tasks, person to person; the product keeps their addresses for that and for exports, never
to write to them itself. Before any path mails an ally it must check the ally's recorded
consent (``Ally.consent``) and give them the same way to stop.
"""
from __future__ import annotations

import html as html_lib
import re
import smtplib
import uuid
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import formatdate
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from coalition.platform.queue import task

# The notices a person may switch off, as their settings page names them.
CATEGORIES = {
    "signups": "Someone signed up on the chapter's public page and waits for approval",
    "assignments": "A task was given to me",
    "reminders": "A task of mine is due tomorrow or overdue",
    "digest": "A weekly summary of my tasks and the chapter's leverage",
}

UNSUBSCRIBE_SALT = "coalition-unsubscribe"
# Header lines up to the 998 characters RFC 5322 allows: at 78 Python would fold the long
# List-Unsubscribe address into an encoded word, which mail programs do not read as a link.
POLICY = default_policy.clone(max_line_length=998)
_PENDING = "coalition.mail_after_commit"  # session.info: notices waiting for the commit


def outbox() -> Path:
    return Path(current_app.instance_path) / "outbox"


def init_app(app) -> None:
    from coalition.models.tracking import listen
    from coalition.platform.extensions import db

    listen(db.session, {"after_commit": _after_commit,
                        "after_transaction_end": _after_transaction_end})


# --- links in mail ----------------------------------------------------------------------

def link(endpoint: str, **values) -> str:
    """The full address of a page, for a message: ``PUBLIC_URL`` when set (needed by
    jobs that run outside a request, and behind a proxy that rewrites the host), else the
    address of the request that sends it."""
    base = (current_app.config.get("PUBLIC_URL") or "").strip()
    if not base and has_request_context():
        return url_for(endpoint, _external=True, **values)
    parts = urlsplit(base or "http://localhost:5000")
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/",
                                       url_scheme=parts.scheme or "https")
    return adapter.build(endpoint, values, force_external=True)


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(user_id: int, category: str) -> str:
    # No expiry: a link in an old message must still stop the mail it came with.
    return _signer().dumps({"u": int(user_id), "c": category})


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(user id, category) of a genuine token, or None for a made-up or altered one."""
    try:
        data = _signer().loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) \
            or data.get("c") not in CATEGORIES:
        return None
    return data["u"], data["c"]


# --- who wants what ---------------------------------------------------------------------

def wants(user_id: int | None, category: str | None) -> bool:
    """Whether the person takes mail of this category (always, for mail they asked for)."""
    if category is None or user_id is None:
        return True
    from coalition.models.mail import MailOptOut
    from coalition.platform.database import read_transaction
    from coalition.platform.extensions import db

    # A connection of its own: this runs after a commit too (send_after_commit), when the
    # session may not query; read_transaction keeps it off SQLite's write lock, which the
    # request's own session may be holding.
    with read_transaction(), db.engine.connect() as conn:
        return conn.scalar(select(MailOptOut.id).where(
            MailOptOut.user_id == user_id, MailOptOut.category == category).limit(1)) is None


# --- composing and sending --------------------------------------------------------------

_URL = re.compile(r"https?://[^\s<>\"]+")


def _paragraphs(text: str) -> str:
    """Plain text as HTML paragraphs, its addresses as links."""
    def para(chunk: str) -> str:
        escaped = html_lib.escape(chunk).replace("\n", "<br>")
        return "<p>" + _URL.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>',
                                escaped) + "</p>"
    return "".join(para(p) for p in text.strip().split("\n\n") if p.strip())


def compose(to: str, subject: str, text: str, *, html: str | None = None, reason: str,
            category: str | None = None, user_id: int | None = None) -> EmailMessage:
    config = current_app.config
    message = EmailMessage(policy=POLICY)
    message["From"] = config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = " ".join(subject.split())  # a title typed with a line break
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = f"<{uuid.uuid4().hex}@coalition>"
    # Sent by the application: out-of-office replies should not answer it (RFC 3834).
    message["Auto-Submitted"] = "auto-generated"
    footer_text = reason
    footer_html = html_lib.escape(reason)
    if category is not None and user_id is not None:
        stop = link("mail.unsubscribe", token=unsubscribe_token(user_id, category))
        choose = link("mail.settings")
        message["List-Unsubscribe"] = f"<{stop}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        footer_text += (f"\nStop e-mails like this one: {stop}"
                        f"\nChoose which e-mails you get: {choose}")
        footer_html += (f'<br><a href="{html_lib.escape(stop)}">Stop e-mails like this one</a>'
                        f' · <a href="{html_lib.escape(choose)}">Choose which e-mails you get</a>')
    elif category is not None:
        current_app.logger.warning("A %s notice without user_id has no unsubscribe link",
                                   category)
    message.set_content(text.rstrip() + f"\n\n--\n{footer_text}\n")
    body = html or _paragraphs(text)
    message.add_alternative(
        f"<!doctype html><html><body>{body}<hr><p><small>{footer_html}</small></p>"
        "</body></html>", subtype="html", cte="quoted-printable")
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


def send_after_commit(session: Session, to: str, subject: str, text: str, **options) -> None:
    """:func:`send` once ``session`` commits; nothing if it rolls back instead. For notices
    about a save, queued by the service that makes it."""
    if category := options.get("category"):
        if category not in CATEGORIES:
            raise ValueError(category)
    session.info.setdefault(_PENDING, []).append(dict(options, to=to, subject=subject,
                                                      text=text))


def _after_commit(session: Session) -> None:
    for options in session.info.pop(_PENDING, None) or ():
        try:
            send(**options)
        except Exception:  # the save stands; one notice that cannot be queued is logged
            current_app.logger.exception("A notice could not be queued: %s",
                                         options.get("subject"))


def _after_transaction_end(session: Session, transaction) -> None:
    # A transaction that ended without a commit (rolled back, closed) takes its notices
    # with it; after a commit _after_commit has already taken them.
    if transaction.parent is None:
        session.info.pop(_PENDING, None)


@task(retries=5, retry_delay=30, retry_backoff=2)
def deliver(raw: str) -> None:
    """Hand one message to SMTP (or the outbox); a failure is retried 5 times, waiting 30 s,
    then 60, 120... (the SMTP server may be down for a while)."""
    from email import message_from_string

    message = message_from_string(raw, policy=POLICY)
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
        # Written aside and renamed: the outbox page never reads half a message.
        part = folder / f".{path.name}.part"
        part.write_bytes(bytes(message))
        part.replace(path)
        current_app.logger.info("Mail to the outbox: %s", path.name)
