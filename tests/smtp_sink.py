"""A local SMTP sink for the e-mail tests: aiosmtpd on 127.0.0.1 on a free port, keeping every
message it receives (parsed), so a test reads the confirmation link a resident would click."""

from __future__ import annotations

import email
import email.policy
import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

LINK = re.compile(r"https?://\S+/sign\?confirm=[A-Za-z0-9_\-]+")


@dataclass
class Sink:
    port: int
    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        return "250 OK"

    def links(self) -> list[str]:
        """The confirmation links of every message received, in order."""
        found: list[str] = []
        for message in self.messages:
            body = message.get_body(("plain",))
            found += LINK.findall(body.get_content() if body is not None else "")
        return found

    def env(self) -> dict[str, str]:
        return {"VILCO_SMTP_HOST": "127.0.0.1", "VILCO_SMTP_PORT": str(self.port),
                "VILCO_SMTP_FROM": "vilco@commune.example"}  # fmt: skip


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_sink() -> Iterator[Sink]:
    sink = Sink(port=free_port())
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()
