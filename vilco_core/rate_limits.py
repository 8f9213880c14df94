"""Rate limits of the support form: how many signature attempts one source may make per period.

A source is a browser session, a client address, a support code or an e-mail address; the
store counts attempts per (source, period) in `rate_attempts`, so every replica of the app
shares the counts. Sources are kept only as SHA-256 under the limit's name (no address or
e-mail in clear). An attempt is counted before anything is checked, so a script guessing codes
or trying names pays for every try; past the limit the attempt is refused and nothing is stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Final, Literal

SourceKind = Literal["session", "address", "code", "email"]
KEEP_SECONDS: Final = 86_400  # older periods are deleted: no limit spans more than a day


@dataclass(frozen=True, slots=True, kw_only=True)
class Limit:
    """At most `attempts` per `seconds` (a fixed period starting at a multiple of `seconds`)."""

    kind: SourceKind
    attempts: int
    seconds: int


SIGN_LIMITS: Final[dict[SourceKind, Limit]] = {
    # a person signs a handful of projects in one visit
    "session": Limit(kind="session", attempts=5, seconds=600),
    # a household or a café's Wi-Fi shares one address
    "address": Limit(kind="address", attempts=20, seconds=600),
    # a card signs each project once; more tries are someone else's attempts
    "code": Limit(kind="code", attempts=10, seconds=600),
    # confirmation mails to one address: no mail bombing through the form
    "email": Limit(kind="email", attempts=3, seconds=3600),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Attempt:
    """One row to count: the hashed source and the start of its period (Unix seconds)."""

    source: str
    period: int
    limit: Limit


def attempt_of(kind: SourceKind, value: str, now: dt.datetime) -> Attempt:
    limit = SIGN_LIMITS[kind]
    digest = hashlib.sha256(f"vilco-rate-v1:{kind}:{value}".encode()).hexdigest()
    seconds = int(now.timestamp())
    return Attempt(source=digest, period=seconds - seconds % limit.seconds, limit=limit)


def stale_before(now: dt.datetime) -> int:
    """Periods starting before this (Unix seconds) are of no use to any limit."""
    return int(now.timestamp()) - KEEP_SECONDS
