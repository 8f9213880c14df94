"""The published lottery: a canonical file of panels and tickets, fixed before the seed exists.

A distribution over panels is rounded, without randomness, to exactly `TICKETS` tickets by the
largest-remainder (Hamilton) method on exact fractions, ties going to the earlier panel in
canonical order. The file is canonical JSON (sorted keys, no spaces, UTF-8, one final newline),
so its SHA-256 identifies it; `read_lottery` refuses a file whose bytes are not canonical, whose
hash differs from the published one, or whose panels break the quotas it states. Panels are
stored as counts per group of interchangeable people; which members of a group sit is decided
by the seed at draw time. Person probabilities are exact fractions of the published tickets.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from vilco_core.errors import VilcoError
from vilco_core.sortition.pool import Quota, quotas_sha256
from vilco_core.sortition.profiles import Group, IntArray, PanelSpace, is_panel, panel_space

FORMAT = "vilco-lottery/1"
TICKETS = 10**12


@dataclass(frozen=True, slots=True, kw_only=True)
class LotteryPanel:
    """A panel as `(group index, count)` pairs, and how many tickets draw it."""

    tickets: int
    counts: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Lottery:
    """Everything needed to replay a draw: groups, quotas, panels with tickets, input hashes."""

    method: str
    estimated: bool
    vilco_version: str
    size: int
    features: tuple[str, ...]
    quotas: tuple[Quota, ...]
    household_columns: tuple[str, ...]
    pool_sha256: str
    quotas_sha256: str
    tickets: int
    groups: tuple[Group, ...]
    panels: tuple[LotteryPanel, ...]


def round_to_tickets(weights: Sequence[float], total: int) -> tuple[int, ...]:
    """Largest-remainder rounding of `weights` (any scale) to integers summing to `total`."""
    exact = [Fraction(w) for w in weights]
    scale = sum(exact)
    shares = [w * total / scale for w in exact]
    floors = [int(s) for s in shares]
    order = sorted(range(len(shares)), key=lambda i: (-(shares[i] - floors[i]), i))
    for i in order[: total - sum(floors)]:
        floors[i] += 1
    return tuple(floors)


def make_lottery(
    *,
    panels: IntArray,
    weights: Sequence[float],
    groups: Sequence[Group],
    header: dict[str, Any],
    tickets: int = TICKETS,
) -> Lottery:
    """Round a distribution (rows of counts per group) into a canonical lottery."""
    merged: dict[tuple[tuple[int, int], ...], float] = {}
    for row, weight in zip(panels, weights, strict=True):
        key = tuple((int(g), int(row[g])) for g in np.flatnonzero(row))
        merged[key] = merged.get(key, 0.0) + float(weight)
    keys = sorted(merged)
    counts = round_to_tickets([merged[k] for k in keys], tickets)
    chosen = tuple(
        LotteryPanel(tickets=t, counts=k) for k, t in zip(keys, counts, strict=True) if t
    )
    return Lottery(**header, tickets=tickets, groups=tuple(groups), panels=chosen)


def _payload(lottery: Lottery) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "method": lottery.method,
        "estimated": lottery.estimated,
        "vilco_version": lottery.vilco_version,
        "size": lottery.size,
        "features": list(lottery.features),
        "household_columns": list(lottery.household_columns),
        "quotas": [[q.feature, q.value, q.min, q.max] for q in lottery.quotas],
        "pool_sha256": lottery.pool_sha256,
        "quotas_sha256": lottery.quotas_sha256,
        "tickets": lottery.tickets,
        "groups": [
            {"values": list(g.values), "ids": list(g.ids), "household": g.household}
            for g in lottery.groups
        ],
        "panels": [
            {"tickets": p.tickets, "counts": [list(c) for c in p.counts]} for p in lottery.panels
        ],
    }


def _canonical(payload: object) -> bytes:
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (text + "\n").encode("utf-8")


def lottery_bytes(lottery: Lottery) -> bytes:
    """The canonical file: the exact bytes whose SHA-256 is published."""
    return _canonical(_payload(lottery))


def lottery_sha256(lottery: Lottery) -> str:
    """SHA-256 (hex) of the canonical lottery file."""
    return hashlib.sha256(lottery_bytes(lottery)).hexdigest()


def _from_payload(data: dict[str, Any]) -> Lottery:
    return Lottery(
        method=str(data["method"]),
        estimated=bool(data["estimated"]),
        vilco_version=str(data["vilco_version"]),
        size=int(data["size"]),
        features=tuple(data["features"]),
        household_columns=tuple(data["household_columns"]),
        quotas=tuple(
            Quota(feature=f, value=v, min=int(lo), max=int(hi)) for f, v, lo, hi in data["quotas"]
        ),
        pool_sha256=str(data["pool_sha256"]),
        quotas_sha256=str(data["quotas_sha256"]),
        tickets=int(data["tickets"]),
        groups=tuple(
            Group(values=tuple(g["values"]), ids=tuple(g["ids"]), household=g["household"])
            for g in data["groups"]
        ),
        panels=tuple(
            LotteryPanel(tickets=int(p["tickets"]), counts=tuple(tuple(c) for c in p["counts"]))
            for p in data["panels"]
        ),
    )


def _parse(data: bytes) -> Lottery:
    try:
        payload = json.loads(data.decode("utf-8"))
        if payload.get("format") != FORMAT:
            raise VilcoError("sortition.lottery_malformed", detail="format")
        lottery = _from_payload(payload)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise VilcoError("sortition.lottery_malformed", detail=type(exc).__name__) from exc
    if lottery_bytes(lottery) != data:
        raise VilcoError("sortition.lottery_not_canonical")
    return lottery


def lottery_space(lottery: Lottery) -> PanelSpace:
    """The quota constraints the lottery states, over its groups."""
    return panel_space(lottery.groups, lottery.features, lottery.quotas, lottery.size)


def panel_counts(lottery: Lottery, panel: LotteryPanel) -> IntArray:
    """A lottery panel as a dense vector of counts per group."""
    counts = np.zeros(len(lottery.groups), dtype=np.int64)
    for group, count in panel.counts:
        counts[group] = count
    return counts


def _check_consistent(lottery: Lottery) -> None:
    ids = [i for g in lottery.groups for i in g.ids]
    if len(ids) != len(set(ids)) or any(not g.ids for g in lottery.groups):
        raise VilcoError("sortition.lottery_malformed", detail="groups")
    if sum(p.tickets for p in lottery.panels) != lottery.tickets or any(
        p.tickets <= 0 for p in lottery.panels
    ):
        raise VilcoError("sortition.lottery_malformed", detail="tickets")
    if lottery.quotas_sha256 != quotas_sha256(lottery.quotas, lottery.size):
        raise VilcoError("sortition.lottery_malformed", detail="quotas_sha256")
    space = lottery_space(lottery)
    groups = len(lottery.groups)
    for index, panel in enumerate(lottery.panels):
        if any(not 0 <= g < groups for g, _ in panel.counts):
            raise VilcoError("sortition.lottery_malformed", detail=f"panels[{index}]")
        if not is_panel(space, panel_counts(lottery, panel)):
            raise VilcoError("sortition.lottery_panel_breaks_quotas", index=index)


def read_lottery(data: bytes, *, expected_sha256: str | None = None) -> Lottery:
    """The lottery in `data`, refused if its hash is not `expected_sha256` or it is inconsistent."""
    actual = hashlib.sha256(data).hexdigest()
    if expected_sha256 is not None and actual != expected_sha256.strip().lower():
        raise VilcoError("sortition.lottery_hash_mismatch", expected=expected_sha256, actual=actual)
    lottery = _parse(data)
    _check_consistent(lottery)
    return lottery


def person_probabilities(lottery: Lottery) -> dict[str, Fraction]:
    """Each person's exact chance of sitting on the panel drawn from this lottery."""
    numerators = [0] * len(lottery.groups)
    for panel in lottery.panels:
        for group, count in panel.counts:
            numerators[group] += panel.tickets * count
    return {
        person: Fraction(numerators[g], lottery.tickets * len(group.ids))
        for g, group in enumerate(lottery.groups)
        for person in group.ids
    }
