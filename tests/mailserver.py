"""A real SMTP server for tests: aiosmtpd on 127.0.0.1 and a free port, keeping every
message it receives.

    def test_something(app, smtp_server):
        app.config.update(smtp_server.settings)    # the app now sends through it
        ...
        message = smtp_server.wait()               # the first message, parsed

``smtp_server`` is available in every test (tests/conftest.py imports it)."""
from __future__ import annotations

import socket
import threading
import time
from email import message_from_bytes
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from coalition.platform.mail import POLICY


class Inbox:
    """aiosmtpd handler: keeps each envelope (sender, recipients, raw content)."""

    def __init__(self):
        self.envelopes: list = []
        self._arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope):
        with self._arrived:
            self.envelopes.append(envelope)
            self._arrived.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        with self._arrived:
            while len(self.envelopes) < count:
                left = deadline - time.monotonic()
                if left <= 0 or not self._arrived.wait(left):
                    break


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    def __init__(self):
        self.inbox = Inbox()
        self.host = "127.0.0.1"
        self.port = free_port()
        self.controller = Controller(self.inbox, hostname=self.host, port=self.port)

    @property
    def settings(self) -> dict:
        """The app settings that send through this server."""
        return {"MAIL_SERVER": self.host, "MAIL_PORT": self.port, "MAIL_USE_TLS": False,
                "MAIL_USERNAME": None}

    @property
    def messages(self) -> list[EmailMessage]:
        return [message_from_bytes(e.original_content or e.content, policy=POLICY)
                for e in self.inbox.envelopes]

    def recipients(self) -> list[str]:
        return [to for e in self.inbox.envelopes for to in e.rcpt_tos]

    def wait(self, count: int = 1, timeout: float = 5.0) -> EmailMessage:
        """The ``count``-th message, once it has arrived (fails after ``timeout``)."""
        self.inbox.wait_for(count, timeout)
        assert len(self.inbox.envelopes) >= count, \
            f"expected {count} message(s), got {len(self.inbox.envelopes)}"
        return self.messages[count - 1]

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()


@pytest.fixture
def smtp_server():
    server = SmtpServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
