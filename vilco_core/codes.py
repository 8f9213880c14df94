"""One-time voting codes: how they are drawn, written, read back from a person and hashed.

A code is 16 characters of Crockford's base32 (no I, L, O or U: nothing to confuse when a
resident types it) drawn with `secrets`, so 80 bits; it is shown in four groups,
`XXXX-XXXX-XXXX-XXXX`. The database keeps only `hash_code(code)`, the SHA-256 of the normalised
code under a fixed domain prefix: with 80 random bits nobody can enumerate codes to reverse
it, so no secret key is needed (and none can leak). What a person types is normalised the way
Crockford's alphabet intends (case, spaces and dashes ignored; O read as 0, I and L as 1);
anything else is not a code and never reaches the database.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Final, Literal
from urllib.parse import urlencode

ALPHABET: Final = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32
CODE_LENGTH: Final = 16  # 16 symbols x 5 bits = 80 bits
GROUP: Final = 4
MAX_INPUT: Final = 64  # longer input is junk: refused before any normalisation work
_READ_AS: Final = {"O": "0", "I": "1", "L": "1"}
CodePurpose = Literal["vote", "support"]
PURPOSES: Final[tuple[CodePurpose, ...]] = ("vote", "support")
# One prefix per purpose: the same symbols hash differently as a voting and as a support code,
# so a voting card can never sign and a support card can never vote, whatever the query.
_HASH_PREFIXES: Final[dict[str, bytes]] = {
    "vote": b"vilco-vote-code-v1:",
    "support": b"vilco-support-code-v1:",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class CodeBatch:
    """A batch of codes issued for one process; the counts come from the code table."""

    id: int
    process_id: int
    label: str
    issued_on: str  # ISO date
    issued_by: str
    purpose: CodePurpose = "vote"
    unused: int = 0
    spent: int = 0
    void: int = 0

    @property
    def total(self) -> int:
        return self.unused + self.spent + self.void


def generate_code() -> str:
    """A fresh code, grouped for typing (`7K3M-Q9TX-...`)."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return format_code(raw)


def format_code(raw: str) -> str:
    return "-".join(raw[i : i + GROUP] for i in range(0, len(raw), GROUP))


def normalise_code(text: object) -> str | None:
    """The 16 symbols of what a person typed or a URL carried, or None when it is no code."""
    if not isinstance(text, str) or len(text) > MAX_INPUT:
        return None
    symbols = "".join(ch for ch in text.upper() if ch not in " -\t\u00a0")
    symbols = "".join(_READ_AS.get(ch, ch) for ch in symbols)
    if len(symbols) != CODE_LENGTH or any(ch not in ALPHABET for ch in symbols):
        return None
    return symbols


def hash_code(symbols: str, purpose: CodePurpose = "vote") -> str:
    """The only form in which a code is stored: SHA-256 hex of the normalised symbols under
    the prefix of the code's purpose."""
    return hashlib.sha256(_HASH_PREFIXES[purpose] + symbols.encode("ascii")).hexdigest()


def parse_purpose(value: object) -> CodePurpose:
    """The purpose named `value` ("vote" for anything else: what older rows hold)."""
    return "support" if value == "support" else "vote"


def vote_url(base_url: str, code: str | None = None, *, site_id: int | None = None,
             lang: str | None = None) -> str:  # fmt: skip
    """`BASE/vote?c=CODE` for a personal card, `BASE/vote?site=ID&lang=fr` for a poster."""
    params: dict[str, str] = {}
    if code is not None:
        params["c"] = code
    if site_id is not None:
        params["site"] = str(site_id)
    if lang is not None:
        params["lang"] = lang
    return f"{base_url.rstrip('/')}/vote?{urlencode(params)}"


def sign_url(base_url: str, *, site_id: int | None = None, project_id: int | None = None,
             lang: str | None = None, code: str | None = None) -> str:  # fmt: skip
    """`BASE/sign?site=ID` (a poster), `BASE/sign?project=ID` or `BASE/sign?code=CODE` (a
    support card): the support form."""
    params: dict[str, str] = {}
    if code is not None:
        params["code"] = code
    if site_id is not None:
        params["site"] = str(site_id)
    if project_id is not None:
        params["project"] = str(project_id)
    if lang is not None:
        params["lang"] = lang
    return f"{base_url.rstrip('/')}/sign?{urlencode(params)}"
