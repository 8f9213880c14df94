"""An in-memory unit of work for the unit tests of use cases (cosmicpython's FakeUnitOfWork).

Each repository keeps frozen domain values in the fake's working tables, with the store's
semantics for what use cases rely on: ids and receipts handed out on `add`, the same orders
(projects by ref, ballots by receipt, draws newest first), one spend per code, one seed per
draw, one signature per (project, name key, postcode), and the hash chain of
`vilco_core.audit` (the use cases append a ballot's entry, as on the store). `commit` keeps the
working tables; leaving `with uow:` without committing (or `rollback`) returns to the last
committed ones, as a transaction would.

Panels live in `fake_panels.py`. mypy checks the fake against `vilco_core.unit_of_work`
(pyproject's mypy `files`), so a repository method added to a Protocol must be faked too.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from types import TracebackType
from typing import Any, Self, TypeVar

from tests.unit.fake_panels import FakePanels, PanelTables
from vilco_core.audit import GENESIS, ballot_content, ballot_payload, canonical_json, entry_hash
from vilco_core.ballots import Ballot
from vilco_core.codes import CodeBatch
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


@dataclass(slots=True)
class Tables:
    """What the database would hold. Every row is frozen, so a transaction's copy is a copy of
    the containers (`snapshot`), and a change replaces a row instead of mutating it."""

    last_ids: dict[str, int] = field(default_factory=dict)
    communes: dict[str, Commune] = field(default_factory=dict)
    processes: dict[int, Process] = field(default_factory=dict)
    projects: dict[int, Project] = field(default_factory=dict)
    sites: dict[int, Site] = field(default_factory=dict)
    staff: dict[str, Account] = field(default_factory=dict)
    batches: dict[int, CodeBatch] = field(default_factory=dict)
    codes: dict[str, Code] = field(default_factory=dict)
    signatures: list[tuple[int, str, StoredSignature]] = field(default_factory=list)
    paper_entries: list[tuple[int, PaperEntry]] = field(default_factory=list)
    draws: dict[int, PanelDraw] = field(default_factory=dict)
    panels: PanelTables = field(default_factory=PanelTables)
    ballots: dict[str, StoredBallot] = field(default_factory=dict)
    audit: list[AuditEntry] = field(default_factory=list)

    def snapshot(self) -> Tables:
        copied = {name: copy.copy(getattr(self, name)) for name in self.__slots__}
        return Tables(**copied | {"panels": self.panels.snapshot()})

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
        self, process_id: int, label: str, issued_on: dt.date, issued_by: str, hashes: Iterable[str]
    ) -> int:
        batch_id = self.t.new_id("batches")
        self.t.batches[batch_id] = CodeBatch(
            id=batch_id,
            process_id=process_id,
            label=label,
            issued_on=issued_on.isoformat(),
            issued_by=issued_by,
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
    def add(self, process_id: int, signature: Signature, name_key: str, day: dt.date) -> bool:
        key = (signature.project_id, name_key, signature.postcode)
        if any((s.project_id, k, s.postcode) == key for _, k, s in self.t.signatures):
            return False
        stored = value_of(StoredSignature, signature, signed_on=day)
        self.t.signatures.append((process_id, name_key, stored))
        return True

    def counts(self, process_id: int) -> dict[int, int]:
        found: dict[int, int] = {}
        for p, _, s in self.t.signatures:
            if p == process_id:
                found[s.project_id] = found.get(s.project_id, 0) + 1
        return found

    def list_for_process(self, process_id: int) -> list[StoredSignature]:
        found = [s for p, _, s in self.t.signatures if p == process_id]
        return sorted(found, key=lambda s: s.project_id)  # stable: then in arrival order

    def count(self) -> int:
        return len(self.t.signatures)


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
        while receipt in self.t.ballots:
            receipt = new_receipt()
        stored = StoredBallot(
            receipt=receipt,
            process_id=process_id,
            ballot=ballot,
            channel=channel,
            site_id=site_id,
            cast_on=cast_on,
        )
        self.t.ballots[receipt] = stored
        return receipt

    def get(self, receipt: str) -> StoredBallot | None:
        return self.t.ballots.get(receipt)

    def list_for_process(self, process_id: int) -> list[StoredBallot]:
        return [b for _, b in sorted(self.t.ballots.items()) if b.process_id == process_id]

    def count(self, process_id: int) -> int:
        return len(self.list_for_process(process_id))

    def count_by_channel_site(self, process_id: int) -> dict[tuple[Channel, int | None], int]:
        found: dict[tuple[Channel, int | None], int] = {}
        for b in self.list_for_process(process_id):
            found[b.channel, b.site_id] = found.get((b.channel, b.site_id), 0) + 1
        return found


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
        self.paper_entries = FakePaperEntries(self)
        self.panels = FakePanels(lambda: self.working.panels)
        self.draws = FakeDraws(self)
        self.ballots = FakeBallots(self)
        self.audit = FakeAudit(self)

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
