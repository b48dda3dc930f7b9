"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives: the e-mail tests' server.

The ``smtp`` fixture of tests/conftest.py starts one and points Django's settings at it.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller


def free_port() -> int:
    # aiosmtpd's Controller needs a real port number, not 0.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Received:
    recipient: str
    message_id: str
    subject: str
    text: str
    html: str
    at: float = field(default_factory=time.monotonic)


@dataclass
class RecordingHandler:
    """Keeps every accepted message; refuses some recipients permanently (550) or for now (421)."""

    refuse: set[str] = field(default_factory=set)
    refuse_for_now: set[str] = field(default_factory=set)
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802  aiosmtpd's hook name
        if address.lower() in self.refuse:
            return "550 5.1.1 Utilisateur inconnu"
        if address.lower() in self.refuse_for_now:
            return "421 4.7.0 Trop de connexions, réessayez plus tard"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802  aiosmtpd's hook name
        message = message_from_bytes(envelope.content, policy=policy.default)
        text = message.get_body(("plain",))
        html = message.get_body(("html",))
        with self.lock:
            for recipient in envelope.rcpt_tos:
                self.received.append(Received(
                    recipient=recipient.lower(), message_id=str(message["Message-ID"]),
                    subject=str(message["Subject"]).strip(), text=text.get_content() if text else "",
                    html=html.get_content() if html else ""))
        return "250 Message accepted for delivery"

    def recipients(self) -> list[str]:
        with self.lock:
            return [item.recipient for item in self.received]


class SmtpServer:
    def __init__(self):
        self.port = free_port()
        self.handler = RecordingHandler()
        self.controller = None

    def start(self):
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None
