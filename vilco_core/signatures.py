"""Support signatures (a petition "pour") for a citizen project: values and their checks.

A resident signs with a name and a Brussels-style postcode (four digits), an email only if they
want news. Two signatures with the same normalised name (case, accents, punctuation and spacing
ignored) and postcode are one person: the store keeps a unique key on that pair per project
(e-mail requests still pending aside, so that requests nobody confirms block no one), so a
duplicate counts once whatever the channel. A call may set a threshold; a project that
reaches it becomes eligible.

Each call chooses how a signature is confirmed (`SignatureMode`): with a one-time support code
printed on a card (`code`: one card is one person, it signs each project once), by a link sent
to an e-mail address (`email`: pending until the link is followed; one address signs a project
once), or not at all (`unverified`: shown as such, never counted towards the threshold).
A struck signature (staff review) stops counting. `SupportCount` counts only `valid`
signatures confirmed by a code or an e-mail.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
import unicodedata
from dataclasses import dataclass
from typing import Final, Literal

from vilco_core.errors import ValidationErrors, VilcoError
from vilco_core.typed_text import TypedText

Channel = Literal["qr", "stand"]
CHANNELS: Final[tuple[Channel, ...]] = ("qr", "stand")
SignatureMode = Literal["code", "email", "unverified"]
SIGNATURE_MODES: Final[tuple[SignatureMode, ...]] = ("code", "email", "unverified")
COUNTED_MODES: Final[frozenset[str]] = frozenset({"code", "email"})
SignatureState = Literal["pending", "valid", "struck"]
CONFIRM_DAYS: Final = 7  # an e-mail link confirms within a week; then the request lapses
MAX_REASON: Final = 200
MAX_NAME: Final = 120
MAX_EMAIL: Final = 200
_POSTCODE = re.compile(r"^[1-9][0-9]{3}$")
_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")


@dataclass(frozen=True, slots=True, kw_only=True)
class Signature(TypedText):
    project_id: int
    name: str
    postcode: str
    email: str = ""
    channel: Channel = "qr"
    site_id: int | None = None
    signed_on: dt.date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SupportCount:
    """How far a project is from its call's threshold (0: the call sets none)."""

    project_id: int
    signatures: int  # valid signatures confirmed by a code or an e-mail: what counts
    threshold: int
    unverified: int = 0  # valid but unverified: shown, never counted
    pending: int = 0  # e-mail signatures waiting for their link
    struck: int = 0  # struck by staff

    @property
    def missing(self) -> int:
        return max(0, self.threshold - self.signatures)

    @property
    def reached(self) -> bool:
        return self.threshold > 0 and self.signatures >= self.threshold


def normalise_name(name: str) -> str:
    """`Élise  van-der Berg` and `elise VAN DER BERG` give the same key."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w]+", " ", letters).split())


def checked_signature(signature: Signature) -> Signature:
    """The signature with its texts trimmed, or `ValidationErrors` naming every problem."""
    cleaned = Signature(
        project_id=signature.project_id,
        name=" ".join(signature.name.split()),
        postcode=signature.postcode.strip(),
        email=signature.email.strip(),
        channel=signature.channel,
        site_id=signature.site_id,
        signed_on=signature.signed_on,
    )
    problems = []
    if not normalise_name(cleaned.name) or len(cleaned.name) > MAX_NAME:
        problems.append(VilcoError("errors.field_required", field="signer_name"))
    if not _POSTCODE.match(cleaned.postcode):
        problems.append(VilcoError("errors.postcode_invalid"))
    if cleaned.email and (len(cleaned.email) > MAX_EMAIL or not _EMAIL.match(cleaned.email)):
        problems.append(VilcoError("errors.email_invalid"))
    if cleaned.channel not in CHANNELS:
        problems.append(VilcoError("errors.channel_invalid"))
    if problems:
        raise ValidationErrors(problems)
    return cleaned


def parse_mode(value: object) -> SignatureMode:
    """The mode named `value`; `errors.signature_mode_invalid` otherwise."""
    for mode in SIGNATURE_MODES:
        if mode == value:
            return mode
    raise VilcoError("errors.signature_mode_invalid")


def counts(mode: str, state: str) -> bool:
    """Whether a stored signature counts towards its call's threshold."""
    return state == "valid" and mode in COUNTED_MODES


def email_key(email: str) -> str:
    """`email:` and the SHA-256 of the address in lower case: one address signs a project once."""
    digest = hashlib.sha256(b"vilco-sign-email-v1:" + email.strip().casefold().encode()).hexdigest()
    return f"email:{digest}"


def code_key(code_hash: str) -> str:
    return f"code:{code_hash}"


def new_token() -> str:
    """The secret of an e-mail confirmation link (192 random bits)."""
    return secrets.token_urlsafe(24)


def hash_token(token: object) -> str | None:
    """The stored form of a confirmation token; None for what cannot be one."""
    if not isinstance(token, str) or not 16 <= len(token) <= 64:
        return None
    return hashlib.sha256(b"vilco-sign-token-v1:" + token.encode()).hexdigest()
