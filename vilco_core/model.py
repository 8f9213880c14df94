"""Domain values of vilco: communes, processes and their phases, projects, sites, staff users,
stored ballots, signatures, paper entries and audit entries.

Everything here is a frozen dataclass or a closed `StrEnum`; persistence turns rows into these
values and back (`vilco_core.store`), so pages and services never hold an ORM object. Money is
integer cents. Texts a resident sees come as `LocalText` (one text per language).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final, Literal, Protocol

from vilco_core.ballots import Ballot, BallotRules, with_envelope
from vilco_core.errors import VilcoError
from vilco_core.signatures import Signature, SignatureMode
from vilco_core.typed_text import TypedText, strip_bidi

FALLBACK_TEXT_LANGUAGE: Final = "fr"  # what a LocalText shows in a language it lacks
REQUIRED_TEXT_LANGUAGES: Final = ("fr", "nl")  # Brussels' two official languages


class Phase(StrEnum):
    """The phases of a process, in their usual order."""

    PROPOSALS = "proposals"
    SUPPORT = "support"
    DELIBERATION = "deliberation"
    VOTE = "vote"
    RESULTS = "results"
    EVALUATION = "evaluation"


class ProcessKind(StrEnum):
    BUDGET = "budget"  # a participatory budget: residents or a panel allocate an envelope
    CALL = "call"  # a call for projects, possibly open all year (rolling)


class ProjectStatus(StrEnum):
    PROPOSED = "proposed"
    ELIGIBLE = "eligible"
    SELECTED = "selected"
    REJECTED = "rejected"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"  # taken off the ballot during the vote, with a reason (`locking`)


class Role(StrEnum):
    ADMIN = "admin"  # everything
    FACILITATOR = "facilitator"  # the processes of their communes
    POLL_OFFICER = "poll_officer"  # tally entry only
    AGENT = "agent"  # the shared spaces and garage items of their communes


class BudgetKind(StrEnum):
    DISTRICT = "district"
    THEME = "theme"


@dataclass(frozen=True, slots=True, init=False)
class LocalText:
    """A text in several languages: `LocalText(fr=..., nl=..., en=...)` or `LocalText.of(texts)`.

    French and Dutch are required by validation; any other language falls back to French.
    Empty texts are dropped, so `LocalText(fr="a", nl="b", en="")` equals
    `LocalText(fr="a", nl="b")`; the pairs are kept sorted so equal texts compare and hash equal.
    """

    texts: tuple[tuple[str, str], ...]

    def __init__(self, texts: Mapping[str, str] | None = None, /, **by_language: str) -> None:
        merged = {**(texts or {}), **by_language}
        object.__setattr__(
            self,
            "texts",
            tuple(sorted((lang, strip_bidi(text)) for lang, text in merged.items() if text)),
        )

    @classmethod
    def of(cls, texts: Mapping[str, object]) -> LocalText:
        """From stored JSON: `{language: text}`; anything but a string is ignored."""
        return cls({lang: text for lang, text in texts.items() if isinstance(text, str)})

    def exact(self, language: str) -> str:
        """The text written in `language` itself, "" when there is none (no fallback)."""
        return dict(self.texts).get(language, "")

    def get(self, language: str) -> str:
        """The text in `language`, else the French one."""
        return self.exact(language) or self.exact(FALLBACK_TEXT_LANGUAGE)

    def as_dict(self) -> dict[str, str]:
        return dict(self.texts)


@dataclass(frozen=True, slots=True, kw_only=True)
class Commune:
    code: str  # NIS code, stable and official
    name: LocalText
    postcodes: tuple[str, ...]
    lat: float
    lon: float


@dataclass(frozen=True, slots=True, kw_only=True)
class PhaseWindow:
    phase: Phase
    starts_on: dt.date
    ends_on: dt.date


@dataclass(frozen=True, slots=True, kw_only=True)
class SubBudget(TypedText):
    """One envelope of a process: a district's or a theme's money. A project belongs to it when
    its `district` (district envelopes) or `theme` (theme envelopes) is the key or one of the
    names (`vilco_core.envelopes`). `min_supporters`: its own threshold (None: the process's)."""

    key: str
    kind: BudgetKind
    name: LocalText
    amount_cents: int
    min_supporters: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class QuarterEnvelope:
    quarter: int  # 1..4
    starts_on: dt.date
    ends_on: dt.date
    amount_cents: int


# What residents fill in unless the process says otherwise: approve one to five projects.
# A knapsack ballot without `budget` uses the process's envelope (see `Process.ballot_rules`).
DEFAULT_BALLOT: Final = BallotRules(kind="approval", min_projects=1, max_projects=5)
# A resident vote funds no project nobody voted for, whatever the rule (0: no threshold at all).
DEFAULT_MIN_SUPPORTERS: Final = 1


@dataclass(frozen=True, slots=True, kw_only=True)
class Process(TypedText):
    id: int | None
    name: LocalText
    kind: ProcessKind
    commune_codes: tuple[str, ...]
    envelope_cents: int
    year: int
    sub_budgets: tuple[SubBudget, ...] = ()
    phases: tuple[PhaseWindow, ...] = ()
    rolling: bool = False
    rule: str = "greedy"  # the outcome rule announced for this process
    signature_threshold: int = 0  # a call may require residents' signatures (0: none)
    signature_mode: SignatureMode = "code"  # how a signature is confirmed (`signatures`)
    ballot: BallotRules = DEFAULT_BALLOT  # the ballot residents fill in for the vote
    # a project needs this many supporters to be funded (Warsaw's threshold); 1: "at least one"
    min_supporters: int = DEFAULT_MIN_SUPPORTERS
    leftover_to_city: bool = False  # what a sub-budget leaves unspent goes to the city-wide part

    def ballot_rules(self) -> BallotRules:
        """The ballot settings `validate_ballot` applies: a knapsack without its own budget
        shares the process's envelope."""
        return with_envelope(self.ballot, self.envelope_cents)

    def vote_ended(self, day: dt.date) -> bool:
        """True once the vote phase is over on `day` (a process without one never ends)."""
        votes = [w for w in self.phases if w.phase is Phase.VOTE]
        return bool(votes) and all(w.ends_on < day for w in votes)

    def phase_on(self, day: dt.date) -> Phase | None:
        """The phase running on `day`: the latest-starting window, the earlier phase on a tie
        (a rolling call takes proposals and support at once and shows as "proposals")."""
        order = list(Phase)
        running = [w for w in self.phases if w.starts_on <= day <= w.ends_on]
        latest = max(running, key=lambda w: (w.starts_on, -order.index(w.phase)), default=None)
        return latest.phase if latest else None

    def quarterly_envelopes(self) -> tuple[QuarterEnvelope, ...]:
        """A rolling call splits the yearly envelope into four quarterly envelopes."""
        return split_quarters(self.envelope_cents, self.year) if self.rolling else ()


def split_quarters(envelope_cents: int, year: int) -> tuple[QuarterEnvelope, ...]:
    """Four envelopes summing exactly to the year's; leftover cents go to the first quarters."""
    base, extra = divmod(envelope_cents, 4)
    starts = [dt.date(year, month, 1) for month in (1, 4, 7, 10)]
    ends = [*(s - dt.timedelta(days=1) for s in starts[1:]), dt.date(year, 12, 31)]
    return tuple(
        QuarterEnvelope(
            quarter=i + 1, starts_on=starts[i], ends_on=ends[i], amount_cents=base + (i < extra)
        )
        for i in range(4)
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Project(TypedText):
    id: int | None
    process_id: int
    ref: str  # the project's id as the commune knows it (CSV `id` column), unique per process
    title: LocalText
    description: LocalText
    cost_cents: int
    lat: float
    lon: float
    district: str = ""
    theme: str = ""
    initiative: str = ""
    status: ProjectStatus = ProjectStatus.PROPOSED
    withdrawn_reason: str = ""  # why it was withdrawn during the vote (status WITHDRAWN)


@dataclass(frozen=True, slots=True, kw_only=True)
class Site(TypedText):
    id: int | None
    process_id: int
    project_id: int | None
    name: str
    address: str
    lat: float
    lon: float


Channel = Literal["phone", "paper", "panel", "import", "demo"]
CHANNELS: Final[tuple[Channel, ...]] = ("phone", "paper", "panel", "import", "demo")


def parse_channel(value: str) -> Channel:
    """The channel named `value`; `VilcoError("ballot.unknown_channel")` otherwise."""
    for channel in CHANNELS:
        if channel == value:
            return channel
    raise VilcoError("ballot.unknown_channel", channel=value)


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredBallot:
    """An anonymous ballot as stored: what was voted, how (channel, site) and on which day.

    `receipt` is random (its own key: no arrival order is kept); nothing names the voter."""

    receipt: str
    process_id: int
    ballot: Ballot
    channel: Channel
    site_id: int | None
    cast_on: dt.date


@dataclass(frozen=True, slots=True, kw_only=True)
class StaffUser:
    username: str
    name: str
    role: Role
    commune_codes: tuple[str, ...] = field(default=())  # what they may do: `services.access`
    disabled_at: dt.datetime | None = None  # set by an admin: no login, no cookie session

    @property
    def disabled(self) -> bool:
        return self.disabled_at is not None


@dataclass(frozen=True, slots=True, kw_only=True)
class PanelDraw:
    """A draw by lot of a process's citizen panel, published in two steps: first the lottery
    (its file and SHA-256, fixed before any seed exists), then the seed entered in public.

    `pool_csv` holds only what the draw reads (the id and the quota features), never names or
    contacts, so the whole record can be shown to anyone who wants to check the draw."""

    id: int | None
    process_id: int
    title: str
    method: str
    size: int
    alternates_count: int
    pool_csv: str
    quotas_csv: str
    lottery: bytes
    lottery_sha256: str
    pool_sha256: str
    quotas_sha256: str
    vilco_version: str
    published_at: dt.datetime
    published_by: str
    seed: str | None = None
    panel: tuple[str, ...] = ()
    alternates: tuple[str, ...] = ()
    witnesses: tuple[str, ...] = ()
    drawn_at: dt.datetime | None = None
    drawn_by: str | None = None

    @property
    def drawn(self) -> bool:
        return self.seed is not None


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredSignature(Signature):
    """A support signature as the commune exports it: stored, so dated, with how it was
    confirmed (`mode`), its `state` (pending, valid, struck) and why staff struck it."""

    signed_on: dt.date
    id: int | None = None
    mode: str = "unverified"
    state: str = "valid"
    struck_reason: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class PaperEntry(TypedText):
    """One line of the paper-entry log: who typed (or recounted) how many ballots, and when."""

    site_id: int
    kind: str  # "entry" or "recount"
    ballots: int
    refused: int
    officer: str
    entered_at: dt.datetime
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditEntry:
    """One entry of the hash-chained audit log (`vilco_core.audit` computes and checks hashes)."""

    seq: int
    kind: str
    day: dt.date
    payload: str  # canonical JSON
    prev_hash: str
    hash: str


class _Stored(Protocol):
    @property
    def id(self) -> int | None: ...


def stored_id(value: _Stored) -> int:
    """The id the store gave `value`; a value read from a repository always has one."""
    if value.id is None:
        raise ValueError(f"{type(value).__name__} has not been stored")
    return value.id
