"""The mail settings of the UI (environment first, then `secrets.toml`) and the confirmation
mail the support form hands to the core.

Each of `VILCO_SMTP_HOST`, `_PORT`, `_USER`, `_PASSWORD`, `_FROM` is read from the environment,
else from a top-level secret of that name, else from the `[smtp]` table of `secrets.toml`
(`host`, `port`, `user`, `password`, `from`).
"""

from __future__ import annotations

from vilco_core.mail import SETTING_NAMES, SmtpMailer, SmtpSettings, smtp_settings
from vilco_core.services import voting
from vilco_core.services.support import ConfirmationMail
from vilco_ui import config


def _value(name: str) -> str:
    value = config.setting(f"VILCO_SMTP_{name}") or config.secret_table("smtp").get(name.lower())
    return str(value) if value else ""


def settings() -> SmtpSettings | None:
    """The SMTP settings, or None when mail is not configured."""
    return smtp_settings({f"VILCO_SMTP_{name}": _value(name) for name in SETTING_NAMES})


def confirmation_mail() -> ConfirmationMail | None:
    """What `email` mode needs to send a link, or None without SMTP settings."""
    found = settings()
    if found is None:
        return None
    return ConfirmationMail(mailer=SmtpMailer(found), base_url=voting.public_url())
