"""Sending e-mail: through SMTP when ``COALITION_MAIL_SERVER`` is set, otherwise into
``instance/outbox/`` as ``.eml`` files (development and tests read them from there)."""
from __future__ import annotations

import smtplib
import uuid
from email.message import EmailMessage
from pathlib import Path

from flask import current_app


def outbox() -> Path:
    return Path(current_app.instance_path) / "outbox"


def send(to: str, subject: str, body: str) -> EmailMessage:
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = f"<{uuid.uuid4().hex}@coalition>"
    message.set_content(body)
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
    return message
