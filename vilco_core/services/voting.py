"""Use cases of voting on site and by phone: one-time codes, the vote (phone and paper
ballots, each spending a code), paper entry and recounts, their reconciliation per site, and
the posters that lead to the vote or the support form.

Anonymity: a code row keeps its hash and state, a ballot row its channel, site, date, content
and receipt; nothing is written that joins the two. The spend and the ballot commit together,
the ballot as pending; it reaches the ballots table and the audit log in a later, shuffled
batch of at least k (`services.mixing`), so no transaction or order joins them either. The
paper-entry log keeps the day of an entry, not its time.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from dataclasses import dataclass, replace
from typing import Final

from vilco_core import codes as code_rules
from vilco_core import qr
from vilco_core.ballots import Ballot, BallotKind, BallotRules, make_ballot, paper_items
from vilco_core.errors import VilcoError, expect_found
from vilco_core.model import (
    Channel,
    PaperEntry,
    Phase,
    Process,
    Project,
    Role,
    Site,
    StaffUser,
    stored_id,
)
from vilco_core.results import ballot_projects
from vilco_core.services import access, mixing
from vilco_core.services.audit import log_action
from vilco_core.services.ballots import BallotEntry, store_ballots
from vilco_core.services.processes import phase_open
from vilco_core.spreadsheet import csv_text
from vilco_core.unit_of_work import UnitOfWork

MAX_BATCH: Final = 20_000
DEFAULT_PUBLIC_URL: Final = "http://localhost:8501"


def public_url(environ: dict[str, str] | None = None) -> str:
    """The address residents reach the app at (`VILCO_PUBLIC_URL`), printed in QR codes."""
    env = os.environ if environ is None else environ
    return (env.get("VILCO_PUBLIC_URL") or DEFAULT_PUBLIC_URL).strip().rstrip("/")


# -- one-time codes ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class IssuedBatch:
    """A batch just issued: the only moment its codes exist in clear."""

    batch_id: int
    process_id: int
    codes: tuple[str, ...]
    purpose: code_rules.CodePurpose = "vote"

    def url(self, base_url: str, code: str) -> str:
        """Where the card's QR leads: the vote, or the support form of a support card."""
        if self.purpose == "support":
            return code_rules.sign_url(base_url, code=code)
        return code_rules.vote_url(base_url, code)


def issue_codes(
    uow: UnitOfWork,
    actor: StaffUser | None,
    process_id: int,
    count: int,
    today: dt.date,
    label: str = "",
    purpose: code_rules.CodePurpose = "vote",
) -> IssuedBatch:
    """Draw `count` fresh codes for a process and store only their hashes: voting codes, or
    support codes (a call in `code` mode: one card signs each project once)."""
    if not 1 <= count <= MAX_BATCH:
        raise VilcoError("errors.code_count_invalid", maximum=MAX_BATCH)
    fresh: dict[str, str] = {}
    while len(fresh) < count:  # 80 bits: a collision is only theoretical, but cheap to rule out
        code = code_rules.generate_code()
        fresh[code_rules.hash_code(code.replace("-", ""), purpose)] = code
    with uow:
        access.managed_process(uow, actor, process_id)
        assert actor is not None
        batch_id: int = uow.codes.add_batch(process_id, label.strip()[:120], today,
                                            actor.username, fresh.keys(), purpose)  # fmt: skip
        kind = "codes_issued" if purpose == "vote" else "support_codes_issued"
        log_action(uow, actor, kind, process_id=process_id, batch_id=batch_id, count=count)
        uow.commit()
    return IssuedBatch(batch_id=batch_id, process_id=process_id, codes=tuple(fresh.values()),
                       purpose=purpose)  # fmt: skip


def list_code_batches(uow: UnitOfWork, process_id: int) -> list[code_rules.CodeBatch]:
    with uow:
        return list(uow.codes.batches(process_id))


def void_batch(uow: UnitOfWork, actor: StaffUser | None, batch_id: int) -> int:
    """Void every unused code of a batch (spent ones stay spent: their ballots count)."""
    with uow:
        found = uow.codes.batch_process(batch_id)
        process_id = expect_found(found, "errors.batch_not_found", id=batch_id)
        access.managed_process(uow, actor, process_id)
        voided: int = uow.codes.void_batch(batch_id)
        log_action(
            uow, actor, "batch_voided", process_id=process_id, batch_id=batch_id, voided=voided
        )
        uow.commit()
    return voided


def void_code(uow: UnitOfWork, actor: StaffUser | None, text: str) -> bool:
    """Void one unused code (a lost card); False when it was already spent or void.

    The role is checked before the code is read, so a caller who may not void codes learns
    nothing about which codes exist."""
    access.require(actor, Role.ADMIN, Role.FACILITATOR)
    symbols = _symbols(text)
    with uow:
        code_hash = code_rules.hash_code(symbols)
        found = uow.codes.lookup(code_hash)
        if found is None:  # a lost support card is voided the same way
            code_hash = code_rules.hash_code(symbols, "support")
            found = uow.codes.support_lookup(code_hash)
        if found is None:
            raise VilcoError("vote.code_unknown")
        access.managed_process(uow, actor, found[0])
        voided: bool = uow.codes.void_code(code_hash)
        log_action(uow, actor, "code_voided", process_id=found[0], voided=voided)
        uow.commit()
    return voided


def _symbols(text: object) -> str:
    symbols = code_rules.normalise_code(text)
    if symbols is None:
        raise VilcoError("vote.code_invalid")
    return symbols


def codes_csv(batch: IssuedBatch, base_url: str) -> bytes:
    """The batch as CSV (`code,url`), the one copy of its codes that will ever exist."""
    rows = [[code, batch.url(base_url, code)] for code in batch.codes]
    return csv_text(["code", "url"], rows).encode("utf-8")


def read_codes_csv(data: bytes) -> list[str]:
    """The codes of a CSV written by `codes_csv` (for printing cards later)."""
    rows = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
    found = [code_rules.normalise_code(row.get("code", "")) for row in rows]
    if not found or any(s is None for s in found):
        raise VilcoError("vote.code_invalid")
    return [code_rules.format_code(s) for s in found if s is not None]


# -- posters ----------------------------------------------------------------------------------


def poster_for_site(
    uow: UnitOfWork, site_id: int, target: qr.Target, base_url: str, lang: str = "fr"
) -> qr.PosterContent:
    """What a site's poster shows; its QR leads to the vote (`/vote?site=`) or the support
    form (`/sign?site=`), in `lang` by default."""
    with uow:
        site: Site | None = uow.sites.get(site_id)
        if site is None:
            raise VilcoError("vote.bad_link")
        process = uow.processes.get(site.process_id)
        assert process is not None  # a row's process exists (foreign key)
        project: Project | None = uow.projects.get(site.project_id) if site.project_id else None
    phase = Phase.VOTE if target == "vote" else Phase.SUPPORT
    window = next((w for w in process.phases if w.phase is phase), None)
    url = (
        code_rules.vote_url(base_url, site_id=site_id, lang=lang)
        if target == "vote"
        else code_rules.sign_url(base_url, site_id=site_id, lang=lang)
    )
    return qr.PosterContent(
        process=process,
        project=project,
        site=site,
        url=url,
        target=target,
        starts_on=window.starts_on if window else None,
        ends_on=window.ends_on if window else None,
    )


# -- the vote: phone and paper ballots, each spending a one-time code ----------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class VoteSheet:
    """What a voter with a valid unused code sees: the process, its rules, the projects."""

    process: Process
    rules: BallotRules
    projects: tuple[Project, ...]
    site: Site | None


def _usable_code(uow: UnitOfWork, text: object, site: Site | None) -> tuple[str, Process]:
    """The code's hash and its process, or the `vote.*` error a voter should read."""
    code_hash = code_rules.hash_code(_symbols(text))
    found = uow.codes.lookup(code_hash)
    if found is None:
        raise VilcoError("vote.code_unknown")
    process_id, state = found
    if state != "unused":
        raise VilcoError("vote.code_spent" if state == "spent" else "vote.code_void")
    if site is not None and site.process_id != process_id:
        raise VilcoError("vote.code_other_process")
    process = uow.processes.get(process_id)
    assert process is not None  # a row's process exists (foreign key)
    return code_hash, process


def open_vote(uow: UnitOfWork, code: str, site_id: int | None, today: dt.date) -> VoteSheet:
    """Check a code before showing the ballot (nothing is written)."""
    with uow:
        site: Site | None = uow.sites.get(site_id) if site_id is not None else None
        _code_hash, process = _usable_code(uow, code, site)
        if not phase_open(process, Phase.VOTE, today):
            raise VilcoError("vote.closed")
        listed = ballot_projects(uow.projects.list_for_process(stored_id(process)))
    return VoteSheet(
        process=process, rules=process.ballot_rules(), projects=tuple(listed), site=site
    )


def cast_ballot(
    uow: UnitOfWork,
    code: str,
    ballot: Ballot,
    channel: Channel,
    site_id: int | None,
    today: dt.date,
) -> str:
    """Spend `code` and store `ballot` in ONE transaction; the ballot's receipt.

    The spend is a conditional UPDATE taken first: of two concurrent uses of one code exactly
    one updates the row, the other gets `vote.code_spent` and rolls back. Any refusal (bad
    ballot, closed vote, wrong site) leaves the code unused and stores nothing. The ballot row
    gets no code, no id and no time finer than the day (see `ballots.record_ballot`); it waits
    as pending, and once k ballots wait they are mixed in a new transaction (`mixing.mix_due`,
    after this commit: the receipt is valid whatever the mixer does)."""
    with uow:
        site: Site | None = uow.sites.get(site_id) if site_id is not None else None
        if site_id is not None and site is None:
            raise VilcoError("vote.bad_link")
        code_hash, process = _usable_code(uow, code, site)
        process_id = process.id or 0
        if not uow.codes.spend(code_hash, process_id):
            raise VilcoError("vote.code_spent")  # another transaction spent it meanwhile
        entry = BallotEntry(ballot=ballot, channel=channel, site_id=site_id, cast_on=today)
        try:
            [receipt] = store_ballots(uow, process_id, [entry])
        except VilcoError as error:
            if error.code == "ballot.vote_closed":
                raise VilcoError("vote.closed") from None
            raise
        uow.commit()
    mixing.mix_due(uow, process_id)
    return receipt


@dataclass(frozen=True, slots=True, kw_only=True)
class PaperLine:
    """One paper ballot as the officer types it: the card's code and the ballot."""

    line: int
    code: str
    ballot: Ballot


@dataclass(frozen=True, slots=True, kw_only=True)
class PaperOutcome:
    stored: int
    refused: tuple[tuple[int, VilcoError], ...]  # (line, why)


PaperProblems = list[tuple[int, VilcoError]]


def parse_paper_lines(text: str, kind: BallotKind) -> tuple[list[PaperLine], PaperProblems]:
    """`CODE ; REF REF ...` (`REF:POINTS` for a kind with points), one paper ballot a line."""
    lines: list[PaperLine] = []
    problems: PaperProblems = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        code, _sep, rest = raw.partition(";")
        refs, points = paper_items(rest)
        if code_rules.normalise_code(code) is None or not refs:
            problems.append((number, VilcoError("vote.paper_line_invalid", line=number)))
            continue
        ballot = make_ballot(kind, refs, points)
        lines.append(PaperLine(line=number, code=code, ballot=ballot))
    return lines, problems


MAX_LATE_REASON: Final = 200


def paper_entry_late(process: Process, now: dt.datetime) -> bool:
    """True when paper ballots typed at `now` arrive after the process's vote has ended."""
    return process.vote_ended(now.date())


def enter_paper_ballots(uow: UnitOfWork, actor: StaffUser | None, site_id: int,
                        lines: list[PaperLine], now: dt.datetime, already_refused: int = 0,
                        late_reason: str = "") -> PaperOutcome:  # fmt: skip
    """A poll officer types paper ballots for a site: each spends its card's code with the
    phone's rule (one ballot per code, whatever the channel). The log keeps the officer, the
    day (not the time: it would date the ballots typed) and the counts of the batch, never a
    code or a receipt.

    After the vote has ended (ballots dated later than its last day) the officer must give a
    reason (`vote.late_reason_required`, nothing stored without one); the reason goes into the
    entry log's note and the `paper_entered` audit entry."""
    reason = " ".join(late_reason.split())
    with uow:
        site = access.entered_site(uow, actor, uow.sites.get(site_id))
        process = expect_found(uow.processes.get(site.process_id), "errors.process_not_found",
                               id=site.process_id)  # fmt: skip
        refs = {p.ref.casefold(): p.ref for p in uow.projects.list_for_process(process.id or 0)}
    assert actor is not None
    lines = [_with_refs_as_stored(line, refs) for line in lines]
    late = paper_entry_late(process, now)
    if late and not reason:
        raise VilcoError("vote.late_reason_required", end=vote_end(process))
    if len(reason) > MAX_LATE_REASON:
        raise VilcoError("vote.late_reason_too_long", maximum=MAX_LATE_REASON)
    refused: list[tuple[int, VilcoError]] = []
    stored = 0
    for line in lines:
        try:
            cast_ballot(uow, line.code, line.ballot, "paper", site_id, now.date())
            stored += 1
        except VilcoError as error:
            refused.append((line.line, error))
    entry = PaperEntry(site_id=site_id, kind="entry", ballots=stored,
                       refused=len(refused) + already_refused, officer=actor.username,
                       entered_at=day_of(now), note=reason if late else "")  # fmt: skip
    details: dict[str, object] = {"late_reason": entry.note} if late else {}
    with uow:
        uow.paper_entries.add(site.process_id, entry)
        log_action(uow, actor, "paper_entered", site_id=site_id, stored=stored,
                   refused=entry.refused, **details)  # fmt: skip
        uow.commit()
    return PaperOutcome(stored=stored, refused=tuple(refused))


def _with_refs_as_stored(line: PaperLine, refs: dict[str, str]) -> PaperLine:
    """The line with each ref written as the project stores it (`sc-03` is `SC-03`): officers
    type what the card shows, in whatever case."""
    ids = tuple(refs.get(r.casefold(), r) for r in line.ballot.project_ids)
    return replace(line, ballot=replace(line.ballot, project_ids=ids))


def vote_end(process: Process) -> str:
    ends = [w.ends_on for w in process.phases if w.phase is Phase.VOTE]
    return max(ends).isoformat() if ends else ""


def record_recount(uow: UnitOfWork, actor: StaffUser | None, site_id: int, counted: int,
                   now: dt.datetime, note: str = "") -> None:  # fmt: skip
    """The paper ballots counted in a site's box, to reconcile with those typed in."""
    if counted < 0:
        raise VilcoError("errors.recount_invalid")
    with uow:
        site = access.entered_site(uow, actor, uow.sites.get(site_id))
        assert actor is not None
        uow.paper_entries.add(
            site.process_id,
            PaperEntry(
                site_id=site_id,
                kind="recount",
                ballots=counted,
                refused=0,
                officer=actor.username,
                entered_at=day_of(now),
                note=note.strip()[:200],
            ),
        )
        log_action(uow, actor, "recount_recorded", site_id=site_id, counted=counted)
        uow.commit()


def day_of(now: dt.datetime) -> dt.datetime:
    """Midnight UTC of `now`'s day: what the paper-entry log keeps of a moment."""
    return dt.datetime.combine(now.astimezone(dt.UTC).date() if now.tzinfo else now.date(),
                               dt.time(), tzinfo=dt.UTC)  # fmt: skip


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteReconciliation:
    site: Site
    phone: int
    paper: int  # paper ballots stored for this site
    typed: int  # paper ballots the entry log says were typed in
    recount: int | None  # the latest recount of the box, if any
    log: tuple[PaperEntry, ...]

    @property
    def discrepancy(self) -> int | None:
        """Box minus stored (None before any recount); non-zero needs a look."""
        return None if self.recount is None else self.recount - self.paper


def reconcile_sites(uow: UnitOfWork, process_id: int) -> list[SiteReconciliation]:
    """Per site: phone and paper ballots stored, paper typed in, latest recount."""
    with uow:
        counts = uow.ballots.count_by_channel_site(process_id)
        log: list[PaperEntry] = uow.paper_entries.list_for_process(process_id)
        sites: list[Site] = uow.sites.list_for_process(process_id)
    result = []
    for site in sites:
        mine = tuple(e for e in log if e.site_id == site.id)
        recounts = [e.ballots for e in mine if e.kind == "recount"]
        result.append(
            SiteReconciliation(
                site=site,
                phone=counts.get(("phone", site.id), 0),
                paper=counts.get(("paper", site.id), 0),
                typed=sum(e.ballots for e in mine if e.kind == "entry"),
                recount=recounts[-1] if recounts else None,
                log=mine,
            )
        )
    return result
