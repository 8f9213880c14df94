"""Sending e-mail: the message, the `Mailer` the use cases take, and a plain SMTP mailer.

The core never reads Streamlit's secrets: `vilco_ui` builds `SmtpSettings` (environment first,
then `[smtp]` in `secrets.toml`) and passes a mailer in; tests pass a fake or an SMTP sink on
127.0.0.1. Port 465 speaks TLS from the start; any other port upgrades with STARTTLS when the
server offers it (a local sink offers nothing and gets plain SMTP). A user logs in only when set.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Final, Protocol

SMTP_TIMEOUT: Final = 10.0  # seconds: a signature waits for the mail, not forever


@dataclass(frozen=True, slots=True, kw_only=True)
class MailMessage:
    to: str
    subject: str
    body: str


class Mailer(Protocol):
    def send(self, message: MailMessage) -> None:
        """Hand the message to the mail server; raises `OSError` (or `smtplib.SMTPException`)
        when it cannot."""
        ...


@dataclass(frozen=True, slots=True, kw_only=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    user: str = ""
    password: str = ""


SETTING_NAMES: Final = ("HOST", "PORT", "USER", "PASSWORD", "FROM")


def smtp_settings(values: Mapping[str, str]) -> SmtpSettings | None:
    """Settings from `VILCO_SMTP_HOST`, `_PORT`, `_USER`, `_PASSWORD`, `_FROM` (host and sender
    required, port 587 by default); None when mail is not configured or the port is no number."""
    host, sender = values.get("VILCO_SMTP_HOST", ""), values.get("VILCO_SMTP_FROM", "")
    port = values.get("VILCO_SMTP_PORT", "") or "587"
    if not host.strip() or "@" not in sender or not port.isdigit():
        return None
    return SmtpSettings(host=host.strip(), port=int(port), sender=sender.strip(),
                        user=values.get("VILCO_SMTP_USER", ""),
                        password=values.get("VILCO_SMTP_PASSWORD", ""))  # fmt: skip


@dataclass(frozen=True, slots=True)
class SmtpMailer:
    settings: SmtpSettings

    def send(self, message: MailMessage) -> None:
        mail = EmailMessage()
        mail["From"], mail["To"], mail["Subject"] = (self.settings.sender, message.to,
                                                     message.subject)  # fmt: skip
        mail.set_content(message.body)
        s = self.settings
        if s.port == 465:
            context = ssl.create_default_context()
            with smtplib.SMTP_SSL(s.host, s.port, timeout=SMTP_TIMEOUT, context=context) as smtp:
                self._deliver(smtp, mail)
            return
        with smtplib.SMTP(s.host, s.port, timeout=SMTP_TIMEOUT) as smtp:
            smtp.ehlo()
            if smtp.has_extn("starttls"):
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            self._deliver(smtp, mail)

    def _deliver(self, smtp: smtplib.SMTP, mail: EmailMessage) -> None:
        if self.settings.user:
            smtp.login(self.settings.user, self.settings.password)
        smtp.send_message(mail)
