"""Draws of a process, the pure parts: inputs to a lottery, the published pool, verification.

A draw is published in two steps (see `services.draws.publish_lottery` and `perform_draw`):
first the lottery file and its SHA-256, then, in public, the seed. What is published of the pool
is only what the draw reads — the id and the quota features (`public_pool_csv`): names, contacts
and addresses of volunteers never leave the organiser's file. `verify_draw` lets anyone replay a
published draw from the lottery file, the published pool and the seed, and says whether the pool
is the one the lottery was computed from.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Final

from vilco_core.errors import VilcoError
from vilco_core.sortition import (
    CancelCheck,
    Draw,
    Instance,
    Lottery,
    Method,
    ProgressCallback,
    QuotaCount,
    compute_lottery,
    draw_panel,
    load_instance,
    lottery_bytes,
    lottery_sha256,
    parse_pool,
    parse_quotas,
    parse_register,
    person_probabilities,
    pool_sha256,
    quota_counts,
    quotas_sha256,
    read_lottery,
    validate_instance,
)

DEMO_DIR: Final = Path(__file__).resolve().parent.parent / "data"


def demo_pool() -> tuple[str, str]:
    """The synthetic demo pool (300 volunteers of Saint-Gilles and Schaerbeek) and its quotas."""
    return (
        (DEMO_DIR / "demo_pool.csv").read_text(encoding="utf-8"),
        (DEMO_DIR / "demo_quotas.csv").read_text(encoding="utf-8"),
    )


def prepare_instance(pool_csv: str, quotas_csv: str, size: int, method: str) -> Instance:
    """The validated draw problem; a uniform draw reads the pool as a plain register."""
    if method == "uniform":
        return validate_instance(parse_register(pool_csv), (), size)
    return load_instance(pool_csv, quotas_csv, size)


def pool_counts(instance: Instance) -> dict[tuple[str, str], int]:
    """How many volunteers have each (feature, value): shown beside the quotas' targets."""
    return dict(
        Counter(
            (f, p.values[i])
            for i, f in enumerate(instance.pool.features)
            for p in instance.pool.people
        )
    )


def prepare_lottery(
    instance: Instance,
    method: Method,
    *,
    progress: ProgressCallback | None = None,
    cancelled: CancelCheck | None = None,
) -> Lottery:
    """The lottery to publish before any seed exists."""
    return compute_lottery(instance, method, progress=progress, cancelled=cancelled)


def public_pool_csv(pool_csv: str, features: Sequence[str]) -> str:
    """The pool as it is published: an `id` column and the draw's features, rows sorted by id.

    Every other column (names, e-mails, phones, addresses) is dropped, so the text can be shown
    to anyone; its `pool_sha256` is the same as the full file's for the same features."""
    pool = parse_pool(pool_csv, features)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", *pool.features])
    writer.writerows([p.id, *p.values] for p in pool.people)
    return out.getvalue()


def pool_matches_lottery(pool_csv: str, lottery: Lottery) -> tuple[bool, str]:
    """Whether `pool_csv` is the pool `lottery` was computed from, and the pool's SHA-256.

    The hash the lottery states is compared, and so is every person (id and feature values)
    against the lottery's groups: a lottery cannot name a pool it does not contain."""
    pool = parse_pool(pool_csv, lottery.features, household_columns=lottery.household_columns)
    digest = pool_sha256(pool)
    in_lottery = {(i, g.values) for g in lottery.groups for i in g.ids}
    in_pool = {(p.id, p.values) for p in pool.people}
    return digest == lottery.pool_sha256 and in_lottery == in_pool, digest


@dataclass(frozen=True, slots=True, kw_only=True)
class Verification:
    """A replayed draw: the hashes, whether the pool is the lottery's, and the panel it gives."""

    lottery_sha256: str
    lottery_pool_sha256: str
    pool_sha256: str
    pool_matches: bool
    draw: Draw
    published_panel: tuple[str, ...] | None = None

    @property
    def panel(self) -> tuple[str, ...]:
        return self.draw.panel

    @property
    def panel_matches(self) -> bool | None:
        """None when there is no published panel to compare with."""
        return None if self.published_panel is None else self.panel == self.published_panel

    @property
    def matches(self) -> bool:
        return self.pool_matches and self.panel_matches is not False


def verify_draw(
    pool_csv: str,
    lottery_data: bytes,
    expected_sha256: str | None,
    seed: str,
    *,
    alternates: int = 0,
    published_panel: tuple[str, ...] | None = None,
) -> Verification:
    """Replay a draw: refuses (VilcoError) a lottery whose hash is not `expected_sha256`."""
    if not seed.strip():
        raise VilcoError("sortition.empty_seed")
    lottery = read_lottery(lottery_data, expected_sha256=expected_sha256 or None)
    matches, digest = pool_matches_lottery(pool_csv, lottery)
    return Verification(
        lottery_sha256=hashlib.sha256(lottery_data).hexdigest(),
        lottery_pool_sha256=lottery.pool_sha256,
        pool_sha256=digest,
        pool_matches=matches,
        draw=draw_panel(lottery, seed.strip(), alternates=alternates),
        published_panel=published_panel,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class DrawReport:
    """What the draw page shows after the seed: quotas met, members, sorted probabilities."""

    quotas: tuple[QuotaCount, ...]
    members: tuple[tuple[str, ...], ...]  # id then feature values, one row per member
    alternates: tuple[tuple[str, ...], ...]
    features: tuple[str, ...]
    probabilities: tuple[Fraction, ...]  # every volunteer's chance, ascending
    uniform: Fraction  # k/n: everyone's chance in a uniform draw

    @property
    def quotas_met(self) -> bool:
        return all(q.met for q in self.quotas)


def probabilities_of(lottery: Lottery) -> tuple[tuple[Fraction, ...], Fraction]:
    """Every volunteer's selection probability, ascending, and the uniform k/n beside it."""
    chances = sorted(person_probabilities(lottery).values())
    return tuple(chances), Fraction(lottery.size, max(len(chances), 1))


def draw_report(
    lottery: Lottery, pool_csv: str, panel: Sequence[str], alternates: Sequence[str]
) -> DrawReport:
    pool = parse_pool(pool_csv, lottery.features)
    rows = {p.id: (p.id, *p.values) for p in pool.people}
    chances, uniform = probabilities_of(lottery)
    return DrawReport(
        quotas=quota_counts(lottery, panel),
        members=tuple(rows.get(i, (i,)) for i in panel),
        alternates=tuple(rows.get(i, (i,)) for i in alternates),
        features=lottery.features,
        probabilities=chances,
        uniform=uniform,
    )


# -- the heavy steps, as tasks a worker process can run (`vilco_core.worker`) -------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class QuotaLine:
    feature: str
    value: str
    min: int
    max: int
    in_pool: int  # volunteers with this value


@dataclass(frozen=True, slots=True, kw_only=True)
class PoolSummary:
    """What the draw page shows of an uploaded pool before any lottery: its size and quotas."""

    people: int
    size: int
    quotas: tuple[QuotaLine, ...]


def summarise_pool(pool_csv: str, quotas_csv: str, size: int, method: str) -> PoolSummary:
    """Validate the draw's inputs (`VilcoError` when they make no draw) and summarise them."""
    instance = prepare_instance(pool_csv, quotas_csv, size, method)
    available = pool_counts(instance)
    lines = tuple(QuotaLine(feature=q.feature, value=q.value, min=q.min, max=q.max,
                            in_pool=available.get((q.feature, q.value), 0))
                  for q in instance.quotas)  # fmt: skip
    return PoolSummary(people=len(instance.pool.people), size=instance.size, quotas=lines)


def lottery_file(
    pool_csv: str,
    quotas_csv: str,
    size: int,
    method: Method,
    *,
    progress: ProgressCallback | None = None,
    cancelled: CancelCheck | None = None,
) -> bytes:
    """The lottery file of these inputs (the bytes that are published and hashed)."""
    instance = prepare_instance(pool_csv, quotas_csv, size, method)
    lottery = prepare_lottery(instance, method, progress=progress, cancelled=cancelled)
    return lottery_bytes(lottery)


def seeded_panel(
    lottery_data: bytes, expected_sha256: str, seed: str, alternates: int
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The panel and alternates a published lottery gives with `seed`."""
    lottery = read_lottery(lottery_data, expected_sha256=expected_sha256)
    result = draw_panel(lottery, seed, alternates=alternates)
    return result.panel, result.alternates


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckedLottery:
    """A lottery file checked against its pool and quotas, with what is published of them."""

    method: str
    size: int
    public_pool_csv: str
    quotas_csv: str  # empty for a uniform draw
    lottery_sha256: str
    pool_sha256: str
    quotas_sha256: str
    vilco_version: str


def check_lottery(pool_csv: str, quotas_csv: str, lottery_data: bytes) -> CheckedLottery:
    """Re-read the lottery (canonical, consistent with its quotas) and check it against the pool
    and quotas given: `sortition.*_hash_mismatch` when it was not computed from them."""
    parsed = read_lottery(lottery_data)
    matches, digest = pool_matches_lottery(pool_csv, parsed)
    if not matches:
        raise VilcoError("sortition.pool_hash_mismatch", expected=parsed.pool_sha256, actual=digest)
    if parsed.method != "uniform":
        actual = quotas_sha256(parse_quotas(quotas_csv), parsed.size)
        if actual != parsed.quotas_sha256:
            raise VilcoError(
                "sortition.quotas_hash_mismatch", expected=parsed.quotas_sha256, actual=actual
            )
    return CheckedLottery(
        method=parsed.method,
        size=parsed.size,
        public_pool_csv=public_pool_csv(pool_csv, parsed.features),
        quotas_csv=quotas_csv if parsed.method != "uniform" else "",
        lottery_sha256=lottery_sha256(parsed),
        pool_sha256=parsed.pool_sha256,
        quotas_sha256=parsed.quotas_sha256,
        vilco_version=parsed.vilco_version,
    )


def report_of(
    lottery_data: bytes,
    expected_sha256: str,
    pool_csv: str,
    panel: Sequence[str],
    alternates: Sequence[str],
) -> DrawReport:
    """`draw_report` of a stored draw (its lottery file checked against its hash)."""
    lottery = read_lottery(lottery_data, expected_sha256=expected_sha256)
    return draw_report(lottery, pool_csv, panel, alternates)
