"""Support signatures (a petition "pour") for a citizen project: values and their checks.

A resident signs with a name and a Brussels-style postcode (four digits), an email only if they
want news. Two signatures with the same normalised name (case, accents, punctuation and spacing
ignored) and postcode are one person: the store keeps a unique key on that pair per project, so
a duplicate counts once whatever the channel. A call may set a threshold; a project that
reaches it becomes eligible.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Final, Literal

from vilco_core.errors import ValidationErrors, VilcoError
from vilco_core.typed_text import TypedText

Channel = Literal["qr", "stand"]
CHANNELS: Final[tuple[Channel, ...]] = ("qr", "stand")
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
    signatures: int
    threshold: int

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
