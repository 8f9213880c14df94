"""Use cases of voting on site: one-time codes, support signatures, phone and paper ballots,
tallies. A sibling of `services` (same conventions: a unit of work first, `VilcoError` codes,
staff actions checked with `services._require`), kept apart so that features written in
parallel do not edit the same file.

Anonymity: a code row keeps its hash and state, a ballot row (the results feature's table) its
channel, site, date, content and receipt; nothing is written that joins the two.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Final

from vilco_core import codes as code_rules
from vilco_core import qr, services
from vilco_core.audit import log_action
from vilco_core.ballots import Ballot, BallotKind, BallotRules
from vilco_core.errors import VilcoError
from vilco_core.model import (
    Channel,
    PaperEntry,
    Phase,
    Process,
    Project,
    ProjectStatus,
    Role,
    Site,
    StaffUser,
    StoredSignature,
    stored_id,
)
from vilco_core.results import ballot_projects
from vilco_core.signatures import Signature, SupportCount, checked_signature, normalise_name
from vilco_core.tally import Tally, tally_ballots
from vilco_core.unit_of_work import UnitOfWork

MAX_BATCH: Final = 20_000
CLI_ACTOR: Final = StaffUser(username="cli", name="command line", role=Role.ADMIN)
DEFAULT_PUBLIC_URL: Final = "http://localhost:8501"

__all__ = ["PaperEntry", "StoredSignature"]


def public_url(environ: dict[str, str] | None = None) -> str:
    """The address residents reach the app at (`VILCO_PUBLIC_URL`), printed in QR codes."""
    env = os.environ if environ is None else environ
    return (env.get("VILCO_PUBLIC_URL") or DEFAULT_PUBLIC_URL).strip().rstrip("/")


def phase_open(process: Process, phase: Phase, today: dt.date) -> bool:
    return any(w.phase is phase and w.starts_on <= today <= w.ends_on for w in process.phases)


def _managed(uow: UnitOfWork, actor: StaffUser | None, process_id: int) -> Process:
    user = services._require(actor, Role.ADMIN, Role.FACILITATOR)
    process: Process | None = uow.processes.get(process_id)
    if process is None:
        raise VilcoError("errors.process_not_found", id=process_id)
    if not user.may_manage(process):
        raise VilcoError("errors.forbidden")
    return process


# -- one-time codes ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class IssuedBatch:
    """A batch just issued: the only moment its codes exist in clear."""

    batch_id: int
    process_id: int
    codes: tuple[str, ...]


def issue_codes(uow: UnitOfWork, actor: StaffUser | None, process_id: int, count: int,
                today: dt.date, label: str = "") -> IssuedBatch:  # fmt: skip
    """Draw `count` fresh codes for a process and store only their hashes."""
    if not 1 <= count <= MAX_BATCH:
        raise VilcoError("errors.code_count_invalid", maximum=MAX_BATCH)
    fresh: dict[str, str] = {}
    while len(fresh) < count:  # 80 bits: a collision is only theoretical, but cheap to rule out
        code = code_rules.generate_code()
        fresh[code_rules.hash_code(code.replace("-", ""))] = code
    with uow:
        _managed(uow, actor, process_id)
        assert actor is not None
        batch_id: int = uow.codes.add_batch(process_id, label.strip()[:120], today,
                                            actor.username, fresh.keys())  # fmt: skip
        log_action(uow, actor, "codes_issued", process_id=process_id, batch_id=batch_id,
                   count=count)  # fmt: skip
        uow.commit()
    return IssuedBatch(batch_id=batch_id, process_id=process_id, codes=tuple(fresh.values()))


def list_code_batches(uow: UnitOfWork, process_id: int) -> list[code_rules.CodeBatch]:
    with uow:
        return list(uow.codes.batches(process_id))


def void_batch(uow: UnitOfWork, actor: StaffUser | None, batch_id: int) -> int:
    """Void every unused code of a batch (spent ones stay spent: their ballots count)."""
    with uow:
        process_id = uow.codes.batch_process(batch_id)
        if process_id is None:
            raise VilcoError("errors.batch_not_found", id=batch_id)
        _managed(uow, actor, process_id)
        voided: int = uow.codes.void_batch(batch_id)
        log_action(uow, actor, "batch_voided", process_id=process_id, batch_id=batch_id,
                   voided=voided)  # fmt: skip
        uow.commit()
    return voided


def void_code(uow: UnitOfWork, actor: StaffUser | None, text: str) -> bool:
    """Void one unused code (a lost card); False when it was already spent or void.

    The role is checked before the code is read, so a caller who may not void codes learns
    nothing about which codes exist."""
    services._require(actor, Role.ADMIN, Role.FACILITATOR)
    symbols = _symbols(text)
    with uow:
        found = uow.codes.lookup(code_rules.hash_code(symbols))
        if found is None:
            raise VilcoError("vote.code_unknown")
        _managed(uow, actor, found[0])
        voided: bool = uow.codes.void_code(code_rules.hash_code(symbols))
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
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["code", "url"])
    for code in batch.codes:
        writer.writerow([code, code_rules.vote_url(base_url, code)])
    return out.getvalue().encode("utf-8")


def read_codes_csv(data: bytes) -> list[str]:
    """The codes of a CSV written by `codes_csv` (for printing cards later)."""
    rows = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
    found = [code_rules.normalise_code(row.get("code", "")) for row in rows]
    if not found or any(s is None for s in found):
        raise VilcoError("vote.code_invalid")
    return [code_rules.format_code(s) for s in found if s is not None]


# -- support signatures ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class SignOutcome:
    counted: bool  # False: this person had already signed; it counts once
    support: SupportCount
    became_eligible: bool


def _project_of(uow: UnitOfWork, project_id: int) -> tuple[Project, Process]:
    project: Project | None = uow.projects.get(project_id)
    process: Process | None = None if project is None else uow.processes.get(project.process_id)
    if project is None or process is None:
        raise VilcoError("errors.project_not_found")
    return project, process


def sign_support(uow: UnitOfWork, signature: Signature, today: dt.date) -> SignOutcome:
    """Record a resident's support; a project reaching its call's threshold becomes eligible."""
    clean = checked_signature(signature)
    with uow:
        project, process = _project_of(uow, clean.project_id)
        if not phase_open(process, Phase.SUPPORT, today):
            raise VilcoError("errors.support_closed")
        counted: bool = uow.signatures.add(
            stored_id(process), clean, normalise_name(clean.name), today
        )
        count = uow.signatures.counts(stored_id(process)).get(stored_id(project), 0)
        support = SupportCount(project_id=clean.project_id, signatures=count,
                               threshold=process.signature_threshold)  # fmt: skip
        eligible = support.reached and project.status is ProjectStatus.PROPOSED
        if eligible:
            uow.projects.update(replace(project, status=ProjectStatus.ELIGIBLE))
        uow.commit()
    return SignOutcome(counted=counted, support=support, became_eligible=eligible)


def support_counts(uow: UnitOfWork, process_id: int) -> list[SupportCount]:
    """Every project of the process with its signatures and the call's threshold."""
    with uow:
        process: Process | None = uow.processes.get(process_id)
        if process is None:
            raise VilcoError("errors.process_not_found", id=process_id)
        counts = uow.signatures.counts(process_id)
        projects: Sequence[Project] = uow.projects.list_for_process(process_id)
    return [
        SupportCount(
            project_id=p.id, signatures=counts.get(p.id, 0), threshold=process.signature_threshold
        )
        for p in projects
        if p.id is not None
    ]


@dataclass(frozen=True, slots=True, kw_only=True)
class SupportTarget:
    """A project collecting support, with its process and its count so far."""

    process: Process
    project: Project
    support: SupportCount


def support_targets(uow: UnitOfWork, today: dt.date) -> list[SupportTarget]:
    """Every project of every process whose support phase is open today."""
    with uow:
        found = []
        for process in uow.processes.list():
            if not phase_open(process, Phase.SUPPORT, today):
                continue
            counts = uow.signatures.counts(stored_id(process))
            found += [
                SupportTarget(
                    process=process,
                    project=p,
                    support=SupportCount(
                        project_id=stored_id(p),
                        signatures=counts.get(stored_id(p), 0),
                        threshold=process.signature_threshold,
                    ),
                )
                for p in uow.projects.list_for_process(stored_id(process))
                if p.status in (ProjectStatus.PROPOSED, ProjectStatus.ELIGIBLE)
            ]
    return found


def export_signatures(uow: UnitOfWork, actor: StaffUser | None, process_id: int) -> bytes:
    """The signatures of a process as CSV for the commune (staff of that process only)."""
    with uow:
        _managed(uow, actor, process_id)
        refs = {p.id: p.ref for p in uow.projects.list_for_process(process_id)}
        rows: list[StoredSignature] = uow.signatures.list_for_process(process_id)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["project", "name", "postcode", "email", "channel", "site", "signed_on"])
    for s in rows:
        writer.writerow([refs.get(s.project_id, ""), _cell(s.name), s.postcode, _cell(s.email),
                         s.channel, s.site_id or "", s.signed_on.isoformat()])  # fmt: skip
    return out.getvalue().encode("utf-8")


def _cell(text: str) -> str:
    """A spreadsheet opening the export must not run a resident's "=HYPERLINK(...)"."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


# -- sites -------------------------------------------------------------------------------------


def find_site(uow: UnitOfWork, text: object) -> Site:
    """The site a poster's `site=` names; anything else is `vote.bad_link`."""
    site_id = parse_id(text)
    with uow:
        site: Site | None = uow.sites.get(site_id) if site_id is not None else None
    if site is None:
        raise VilcoError("vote.bad_link")
    return site


def parse_id(text: object) -> int | None:
    """A positive database id from a URL parameter, else None (junk never reaches SQL)."""
    if not isinstance(text, str) or not 1 <= len(text) <= 9 or not text.isascii():
        return None
    return int(text) if text.isdigit() and int(text) > 0 else None


def poster_for_site(uow: UnitOfWork, site_id: int, target: qr.Target, base_url: str,
                    lang: str = "fr") -> qr.PosterContent:  # fmt: skip
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
    url = (code_rules.vote_url(base_url, site_id=site_id, lang=lang) if target == "vote"
           else code_rules.sign_url(base_url, site_id=site_id, lang=lang))  # fmt: skip
    return qr.PosterContent(
        process=process, project=project, site=site, url=url, target=target,
        starts_on=window.starts_on if window else None,
        ends_on=window.ends_on if window else None,
    )  # fmt: skip


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
    return VoteSheet(process=process, rules=process.ballot_rules(), projects=tuple(listed),
                     site=site)  # fmt: skip


def cast_ballot(uow: UnitOfWork, code: str, ballot: Ballot, channel: Channel,
                site_id: int | None, today: dt.date) -> str:  # fmt: skip
    """Spend `code` and store `ballot` in ONE transaction; the ballot's receipt.

    The spend is a conditional UPDATE taken first: of two concurrent uses of one code exactly
    one updates the row, the other gets `vote.code_spent` and rolls back. Any refusal (bad
    ballot, closed vote, wrong site) leaves the code unused and stores nothing. The ballot row
    gets no code, no id and no time finer than the day (see `services.record_ballot`)."""
    with uow:
        site: Site | None = uow.sites.get(site_id) if site_id is not None else None
        if site_id is not None and site is None:
            raise VilcoError("vote.bad_link")
        code_hash, process = _usable_code(uow, code, site)
        process_id = process.id or 0
        if not uow.codes.spend(code_hash, process_id):
            raise VilcoError("vote.code_spent")  # another transaction spent it meanwhile
        entry = services.BallotEntry(ballot=ballot, channel=channel, site_id=site_id,
                                     cast_on=today)  # fmt: skip
        try:
            [receipt] = services.store_ballots(uow, process_id, [entry])
        except VilcoError as error:
            if error.code == "ballot.vote_closed":
                raise VilcoError("vote.closed") from None
            raise
        uow.commit()
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
    """`CODE ; REF REF ...` (cumulative: `REF:POINTS`), one paper ballot a line."""
    lines: list[PaperLine] = []
    problems: PaperProblems = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        code, _sep, rest = raw.partition(";")
        refs, points = [], []
        for item in rest.replace(",", " ").split():
            ref, _colon, value = item.partition(":")
            refs.append(ref.strip())
            points.append(int(value) if value.isdigit() else 0)
        if code_rules.normalise_code(code) is None or not refs:
            problems.append((number, VilcoError("vote.paper_line_invalid", line=number)))
            continue
        ballot = Ballot(kind=kind, project_ids=tuple(refs),
                        points=tuple(points) if kind == "cumulative" else ())  # fmt: skip
        lines.append(PaperLine(line=number, code=code, ballot=ballot))
    return lines, problems


def enter_paper_ballots(uow: UnitOfWork, actor: StaffUser | None, site_id: int,
                        lines: list[PaperLine], now: dt.datetime,
                        already_refused: int = 0) -> PaperOutcome:  # fmt: skip
    """A poll officer types paper ballots for a site: each spends its card's code with the
    phone's rule (one ballot per code, whatever the channel). The log keeps the officer, the
    time and the counts of the batch, never a code or a receipt."""
    with uow:
        site = _require_officer(uow, actor, uow.sites.get(site_id))
    assert actor is not None
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
                       entered_at=now)  # fmt: skip
    with uow:
        uow.paper_entries.add(site.process_id, entry)
        log_action(uow, actor, "paper_entered", site_id=site_id, stored=stored,
                   refused=entry.refused)  # fmt: skip
        uow.commit()
    return PaperOutcome(stored=stored, refused=tuple(refused))


def record_recount(uow: UnitOfWork, actor: StaffUser | None, site_id: int, counted: int,
                   now: dt.datetime, note: str = "") -> None:  # fmt: skip
    """The paper ballots counted in a site's box, to reconcile with those typed in."""
    if counted < 0:
        raise VilcoError("errors.recount_invalid")
    with uow:
        site = _require_officer(uow, actor, uow.sites.get(site_id))
        assert actor is not None
        uow.paper_entries.add(site.process_id, PaperEntry(
            site_id=site_id, kind="recount", ballots=counted, refused=0,
            officer=actor.username, entered_at=now, note=note.strip()[:200]))  # fmt: skip
        log_action(uow, actor, "recount_recorded", site_id=site_id, counted=counted)
        uow.commit()


def may_enter(user: StaffUser, process: Process) -> bool:
    """Admins everywhere; facilitators and poll officers in their communes."""
    return user.role is Role.ADMIN or bool(set(user.commune_codes) & set(process.commune_codes))


def _require_officer(uow: UnitOfWork, actor: StaffUser | None, site: Site | None) -> Site:
    user = services._require(actor, Role.ADMIN, Role.FACILITATOR, Role.POLL_OFFICER)
    if site is None:
        raise VilcoError("vote.bad_link")
    process = uow.processes.get(site.process_id)
    assert process is not None  # a row's process exists (foreign key)
    if not may_enter(user, process):
        raise VilcoError("errors.forbidden")
    return site


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
        result.append(SiteReconciliation(
            site=site, phone=counts.get(("phone", site.id), 0),
            paper=counts.get(("paper", site.id), 0),
            typed=sum(e.ballots for e in mine if e.kind == "entry"),
            recount=recounts[-1] if recounts else None, log=mine))  # fmt: skip
    return result


def live_tally(uow: UnitOfWork, process_id: int) -> Tally:
    """Counts per project, per site and per channel of every stored ballot, each once."""
    with uow:
        ballots = uow.ballots.list_for_process(process_id)
    return tally_ballots(ballots)


def open_ballot(uow: UnitOfWork, process_id: int) -> list[Project]:
    """The projects on a process's ballot (for the officer's paper entry)."""
    with uow:
        return ballot_projects(uow.projects.list_for_process(process_id))
