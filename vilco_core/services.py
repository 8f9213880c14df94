"""Use cases: the only place that joins validation, rules and persistence.

Each function takes a unit of work (`uow`: repositories + commit) first; pages and the CLI call
these and nothing below them. Staff actions take the acting `StaffUser` and refuse with
`errors.forbidden` when the role does not allow them.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Final

import bcrypt

from vilco_core.audit import log_action
from vilco_core.ballots import Ballot, validate_ballot
from vilco_core.communes import COMMUNES
from vilco_core.draws import Verification, pool_matches_lottery, public_pool_csv, verify_draw
from vilco_core.errors import ValidationErrors, VilcoError
from vilco_core.model import (
    CHANNELS,
    Channel,
    PanelDraw,
    Phase,
    Process,
    Project,
    Role,
    Site,
    StaffUser,
    stored_id,
)
from vilco_core.project_csv import parse_projects_csv
from vilco_core.results import ProcessResults, ballot_projects, tally_results
from vilco_core.sortition import (
    draw_panel,
    lottery_sha256,
    parse_quotas,
    quotas_sha256,
    read_lottery,
)
from vilco_core.unit_of_work import UnitOfWork
from vilco_core.validation import validate_process, validate_project

MAX_FAILED_LOGINS: Final = 5
LOCKOUT: Final = dt.timedelta(minutes=15)
MIN_PASSWORD: Final = 10


def _require(actor: StaffUser | None, *roles: Role) -> StaffUser:
    if actor is None or actor.role not in roles:
        raise VilcoError("errors.forbidden")
    return actor


# -- processes ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ProcessSummary:
    process: Process
    phase: Phase | None
    project_count: int


def list_processes(uow: UnitOfWork) -> list[Process]:
    with uow:
        return list(uow.processes.list())


def summarise_processes(uow: UnitOfWork, today: dt.date) -> list[ProcessSummary]:
    """Every process with the phase running on `today`, running ones first."""
    with uow:
        summaries = [
            ProcessSummary(
                process=p,
                phase=p.phase_on(today),
                project_count=len(uow.projects.list_for_process(stored_id(p))),
            )
            for p in uow.processes.list()
        ]
    return sorted(summaries, key=lambda s: (s.phase is None, s.process.id))


def get_process(uow: UnitOfWork, process_id: int) -> Process:
    with uow:
        process: Process | None = uow.processes.get(process_id)
    if process is None:
        raise VilcoError("errors.process_not_found", id=process_id)
    return process


def save_process(uow: UnitOfWork, actor: StaffUser | None, process: Process) -> int:
    """Create (`id=None`) or update a process; facilitators only within their communes."""
    user = _require(actor, Role.ADMIN, Role.FACILITATOR)
    problems = validate_process(process)
    if problems:
        raise ValidationErrors(problems)
    if not user.may_manage(process):
        raise VilcoError("errors.forbidden")
    with uow:
        if process.id is None:
            new_id: int = uow.processes.add(process)
        else:
            old = uow.processes.get(process.id)
            if old is None:
                raise VilcoError("errors.process_not_found", id=process.id)
            if not user.may_manage(old):
                raise VilcoError("errors.forbidden")
            uow.processes.update(process)
            new_id = process.id
        log_action(uow, user, "process_saved", process_id=new_id)
        uow.commit()
    return new_id


# -- projects ----------------------------------------------------------------------------------


def list_projects(uow: UnitOfWork, process_id: int) -> list[Project]:
    with uow:
        return list(uow.projects.list_for_process(process_id))


def list_sites(uow: UnitOfWork, process_id: int) -> list[Site]:
    with uow:
        return list(uow.sites.list_for_process(process_id))


def _managed_process(uow: UnitOfWork, user: StaffUser, process_id: int) -> Process:
    process: Process | None = uow.processes.get(process_id)
    if process is None:
        raise VilcoError("errors.process_not_found", id=process_id)
    if not user.may_manage(process):
        raise VilcoError("errors.forbidden")
    return process


def save_project(uow: UnitOfWork, actor: StaffUser | None, project: Project) -> int:
    """Create (`id=None`) or update a project of a process the actor manages."""
    user = _require(actor, Role.ADMIN, Role.FACILITATOR)
    problems = validate_project(project)
    if problems:
        raise ValidationErrors(problems)
    with uow:
        _managed_process(uow, user, project.process_id)
        others = {
            p.ref for p in uow.projects.list_for_process(project.process_id) if p.id != project.id
        }
        if project.ref in others:
            raise ValidationErrors([VilcoError("errors.duplicate_ref", ref=project.ref)])
        if project.id is None:
            project_id: int = uow.projects.add(project)
        else:
            uow.projects.update(project)
            project_id = project.id
        log_action(uow, user, "project_saved", process_id=project.process_id, project_id=project_id)
        uow.commit()
    return project_id


def import_projects(uow: UnitOfWork, actor: StaffUser | None, process_id: int, data: bytes) -> int:
    """Import a CSV of projects: all rows or none. Returns how many were added."""
    user = _require(actor, Role.ADMIN, Role.FACILITATOR)
    with uow:
        _managed_process(uow, user, process_id)
        projects = parse_projects_csv(data, process_id, uow.projects.refs(process_id))
        for project in projects:
            uow.projects.add(project)
        log_action(uow, user, "projects_imported", process_id=process_id, count=len(projects))
        uow.commit()
    return len(projects)


# -- staff -------------------------------------------------------------------------------------


def hash_password(password: str) -> str:
    # 12 rounds in production; VILCO_BCRYPT_ROUNDS lowers it for the test suite (minimum 4).
    rounds = max(4, min(16, int(os.environ.get("VILCO_BCRYPT_ROUNDS", "12") or 12)))
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=rounds)).decode()


def add_staff_user(uow: UnitOfWork, user: StaffUser, password: str) -> None:
    """Create a staff account (bcrypt-hashed password); the CLI's `users add`."""
    problems = _text_problems(user)
    if len(password) < MIN_PASSWORD:
        problems.append(VilcoError("errors.password_too_short", minimum=MIN_PASSWORD))
    if problems:
        raise ValidationErrors(problems)
    with uow:
        if uow.staff.get(user.username) is not None:
            raise VilcoError("errors.username_taken", username=user.username)
        uow.communes.add_missing(COMMUNES)
        uow.staff.add(user, hash_password(password))
        log_action(uow, None, "user_added", username=user.username, role=user.role.value)
        uow.commit()


def _text_problems(user: StaffUser) -> list[VilcoError]:
    problems = []
    if (
        not user.username
        or len(user.username) > 60
        or not user.username.isascii()
        or user.username != user.username.lower().strip()
        or " " in user.username
    ):
        problems.append(VilcoError("errors.username_invalid"))
    if user.role is Role.FACILITATOR and not user.commune_codes:
        problems.append(VilcoError("errors.facilitator_needs_commune"))
    known = {c.code for c in COMMUNES}
    problems += [
        VilcoError("errors.unknown_commune", commune=c)
        for c in user.commune_codes
        if c not in known
    ]
    return problems


def get_staff_user(uow: UnitOfWork, username: str | None) -> StaffUser | None:
    if not username:
        return None
    with uow:
        user: StaffUser | None = uow.staff.get(username)
    return user


@dataclass(frozen=True, slots=True, kw_only=True)
class LoginRecord:
    user: StaffUser
    password_hash: str
    failed_logins: int
    locked_until: dt.datetime | None

    def locked(self, now: dt.datetime) -> bool:
        return self.locked_until is not None and _aware(self.locked_until) > now


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def login_records(uow: UnitOfWork, now: dt.datetime) -> list[LoginRecord]:
    """Every account for the login widget; an expired lock counts as zero failures."""
    with uow:
        rows = uow.staff.credentials()
    records = [
        LoginRecord(user=u, password_hash=h, failed_logins=f, locked_until=t) for u, h, f, t in rows
    ]
    return [
        r
        if r.locked(now) or r.locked_until is None
        else replace(r, failed_logins=0, locked_until=None)
        for r in records
    ]


def record_failed_login(uow: UnitOfWork, username: str, now: dt.datetime) -> bool:
    """Count a failed login; returns True when the account is now locked."""
    with uow:
        records = {u.username: (f, t) for u, _h, f, t in uow.staff.credentials()}
        if username not in records:
            return False
        until = records[username][1]
        if until is not None and _aware(until) <= now:
            uow.staff.reset_failures(username)
        count: int = uow.staff.record_failure(username, MAX_FAILED_LOGINS, now + LOCKOUT)
        if count == MAX_FAILED_LOGINS:
            log_action(uow, None, "account_locked", username=username)
        uow.commit()
    return count >= MAX_FAILED_LOGINS


def record_successful_login(uow: UnitOfWork, username: str) -> None:
    with uow:
        uow.staff.reset_failures(username)
        uow.commit()


# -- draws by lot ------------------------------------------------------------------------------
# Two steps, in this order: `publish_lottery` stores the lottery file and its hashes (shown to
# the public before any seed exists); `perform_draw` then takes the seed rolled in public, once.

MAX_SEED: Final = 200
MAX_WITNESS: Final = 120


def publish_lottery(
    uow: UnitOfWork,
    actor: StaffUser | None,
    process_id: int,
    *,
    title: str,
    pool_csv: str,
    quotas_csv: str,
    lottery: bytes,
    alternates: int = 0,
    now: dt.datetime | None = None,
) -> int:
    """Publish a lottery for a process the actor manages; returns the draw's id.

    The lottery file is re-read (canonical, consistent with its quotas) and checked against the
    pool and quotas given; only the draw's columns of the pool are stored (no contacts)."""
    user = _require(actor, Role.ADMIN, Role.FACILITATOR)
    problems = []
    if not title.strip() or len(title.strip()) > 200:
        problems.append(VilcoError("draws.title_required"))
    if not 0 <= alternates <= 100:
        problems.append(VilcoError("draws.alternates_invalid", maximum=100))
    if problems:
        raise ValidationErrors(problems)
    parsed = read_lottery(lottery)
    matches, digest = pool_matches_lottery(pool_csv, parsed)
    if not matches:
        raise VilcoError("sortition.pool_hash_mismatch", expected=parsed.pool_sha256, actual=digest)
    if parsed.method != "uniform":
        actual = quotas_sha256(parse_quotas(quotas_csv), parsed.size)
        if actual != parsed.quotas_sha256:
            raise VilcoError(
                "sortition.quotas_hash_mismatch", expected=parsed.quotas_sha256, actual=actual
            )
    draw = PanelDraw(
        id=None,
        process_id=process_id,
        title=title.strip(),
        method=parsed.method,
        size=parsed.size,
        alternates_count=alternates,
        pool_csv=public_pool_csv(pool_csv, parsed.features),
        quotas_csv=quotas_csv if parsed.method != "uniform" else "",
        lottery=lottery,
        lottery_sha256=lottery_sha256(parsed),
        pool_sha256=parsed.pool_sha256,
        quotas_sha256=parsed.quotas_sha256,
        vilco_version=parsed.vilco_version,
        published_at=now or dt.datetime.now(dt.UTC),
        published_by=user.username,
    )
    with uow:
        _managed_process(uow, user, process_id)
        draw_id: int = uow.draws.add(draw)
        log_action(uow, user, "lottery_published", process_id=process_id, draw_id=draw_id,
                   lottery_sha256=draw.lottery_sha256)  # fmt: skip
        uow.commit()
    return draw_id


def _seed_problems(seed: str, witnesses: tuple[str, ...]) -> list[VilcoError]:
    problems = []
    if not seed:
        problems.append(VilcoError("sortition.empty_seed"))
    elif len(seed) > MAX_SEED:
        problems.append(VilcoError("draws.seed_too_long", maximum=MAX_SEED))
    if not witnesses:
        problems.append(VilcoError("draws.witness_required"))
    if any(len(w) > MAX_WITNESS for w in witnesses):
        problems.append(VilcoError("draws.witness_too_long", maximum=MAX_WITNESS))
    return problems


def perform_draw(
    uow: UnitOfWork,
    actor: StaffUser | None,
    draw_id: int,
    *,
    seed: str,
    witnesses: Sequence[str],
    now: dt.datetime | None = None,
) -> PanelDraw:
    """Draw the panel of a published lottery with the seed entered in public: once only."""
    user = _require(actor, Role.ADMIN, Role.FACILITATOR)
    seed = seed.strip()
    names = tuple(w.strip() for w in witnesses if w.strip())
    with uow:
        draw: PanelDraw | None = uow.draws.get(draw_id)
        if draw is None:
            raise VilcoError("draws.not_found", id=draw_id)
        _managed_process(uow, user, draw.process_id)
        if draw.drawn:
            raise VilcoError("draws.already_drawn", id=draw_id)
        problems = _seed_problems(seed, names)
        if problems:
            raise ValidationErrors(problems)
        lottery = read_lottery(draw.lottery, expected_sha256=draw.lottery_sha256)
        result = draw_panel(lottery, seed, alternates=draw.alternates_count)
        done = replace(
            draw,
            seed=seed,
            panel=result.panel,
            alternates=result.alternates,
            witnesses=names,
            drawn_at=now or dt.datetime.now(dt.UTC),
            drawn_by=user.username,
        )
        if not uow.draws.record_draw(done):
            raise VilcoError("draws.already_drawn", id=draw_id)
        log_action(uow, user, "panel_drawn", process_id=draw.process_id, draw_id=draw_id,
                   seed=seed, panel=list(result.panel))  # fmt: skip
        uow.commit()
    return done


def list_draws(uow: UnitOfWork, process_id: int | None = None) -> list[PanelDraw]:
    """Published draws, newest first (everything stored about a draw is public)."""
    with uow:
        return list(uow.draws.list(process_id))


def get_draw(uow: UnitOfWork, draw_id: int) -> PanelDraw:
    with uow:
        draw: PanelDraw | None = uow.draws.get(draw_id)
    if draw is None:
        raise VilcoError("draws.not_found", id=draw_id)
    return draw


def draw_members(uow: UnitOfWork, draw_id: int) -> tuple[str, ...]:
    """The panel a draw seated (pool ids), for a citizen panel session to take as members."""
    draw = get_draw(uow, draw_id)
    if not draw.drawn:
        raise VilcoError("draws.not_drawn", id=draw_id)
    return draw.panel


def check_published_draw(
    uow: UnitOfWork, draw_id: int, seed: str, pool_csv: str | None = None
) -> Verification:
    """Replay a published draw with `seed` and a pool (the published one when None)."""
    draw = get_draw(uow, draw_id)
    return verify_draw(
        draw.pool_csv if pool_csv is None else pool_csv,
        draw.lottery,
        draw.lottery_sha256,
        seed,
        alternates=draw.alternates_count,
        published_panel=draw.panel if draw.drawn else None,
    )


# -- ballots and results -----------------------------------------------------------------------
# Ballots are anonymous: `record_ballot` stores what was voted, the channel, the site and the day
# (a date), and returns a random receipt; nothing it stores names the voter or a voting code.
# A caller spending a one-time code does it in the same `with uow:` transaction, before commit.

LIVE_CHANNELS: Final = ("phone", "panel")  # cast by residents themselves: only while the vote runs


@dataclass(frozen=True, slots=True, kw_only=True)
class BallotEntry:
    """A ballot with how and when it was cast, for bulk recording (imports, the demo)."""

    ballot: Ballot
    channel: Channel
    site_id: int | None
    cast_on: dt.date


def _check_entry(
    process: Process, entry: BallotEntry, costs: dict[str, int], sites: set[int]
) -> None:
    if entry.channel not in CHANNELS:
        raise VilcoError("ballot.unknown_channel", channel=entry.channel)
    if entry.site_id is not None and entry.site_id not in sites:
        raise VilcoError("ballot.unknown_site", site=entry.site_id)
    votes = [w for w in process.phases if w.phase is Phase.VOTE]
    running = any(w.starts_on <= entry.cast_on <= w.ends_on for w in votes)
    if entry.channel in LIVE_CHANNELS and not running:
        raise VilcoError("ballot.vote_closed")
    validate_ballot(entry.ballot, process.ballot_rules(), costs)


def store_ballots(uow: UnitOfWork, process_id: int, entries: Sequence[BallotEntry]) -> list[str]:
    """Validate and store ballots inside the caller's open `with uow:` (no commit): every one or
    a `VilcoError` for the first bad one. Returns the receipts, in the order given."""
    process: Process | None = uow.processes.get(process_id)
    if process is None:
        raise VilcoError("errors.process_not_found", id=process_id)
    listed = ballot_projects(uow.projects.list_for_process(process_id))
    costs = {p.ref: p.cost_cents for p in listed}
    sites = {stored_id(s) for s in uow.sites.list_for_process(process_id)}
    for entry in entries:
        _check_entry(process, entry, costs, sites)
    return [uow.ballots.add(process_id, e.ballot, e.channel, e.site_id, e.cast_on) for e in entries]


def record_ballot(
    uow: UnitOfWork,
    process_id: int,
    ballot: Ballot,
    channel: Channel,
    site_id: int | None,
    today: dt.date,
) -> str:
    """Validate one ballot against the process's ballot settings and store it; its receipt.

    Raises `VilcoError` (`ballot.*`, `errors.process_not_found`) and stores nothing when the
    ballot, channel or site is not acceptable; phone and panel ballots only during the vote."""
    entry = BallotEntry(ballot=ballot, channel=channel, site_id=site_id, cast_on=today)
    with uow:
        receipts = store_ballots(uow, process_id, [entry])
        uow.commit()
    return receipts[0]


def record_ballots(uow: UnitOfWork, process_id: int, entries: Sequence[BallotEntry]) -> list[str]:
    """Store many ballots at once (an import, the demo): all of them or none."""
    with uow:
        receipts = store_ballots(uow, process_id, entries)
        uow.commit()
    return receipts


def count_ballots(uow: UnitOfWork, process_id: int) -> int:
    with uow:
        return int(uow.ballots.count(process_id))


def count_ballots_by_channel_site(
    uow: UnitOfWork, process_id: int
) -> dict[tuple[Channel, int | None], int]:
    with uow:
        counts: dict[tuple[Channel, int | None], int] = uow.ballots.count_by_channel_site(
            process_id
        )
    return counts


def compute_results(uow: UnitOfWork, process_id: int, today: dt.date) -> ProcessResults:
    """The outcome of a process's stored ballots under its announced rule, beside greedy and
    Equal Shares; provisional until its vote phase has ended on `today`."""
    with uow:
        process: Process | None = uow.processes.get(process_id)
        if process is None:
            raise VilcoError("errors.process_not_found", id=process_id)
        projects = uow.projects.list_for_process(process_id)
        ballots = uow.ballots.list_for_process(process_id)
    return tally_results(process, projects, ballots, provisional=not process.vote_ended(today))
