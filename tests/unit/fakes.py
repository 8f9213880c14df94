"""An in-memory unit of work for the unit tests of use cases (cosmicpython's FakeUnitOfWork).

Each repository keeps frozen domain values in the fake's working tables, with the store's
semantics for what use cases rely on: ids and receipts handed out on `add`, the same orders
(projects by ref, ballots by receipt, draws newest first), one spend per code, one seed per
draw, one signature per (project, name key, postcode) and per (project, card or e-mail), and
the hash chain of `vilco_core.audit` (the use cases append a ballot's entry, as on the store).
`commit` keeps the working tables; leaving `with uow:` without committing (or `rollback`)
returns to the last committed ones, as a transaction would.

Panels live in `fake_panels.py`, resources and bookings in `fake_resources.py`. mypy checks
the fake against `vilco_core.unit_of_work` (pyproject's mypy `files`), so a repository method
added to a Protocol must be faked too.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from types import TracebackType
from typing import Any, Self, TypeVar

from tests.unit.fake_panels import FakePanels, PanelTables
from tests.unit.fake_resources import FakeBookings, FakeResources, ResourceTables
from vilco_core.audit import GENESIS, ballot_content, ballot_payload, canonical_json, entry_hash
from vilco_core.ballots import Ballot
from vilco_core.codes import CodeBatch, parse_purpose
from vilco_core.model import (
    AuditEntry,
    Channel,
    Commune,
    PanelDraw,
    PaperEntry,
    Process,
    Project,
    Site,
    StaffUser,
    StoredBallot,
    StoredSignature,
)
from vilco_core.signatures import Signature
from vilco_core.store.ballots import new_receipt
from vilco_core.store.rows import value_of
from vilco_core.unit_of_work import AuditPayload, Credentials, UnitOfWork

Row = TypeVar("Row", Process, Project, Site, PanelDraw)


@dataclass(frozen=True, slots=True, kw_only=True)
class Account:
    """A staff row: the user, the password hash and the lockout state."""

    user: StaffUser
    password_hash: str
    failed_logins: int = 0
    locked_until: dt.datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Code:
    """A one-time code row (kept by its hash)."""

    process_id: int
    batch_id: int
    state: str = "unused"


@dataclass(frozen=True, slots=True, kw_only=True)
class SignatureEntry:
    """A signature row: its process, name key, source key, token hash and the stored value."""

    process_id: int
    name_key: str
    source_key: str | None
    token_hash: str | None
    value: StoredSignature


@dataclass(slots=True)
class Tables:
    """What the database would hold. Every row is frozen, so a transaction's copy is a copy of
    the containers (`snapshot`), and a change replaces a row instead of mutating it."""

    last_ids: dict[str, int] = field(default_factory=dict)
    communes: dict[str, Commune] = field(default_factory=dict)
    processes: dict[int, Process] = field(default_factory=dict)
    locks: dict[int, str] = field(default_factory=dict)  # process id -> locked settings hash
    projects: dict[int, Project] = field(default_factory=dict)
    sites: dict[int, Site] = field(default_factory=dict)
    staff: dict[str, Account] = field(default_factory=dict)
    batches: dict[int, CodeBatch] = field(default_factory=dict)
    codes: dict[str, Code] = field(default_factory=dict)
    signatures: list[SignatureEntry] = field(default_factory=list)
    attempts: dict[tuple[str, int], int] = field(default_factory=dict)
    paper_entries: list[tuple[int, PaperEntry]] = field(default_factory=list)
    draws: dict[int, PanelDraw] = field(default_factory=dict)
    panels: PanelTables = field(default_factory=PanelTables)
    resources: ResourceTables = field(default_factory=ResourceTables)
    ballots: dict[str, StoredBallot] = field(default_factory=dict)
    pending: dict[str, StoredBallot] = field(default_factory=dict)
    audit: list[AuditEntry] = field(default_factory=list)

    def snapshot(self) -> Tables:
        copied = {name: copy.copy(getattr(self, name)) for name in self.__slots__}
        return Tables(
            **copied | {"panels": self.panels.snapshot(), "resources": self.resources.snapshot()}
        )

    def insert(self, rows: dict[int, Row], table: str, value: Row) -> int:
        """Keep `value` in `rows` under the table's next id, which it takes; that id."""
        new = self.new_id(table)
        rows[new] = replace(value, id=new)
        return new

    def new_id(self, table: str) -> int:
        """The next id of `table`: one sequence per table, from 1, as the database's."""
        self.last_ids[table] = self.last_ids.get(table, 0) + 1
        return self.last_ids[table]


class _Repository:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    @property
    def t(self) -> Tables:
        return self._uow.working


class FakeCommunes(_Repository):
    def add_missing(self, communes: tuple[Commune, ...]) -> None:
        for c in communes:
            self.t.communes.setdefault(c.code, c)

    def list(self) -> list[Commune]:
        return sorted(self.t.communes.values(), key=lambda c: c.code)


class FakeProcesses(_Repository):
    def add(self, process: Process) -> int:
        return self.t.insert(self.t.processes, "processes", process)

    def update(self, process: Process) -> None:
        if process.id not in self.t.processes:
            raise LookupError(process.id)
        self.t.processes[process.id] = process

    def get(self, process_id: int) -> Process | None:
        return self.t.processes.get(process_id)

    def list(self) -> list[Process]:
        return [self.t.processes[k] for k in sorted(self.t.processes)]

    def locked_hash(self, process_id: int) -> str | None:
        return self.t.locks.get(process_id)

    def record_lock(self, process_id: int, digest: str) -> None:
        if process_id not in self.t.processes:
            raise LookupError(process_id)
        self.t.locks[process_id] = digest


class FakeProjects(_Repository):
    def add(self, project: Project) -> int:
        return self.t.insert(self.t.projects, "projects", project)

    def add_many(self, projects: Sequence[Project]) -> None:
        for project in projects:
            self.add(project)

    def update(self, project: Project) -> None:
        old = self.t.projects.get(project.id or 0)
        if old is None or old.process_id != project.process_id:
            raise LookupError(project.id)
        self.t.projects[old.id or 0] = project

    def get(self, project_id: int) -> Project | None:
        return self.t.projects.get(project_id)

    def list_for_process(self, process_id: int) -> list[Project]:
        found = [p for p in self.t.projects.values() if p.process_id == process_id]
        return sorted(found, key=lambda p: p.ref)

    def refs(self, process_id: int) -> set[str]:
        return {p.ref for p in self.list_for_process(process_id)}


class FakeSites(_Repository):
    def add(self, site: Site) -> int:
        return self.t.insert(self.t.sites, "sites", site)

    def get(self, site_id: int) -> Site | None:
        return self.t.sites.get(site_id)

    def list_for_process(self, process_id: int) -> list[Site]:
        return [s for _, s in sorted(self.t.sites.items()) if s.process_id == process_id]


class FakeStaff(_Repository):
    def add(self, user: StaffUser, password_hash: str) -> None:
        if user.username in self.t.staff:
            raise ValueError(f"duplicate key: {user.username}")  # the primary key
        codes = tuple(sorted(user.commune_codes))
        self.t.staff[user.username] = Account(
            user=replace(user, commune_codes=codes), password_hash=password_hash
        )

    def set_password(self, username: str, password_hash: str) -> None:
        if account := self.t.staff.get(username):
            self.t.staff[username] = Account(user=account.user, password_hash=password_hash)

    def set_disabled(self, username: str, disabled_at: dt.datetime | None) -> None:
        if account := self.t.staff.get(username):
            user = replace(account.user, disabled_at=disabled_at)
            self.t.staff[username] = replace(account, user=user)

    def get(self, username: str) -> StaffUser | None:
        account = self.t.staff.get(username)
        return None if account is None else account.user

    def credentials(self) -> list[Credentials]:
        return [
            (a.user, a.password_hash, a.failed_logins, a.locked_until)
            for _, a in sorted(self.t.staff.items())
        ]

    def count_attempt(
        self, username: str, now: dt.datetime
    ) -> tuple[int, dt.datetime | None] | None:
        account = self.t.staff.get(username)
        if account is None:
            return None
        until = account.locked_until
        if until is not None and _aware(until) <= now:
            account = replace(account, failed_logins=0, locked_until=None)
        account = replace(account, failed_logins=account.failed_logins + 1)
        self.t.staff[username] = account
        return account.failed_logins, account.locked_until

    def lock(self, username: str, until: dt.datetime) -> bool:
        account = self.t.staff.get(username)
        if account is None or account.locked_until is not None:
            return False
        self.t.staff[username] = replace(account, locked_until=until)
        return True

    def clear_attempts(self, username: str, now: dt.datetime, attempt: int) -> bool:
        account = self.t.staff.get(username)
        if account is None:
            return False
        if account.locked_until is not None and _aware(account.locked_until) > now:
            return False
        failed = 0 if account.failed_logins == attempt else account.failed_logins
        self.t.staff[username] = replace(account, failed_logins=failed, locked_until=None)
        return True

    def count(self) -> int:
        return len(self.t.staff)


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


class FakeCodes(_Repository):
    def add_batch(
        self, process_id: int, label: str, issued_on: dt.date, issued_by: str,
        hashes: Iterable[str], purpose: str = "vote",
    ) -> int:  # fmt: skip
        batch_id = self.t.new_id("batches")
        self.t.batches[batch_id] = CodeBatch(
            id=batch_id,
            process_id=process_id,
            label=label,
            issued_on=issued_on.isoformat(),
            issued_by=issued_by,
            purpose=parse_purpose(purpose),
        )
        for h in hashes:
            if h in self.t.codes:
                raise ValueError(f"duplicate key: {h}")  # the code hash is unique
            self.t.codes[h] = Code(process_id=process_id, batch_id=batch_id)
        return batch_id

    def batches(self, process_id: int) -> list[CodeBatch]:
        found = []
        for batch_id, batch in sorted(self.t.batches.items()):
            if batch.process_id != process_id:
                continue
            states = [c.state for c in self.t.codes.values() if c.batch_id == batch_id]
            found.append(
                replace(
                    batch,
                    unused=states.count("unused"),
                    spent=states.count("spent"),
                    void=states.count("void"),
                )
            )
        return found

    def batch_process(self, batch_id: int) -> int | None:
        batch = self.t.batches.get(batch_id)
        return None if batch is None else batch.process_id

    def lookup(self, code_hash: str) -> tuple[int, str] | None:
        code = self.t.codes.get(code_hash)
        return None if code is None else (code.process_id, code.state)

    def support_lookup(self, code_hash: str) -> tuple[int, str] | None:
        code = self.t.codes.get(code_hash)
        if code is None or self.t.batches[code.batch_id].purpose != "support":
            return None
        return (code.process_id, code.state)

    def spend(self, code_hash: str, process_id: int) -> bool:
        code = self.t.codes.get(code_hash)
        if code is None or code.process_id != process_id:
            return False
        return self._change(code_hash, "spent")

    def void_batch(self, batch_id: int) -> int:
        ours = [h for h, c in self.t.codes.items() if c.batch_id == batch_id]
        return sum(self._change(h, "void") for h in ours)

    def void_code(self, code_hash: str) -> bool:
        return self._change(code_hash, "void")

    def _change(self, code_hash: str, state: str) -> bool:
        """`state` for an unused code (the store's conditional UPDATE); False otherwise."""
        code = self.t.codes.get(code_hash)
        if code is None or code.state != "unused":
            return False
        self.t.codes[code_hash] = replace(code, state=state)
        return True

    def count(self) -> int:
        return len(self.t.codes)


class FakeSignatures(_Repository):
    def add(
        self, process_id: int, signature: Signature, name_key: str, day: dt.date, *,
        mode: str = "unverified", state: str = "valid", source_key: str | None = None,
        token_hash: str | None = None,
    ) -> bool:  # fmt: skip
        for e in self.t.signatures:  # the store's unique keys
            same_project = e.value.project_id == signature.project_id
            person = (e.name_key, e.value.postcode) == (name_key, signature.postcode)
            if same_project and person and "pending" not in (state, e.value.state):
                return False
            if same_project and source_key is not None and e.source_key == source_key:
                return False
            if token_hash is not None and e.token_hash == token_hash:
                return False
        stored = value_of(StoredSignature, signature, signed_on=day, mode=mode, state=state,
                          id=self.t.new_id("signatures"), struck_reason="")  # fmt: skip
        self.t.signatures.append(SignatureEntry(process_id=process_id, name_key=name_key,
                                                source_key=source_key, token_hash=token_hash,
                                                value=stored))  # fmt: skip
        return True

    def states(self, process_id: int) -> dict[tuple[int, str, str], int]:
        found: dict[tuple[int, str, str], int] = {}
        for e in self.t.signatures:
            if e.process_id == process_id:
                key = (e.value.project_id, e.value.mode, e.value.state)
                found[key] = found.get(key, 0) + 1
        return found

    def get(self, signature_id: int) -> StoredSignature | None:
        return next((e.value for e in self.t.signatures if e.value.id == signature_id), None)

    def by_token(self, token_hash: str) -> StoredSignature | None:
        return next((e.value for e in self.t.signatures if e.token_hash == token_hash), None)

    def change_state(self, signature_id: int, before: str, after: str, reason: str = "") -> bool:
        for i, e in enumerate(self.t.signatures):
            if e.value.id == signature_id and e.value.state == before:
                if after != "pending" and self._signed_by(e, signature_id):
                    return False  # the partial unique index on the person
                value = replace(e.value, state=after, struck_reason=reason or e.value.struck_reason)
                self.t.signatures[i] = replace(e, value=value)
                return True
        return False

    def _signed_by(self, entry: SignatureEntry, signature_id: int) -> bool:
        """Whether another signature that is not pending has the same person and project."""
        return any(
            e.value.id != signature_id and e.value.state != "pending"
            and e.value.project_id == entry.value.project_id
            and (e.name_key, e.value.postcode) == (entry.name_key, entry.value.postcode)
            for e in self.t.signatures
        )  # fmt: skip

    def drop_pending(
        self, process_id: int, signed_before: dt.date | None = None, token_hash: str | None = None
    ) -> int:
        def goes(e: SignatureEntry) -> bool:
            return (e.process_id == process_id and e.value.state == "pending"
                    and (signed_before is None or e.value.signed_on < signed_before)
                    and (token_hash is None or e.token_hash == token_hash))  # fmt: skip

        kept = [e for e in self.t.signatures if not goes(e)]
        dropped = len(self.t.signatures) - len(kept)
        self.t.signatures = kept
        return dropped

    def list_for_process(self, process_id: int) -> list[StoredSignature]:
        found = [e.value for e in self.t.signatures if e.process_id == process_id]
        return sorted(found, key=lambda s: (s.project_id, s.id or 0))

    def count(self) -> int:
        return len(self.t.signatures)


class FakeAttempts(_Repository):
    def add(self, source: str, period: int) -> int:
        count = self.t.attempts.get((source, period), 0) + 1
        self.t.attempts[(source, period)] = count
        return count

    def prune(self, before: int) -> None:
        self.t.attempts = {k: n for k, n in self.t.attempts.items() if k[1] >= before}


class FakePaperEntries(_Repository):
    def add(self, process_id: int, entry: PaperEntry) -> None:
        self.t.paper_entries.append((process_id, entry))

    def list_for_process(self, process_id: int) -> list[PaperEntry]:
        return [e for p, e in self.t.paper_entries if p == process_id]


DRAWN = ("seed", "panel", "alternates", "witnesses", "drawn_at", "drawn_by")  # record_draw's
UNDRAWN: dict[str, Any] = {f.name: f.default for f in fields(PanelDraw) if f.name in DRAWN}


class FakeDraws(_Repository):
    def add(self, draw: PanelDraw) -> int:
        return self.t.insert(self.t.draws, "draws", replace(draw, **UNDRAWN))

    def get(self, draw_id: int) -> PanelDraw | None:
        return self.t.draws.get(draw_id)

    def list(self, process_id: int | None = None) -> list[PanelDraw]:
        found = [d for d in self.t.draws.values() if process_id in (None, d.process_id)]
        return sorted(found, key=lambda d: (d.published_at, d.id or 0), reverse=True)

    def record_draw(self, draw: PanelDraw) -> bool:
        old = self.t.draws.get(draw.id or 0)
        if old is None or old.seed is not None:
            return False
        drawn = {name: getattr(draw, name) for name in DRAWN}
        self.t.draws[draw.id or 0] = replace(old, **drawn)
        return True


def _payload(b: StoredBallot) -> AuditPayload:
    content = ballot_content(b.ballot)
    return ballot_payload(
        b.receipt, b.process_id, b.ballot.kind, content, b.channel, b.site_id, b.cast_on
    )


class FakeBallots(_Repository):
    def add(
        self,
        process_id: int,
        ballot: Ballot,
        channel: Channel,
        site_id: int | None,
        cast_on: dt.date,
    ) -> str:
        receipt = new_receipt()
        while receipt in self.t.ballots or receipt in self.t.pending:
            receipt = new_receipt()
        stored = StoredBallot(
            receipt=receipt,
            process_id=process_id,
            ballot=ballot,
            channel=channel,
            site_id=site_id,
            cast_on=cast_on,
        )
        self.t.pending[receipt] = stored
        return receipt

    def get(self, receipt: str) -> StoredBallot | None:
        return self.t.ballots.get(receipt) or self.t.pending.get(receipt)

    def list_for_process(self, process_id: int) -> list[StoredBallot]:
        every = self.t.ballots | self.t.pending
        return [b for _, b in sorted(every.items()) if b.process_id == process_id]

    def count(self, process_id: int) -> int:
        return len(self.list_for_process(process_id))

    def count_by_channel_site(self, process_id: int) -> dict[tuple[Channel, int | None], int]:
        found: dict[tuple[Channel, int | None], int] = {}
        for b in self.list_for_process(process_id):
            found[b.channel, b.site_id] = found.get((b.channel, b.site_id), 0) + 1
        return found

    def pending(self, process_id: int) -> list[StoredBallot]:
        return [b for _, b in sorted(self.t.pending.items()) if b.process_id == process_id]

    def pending_counts(self) -> dict[int, int]:
        found: dict[int, int] = {}
        for b in self.t.pending.values():
            found[b.process_id] = found.get(b.process_id, 0) + 1
        return found

    def is_pending(self, receipt: str) -> bool:
        return receipt in self.t.pending

    def settle(self, batch: Sequence[StoredBallot]) -> int:
        present = [b for b in batch if b.receipt in self.t.pending]
        for b in present:
            del self.t.pending[b.receipt]
        if len(present) == len(batch):
            self.t.ballots.update((b.receipt, b) for b in batch)
        return len(present)

    def reclaim(self) -> None:
        """Nothing to vacuum in memory."""


class FakeAudit(_Repository):
    def append(self, kind: str, payload: Mapping[str, object], day: dt.date | None = None) -> int:
        seq, prev = self.head()
        when = day or dt.datetime.now(dt.UTC).date()
        text = canonical_json(payload)
        digest = entry_hash(prev, seq + 1, kind, when, text)
        self.t.audit.append(
            AuditEntry(seq=seq + 1, kind=kind, day=when, payload=text, prev_hash=prev, hash=digest)
        )
        return seq + 1

    def lock(self) -> None:
        """One writer at a time already: nothing to lock."""

    def has_ballot(self, receipt: str) -> bool:
        needle = f'"receipt":{canonical_json(receipt)}'
        return any(e.kind == "ballot" and needle in e.payload for e in self.t.audit)

    def entries(self) -> list[AuditEntry]:
        return list(self.t.audit)

    def entry(self, seq: int) -> AuditEntry | None:
        return next((e for e in self.t.audit if e.seq == seq), None)

    def of_kind(self, kind: str) -> list[AuditEntry]:
        return [e for e in self.t.audit if e.kind == kind]

    def count(self) -> int:
        return len(self.t.audit)

    def head(self) -> tuple[int, str]:
        last = self.t.audit[-1] if self.t.audit else None
        return (0, GENESIS) if last is None else (last.seq, last.hash)

    def raw_ballots(self) -> dict[str, AuditPayload]:
        return {r: _payload(b) for r, b in self.t.ballots.items()}


class FakeUnitOfWork:
    """`with uow: ...; uow.commit()`; without commit, the block's changes are discarded."""

    def __init__(self) -> None:
        self.committed = Tables()
        self.working = self.committed
        self.commits = 0
        self.communes = FakeCommunes(self)
        self.processes = FakeProcesses(self)
        self.projects = FakeProjects(self)
        self.sites = FakeSites(self)
        self.staff = FakeStaff(self)
        self.codes = FakeCodes(self)
        self.signatures = FakeSignatures(self)
        self.attempts = FakeAttempts(self)
        self.paper_entries = FakePaperEntries(self)
        self.panels = FakePanels(lambda: self.working.panels)
        self.draws = FakeDraws(self)
        self.ballots = FakeBallots(self)
        self.audit = FakeAudit(self)
        self.resources = FakeResources(lambda: self.working.resources)
        self.bookings = FakeBookings(lambda: self.working.resources)

    def __enter__(self) -> Self:
        self.working = self.committed.snapshot()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.rollback()

    def commit(self) -> None:
        self.committed = self.working.snapshot()
        self.commits += 1

    def rollback(self) -> None:
        self.working = self.committed.snapshot()


def _satisfies_protocol() -> UnitOfWork:
    return FakeUnitOfWork()  # mypy tests/unit/fakes.py checks the fake against the Protocol
