"""Can someone with the database (or a backup) and the codes link ballots to the codes that
cast them? Voters cast through the real app, then each known attack runs and prints the fraction
of ballots it links to their code.

    python benchmarks/unlink.py --db sqlite --voters 60            # k = 20 (VILCO_MIX_BATCH)
    python benchmarks/unlink.py --db postgres --voters 60 --k 20 --json
    python benchmarks/unlink.py --db sqlite --voters 30 --k 5 --client service

Casting: one code per voter, issued in one batch, used one after the other in a random order
(the *spend order*). A share of them (`--paper`, 0.3) are paper cards a poll officer types one
per entry (the paper-entry service the tallies page calls, as officer); the others vote by phone
through `streamlit run` (`stclient`: a real Streamlit session each, the `/vote?c=CODE` link,
"Vote", "Confirm", the receipt read off the page), or with `--client service` through
`voting.cast_ballot`, the call the vote page makes. At the end of the vote, pending ballots are
flushed (`mixing.flush_ballots`; nothing to flush on a version without mixing).

The attacker is given more than a real one would have: the spend order of every code and its
channel and site (from network logs, a camera at the stand...), and which receipts are the
benchmark's. Each attack pairs the codes of one channel and site, in spend order, with that
class's ballots in the order the attack recovers, and counts right pairs:

- `xmin_join` (PostgreSQL): the issue's query, ballots and codes written by one transaction;
- `xmin_order` (PostgreSQL): ballots ordered by `xmin` then `ctid`;
- `live_order`: the ballots table's physical order (`ctid`, SQLite's `rowid`);
- `backup_order`: the same in a backup (`python -m vilco_core backup`) restored elsewhere
  (a fresh PostgreSQL database, or the SQLite copy), the codes in the copy's order on PostgreSQL;
- `audit_order`: the ballot entries' order in the audit log;
- `paper_timing`: the paper-entry log (entries ordered by time, then id) against the paper
  ballots' audit order (on the old layout, a paper ballot sat right before its entry's record).

A random pairing inside batches links about one ballot per batch: the printed bound is that plus
noise (`bound`), about 1/k when n is large against k and the number of channels and sites. The
recount checks that no ballot is lost or doubled and that `audit verify` holds.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from vilco_core import codes as code_rules  # noqa: E402
from vilco_core.backup import EXTENSIONS, backup_database  # noqa: E402
from vilco_core.ballots import Ballot  # noqa: E402
from vilco_core.demo import load_demo  # noqa: E402
from vilco_core.model import Role, StaffUser  # noqa: E402
from vilco_core.services import audit, processes, voting  # noqa: E402
from vilco_core.store import SqlUnitOfWork, make_engine, upgrade_database  # noqa: E402

POSTGRES = os.environ.get(
    "VILCO_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
ADMIN = StaffUser(username="admin", name="bench", role=Role.ADMIN)
OFFICER = StaffUser(username="officer", name="bench", role=Role.POLL_OFFICER,
                    commune_codes=("21013",))  # fmt: skip
MAX_VOTERS = 200


@dataclass(frozen=True, slots=True)
class Cast:
    """One code used: its hash, the receipt its ballot got, and what the attacker is told."""

    order: int
    code_hash: str
    receipt: str
    channel: str
    site_id: int | None


# -- the database --------------------------------------------------------------------------------


@contextmanager
def database(kind: str, tmp: Path) -> Iterator[str]:
    """A fresh migrated database with the demo (SQLite file or PostgreSQL schema), dropped after."""
    schema = None
    if kind == "sqlite":
        url = f"sqlite:///{tmp / 'unlink.sqlite3'}"
    else:
        schema = f"vilco_unlink_{uuid.uuid4().hex[:10]}"
        with _admin() as admin, admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = make_url(POSTGRES).update_query_dict({"options": f"-csearch_path={schema}"})
        url = url.render_as_string(hide_password=False)
    engine = make_engine(url)
    upgrade_database(engine)
    load_demo(SqlUnitOfWork(engine), dt.date.today())
    engine.dispose()
    try:
        yield url
    finally:
        if schema is not None:
            with _admin() as admin, admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


@contextmanager
def _admin(url: str = POSTGRES) -> Iterator[Engine]:
    engine = create_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()


# -- casting -------------------------------------------------------------------------------------


def _receipts(engine: Engine) -> set[str]:
    """Every receipt stored, mixed or pending (no pending table on the old layout)."""
    with engine.connect() as connection:
        found = {r for (r,) in connection.execute(text("SELECT receipt FROM ballots"))}
        if _has_table(connection, "pending_ballots"):
            found |= {r for (r,) in connection.execute(text("SELECT receipt FROM pending_ballots"))}
    return found


def _has_table(connection: Any, name: str) -> bool:
    if connection.dialect.name == "sqlite":
        query = "SELECT 1 FROM sqlite_master WHERE name = :n"
    else:
        query = "SELECT 1 FROM information_schema.tables WHERE table_name = :n " \
                "AND table_schema = current_schema()"  # fmt: skip
    return connection.execute(text(query), {"n": name}).first() is not None


def cast_all(url: str, voters: int, paper_share: float, client: str, tmp: Path,
             rng: random.Random) -> list[Cast]:  # fmt: skip
    """Every voter uses their code once, one after the other, in a random order."""
    engine = make_engine(url)
    uow = SqlUnitOfWork(engine)
    codes = list(voting.issue_codes(uow, ADMIN, 1, voters, dt.date.today(), "bench").codes)
    rng.shuffle(codes)
    site = processes.list_sites(uow, 1)[1]
    paper = set(rng.sample(range(voters), round(voters * paper_share)))
    server = _start_server(url, tmp) if client == "app" else None
    casts: list[Cast] = []
    try:
        for order, code in enumerate(codes):
            code_hash = code_rules.hash_code(code.replace("-", ""))
            if order in paper:
                before = _receipts(engine)
                lines, _bad = voting.parse_paper_lines(f"{code} ; SG-02", "approval")
                now = dt.datetime.now(dt.UTC)
                outcome = voting.enter_paper_ballots(uow, OFFICER, site.id or 0, lines, now)
                assert outcome.stored == 1, outcome.refused
                [receipt] = _receipts(engine) - before
                casts.append(Cast(order, code_hash, receipt, "paper", site.id))
            else:
                receipt = _phone(uow, server, code)
                casts.append(Cast(order, code_hash, receipt, "phone", None))
    finally:
        if server is not None:
            server.stop()
        engine.dispose()
    return casts


def _start_server(url: str, tmp: Path) -> Any:
    from benchmarks.load import start_server

    return start_server(url, tmp)


def _phone(uow: SqlUnitOfWork, server: Any, code: str) -> str:
    if server is None:
        ballot = Ballot(kind="approval", project_ids=("SG-01",))
        return voting.cast_ballot(uow, code, ballot, "phone", None, dt.date.today())
    from benchmarks.load import vote_ws

    outcome = asyncio.run(vote_ws(server.url, code, 60_000))
    if outcome.receipt is None:
        raise RuntimeError(f"no receipt shown: {outcome.error}")
    return outcome.receipt


def end_vote(url: str) -> dict[int, int]:
    """What the commune runs when the vote ends: mix whatever waits (`mix --flush`)."""
    try:
        from vilco_core.services import mixing
    except ImportError:  # a version without mixing: nothing waits
        return {}
    engine = make_engine(url)
    try:
        return mixing.flush_ballots(SqlUnitOfWork(engine), ADMIN, 1)
    finally:
        engine.dispose()


# -- attacks -------------------------------------------------------------------------------------

Key = tuple[str, int | None]


def pair_by_class(casts: Sequence[Cast], ballots: Sequence[tuple[str, str, int | None]],
                  code_order: Sequence[str] | None = None) -> float:  # fmt: skip
    """Per channel and site, the i-th code spent with the i-th ballot in the recovered order
    (`ballots`: (receipt, channel, site) in that order); the fraction paired right. The spend
    order is `code_order` (hashes) when the attack reads it from the database, else the truth."""
    truth = {c.code_hash: c.receipt for c in casts}
    of_hash = {c.code_hash: c for c in casts}
    spent = [of_hash[h] for h in code_order if h in of_hash] if code_order else sorted(
        casts, key=lambda c: c.order)  # fmt: skip
    mine = {c.receipt for c in casts}
    codes_by: dict[Key, list[str]] = {}
    for c in spent:
        codes_by.setdefault((c.channel, c.site_id), []).append(c.code_hash)
    ballots_by: dict[Key, list[str]] = {}
    for receipt, channel, site in ballots:
        if receipt in mine:
            ballots_by.setdefault((channel, site), []).append(receipt)
    right = sum(
        truth[h] == r
        for key, hashes in codes_by.items()
        for h, r in zip(hashes, ballots_by.get(key, []), strict=False)
    )
    return right / len(casts) if casts else 0.0


def _ctid(value: str) -> tuple[int, int]:
    page, item = value.strip("()").split(",")
    return int(page), int(item)


def _rows(engine: Engine, query: str) -> list[Any]:
    with engine.connect() as connection:
        return list(connection.execute(text(query)))


def attack_xmin_join(engine: Engine, casts: Sequence[Cast]) -> float:
    pairs = _rows(engine, "SELECT c.code_hash, b.receipt FROM vote_codes c JOIN ballots b "
                          "ON b.xmin = c.xmin WHERE c.state = 'spent'")  # fmt: skip
    truth = {c.code_hash: c.receipt for c in casts}
    return sum(truth.get(h) == r for h, r in pairs) / len(casts)


def attack_xmin_order(engine: Engine, casts: Sequence[Cast]) -> float:
    codes = _rows(engine, "SELECT code_hash, xmin::text::bigint FROM vote_codes "
                          "WHERE state = 'spent'")  # fmt: skip
    ballots = _rows(engine, "SELECT receipt, channel, site_id, xmin::text::bigint, ctid::text "
                            "FROM ballots")  # fmt: skip
    code_order = [h for h, _x in sorted(codes, key=lambda r: r[1])]
    ordered = sorted(ballots, key=lambda r: (r[3], _ctid(r[4])))
    return pair_by_class(casts, [(r[0], r[1], r[2]) for r in ordered], code_order)


def physical_order(engine: Engine, casts: Sequence[Cast]) -> float:
    """Ballots in their physical order; on PostgreSQL the spent codes' too (their updated rows
    land in spend order), on SQLite the true spend order (codes are updated in place)."""
    if engine.dialect.name == "sqlite":
        ballots = _rows(engine, "SELECT receipt, channel, site_id FROM ballots ORDER BY rowid")
        return pair_by_class(casts, [tuple(r) for r in ballots])
    ballots = _rows(engine, "SELECT receipt, channel, site_id, ctid::text FROM ballots")
    codes = _rows(engine, "SELECT code_hash, ctid::text FROM vote_codes WHERE state = 'spent'")
    ordered = sorted(ballots, key=lambda r: _ctid(r[3]))
    code_order = [h for h, _c in sorted(codes, key=lambda r: _ctid(r[1]))]
    return pair_by_class(casts, [(r[0], r[1], r[2]) for r in ordered], code_order)


def attack_audit_order(engine: Engine, casts: Sequence[Cast]) -> float:
    return pair_by_class(casts, _audit_ballots(engine))


def _audit_ballots(engine: Engine) -> list[tuple[str, str, int | None]]:
    rows = _rows(engine, "SELECT payload FROM audit_log WHERE kind = 'ballot' ORDER BY seq")
    found = [json.loads(p) for (p,) in rows]
    return [(p["receipt"], p["channel"], p["site_id"]) for p in found]


def attack_paper_timing(engine: Engine, casts: Sequence[Cast]) -> float:
    """The paper-entry log in time order (one card per entry here), each entry's card being the
    next paper code spent; the paper ballots in audit order. Fraction of paper ballots paired
    with their own entry (and so with its code and its moment)."""
    paper = [c for c in casts if c.channel == "paper"]
    entries = _rows(engine, "SELECT entered_at, id, ballots FROM paper_entries "
                            "WHERE kind = 'entry' ORDER BY entered_at, id")  # fmt: skip
    slots = [i for i, (_at, _id, n) in enumerate(entries) for _ in range(n)]
    by_slot = dict(zip(slots, sorted(paper, key=lambda c: c.order), strict=False))
    logged = [r for r, channel, _s in _audit_ballots(engine) if channel == "paper"]
    mine = {c.receipt for c in paper}
    ordered = [r for r in logged if r in mine]
    right = sum(by_slot.get(slot) is not None and by_slot[slot].receipt == r
                for slot, r in zip(slots, ordered, strict=False))  # fmt: skip
    return right / len(paper) if paper else 0.0


@contextmanager
def restored_backup(url: str, tmp: Path) -> Iterator[Engine]:
    """`python -m vilco_core backup`'s file, restored into a fresh database."""
    target = tmp / "backup.dump"
    backup_database(url, target)
    if url.startswith("sqlite"):
        engine = create_engine(f"sqlite:///{target}")
        try:
            yield engine
        finally:
            engine.dispose()
        return
    name = f"vilco_restore_{uuid.uuid4().hex[:10]}"
    with _admin() as admin:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        restored = make_url(POSTGRES).set(database=name)
        fresh = create_engine(restored)  # the bookings' EXCLUDE constraint needs btree_gist
        with fresh.begin() as connection:
            connection.execute(text(EXTENSIONS))
        fresh.dispose()
        plain = restored.set(drivername="postgresql").render_as_string(hide_password=False)
        subprocess.run(["pg_restore", "--no-owner", f"--dbname={plain}", str(target)],
                       check=True, capture_output=True)  # fmt: skip
        schema = str(make_url(url).query["options"]).split("=", 1)[1]
        engine = create_engine(restored.update_query_dict({"options": f"-csearch_path={schema}"}))
        try:
            yield engine
        finally:
            engine.dispose()
            with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text(f'DROP DATABASE "{name}"'))


def run_attacks(url: str, casts: Sequence[Cast], tmp: Path) -> dict[str, float | None]:
    engine = make_engine(url)
    postgres = engine.dialect.name == "postgresql"
    attacks: dict[str, Callable[[Engine, Sequence[Cast]], float]] = {
        "live_order": physical_order,
        "audit_order": attack_audit_order,
        "paper_timing": attack_paper_timing,
    }
    if postgres:
        attacks = {"xmin_join": attack_xmin_join, "xmin_order": attack_xmin_order, **attacks}
    try:
        found: dict[str, float | None] = {n: round(f(engine, casts), 3) for n, f in attacks.items()}
    finally:
        engine.dispose()
    with restored_backup(url, tmp) as copy:
        found["backup_order"] = round(physical_order(copy, casts), 3)
    return found


# -- the recount and a run -----------------------------------------------------------------------


def recount(url: str, casts: Sequence[Cast]) -> dict[str, Any]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            stored = [r for (r,) in connection.execute(text("SELECT receipt FROM ballots"))]
            mixed = "SELECT payload FROM audit_log WHERE kind = 'ballots.mixed' ORDER BY seq"
            batches = [json.loads(p)["ballots"] for (p,) in connection.execute(text(mixed))]
        report = audit.verify_audit(SqlUnitOfWork(engine))
    finally:
        engine.dispose()
    mine = {c.receipt for c in casts}
    return {
        "lost": len(mine - set(stored)),
        "doubled": len(stored) - len(set(stored)),
        "audit_ok": report.chain_ok and report.tallies_ok,
        "pending_after_flush": getattr(report, "pending", 0),
        "batches": batches,
    }


def run(kind: str, voters: int, k: int, paper_share: float = 0.3, client: str = "app",
        seed: int | None = None) -> dict[str, Any]:  # fmt: skip
    """One whole run on a fresh database (see `run_on`)."""
    os.environ["VILCO_MIX_BATCH"] = str(k)  # this process and the server it starts
    with tempfile.TemporaryDirectory(prefix="vilco-unlink-") as folder:
        tmp = Path(folder)
        with database(kind, tmp) as url:
            found = run_on(url, voters, k, tmp, paper_share, client, random.Random(seed))
    return {"db": kind, **found}


def run_on(url: str, voters: int, k: int, tmp: Path, paper_share: float = 0.3,
           client: str = "app", rng: random.Random | None = None) -> dict[str, Any]:  # fmt: skip
    """On a database with the demo loaded (mixing with `VILCO_MIX_BATCH` = k): the casts, the
    end of the vote, every attack, the recount."""
    demo_batches = len(recount(url, [])["batches"])  # the demo's, mixed when it was loaded
    casts = cast_all(url, voters, paper_share, client, tmp, rng or random.Random())
    flushed = end_vote(url)
    attacks = run_attacks(url, casts, tmp)
    counted = recount(url, casts)
    counted["batches"] = counted["batches"][demo_batches:]
    bounds = {name: bound(casts, k, paper=name == "paper_timing") for name in attacks}
    return {"client": client, "voters": voters, "k": k, "attacks": attacks, "bounds": bounds,
            "flushed": flushed, **counted}  # fmt: skip


def bound(casts: Sequence[Cast], k: int, paper: bool = False) -> float:
    """What random pairing inside batches of k links, plus noise. Inside a shuffled batch the
    i-th code meets its own ballot about once per batch (a random permutation has one fixed
    point on average, variance 1): per channel and site ceil(n / k) batches, the last one
    partial (flushed at the end of the vote); B batches over n ballots give (B + 4 sqrt(B)) / n.
    """
    chosen = [c for c in casts if c.channel == "paper"] if paper else list(casts)
    sizes: dict[Key, int] = {}
    for c in chosen:
        sizes[c.channel, c.site_id] = sizes.get((c.channel, c.site_id), 0) + 1
    batches = sum(-(-n // k) for n in sizes.values())
    return round((batches + 4 * batches**0.5) / len(chosen), 3) if chosen else 1.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--voters", type=int, default=60)
    parser.add_argument("--k", type=int, default=20, help="VILCO_MIX_BATCH for this run")
    parser.add_argument("--paper", type=float, default=0.3, help="share of paper cards")
    parser.add_argument("--client", choices=["app", "service"], default="app")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not 2 <= args.voters <= MAX_VOTERS or not 1 <= args.k <= 1000:
        parser.error(f"voters must be 2..{MAX_VOTERS}, k 1..1000")
    result = run(args.db, args.voters, args.k, args.paper, args.client, args.seed)
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"{result['db']} ({result['client']}), {result['voters']} voters, k={result['k']}: "
            "fraction of ballots linked to their code (bound: random pairing in batches)"
        )
        for name, share in result["attacks"].items():
            limit = result["bounds"][name]
            flag = "ok" if share <= limit else "LINKED"
            print(f"  {name:13} {share:6.3f}  (bound {limit:5.3f})  {flag}")
        print(f"  lost={result['lost']} doubled={result['doubled']} audit_ok={result['audit_ok']} "
              f"batches={result['batches']}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
