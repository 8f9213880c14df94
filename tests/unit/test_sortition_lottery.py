"""The published lottery: canonical file, tamper detection, seeded draws, alternates, statistics."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from itertools import count

import pytest
from scipy import stats

from tests.unit.sortition_helpers import SORTITION, lottery
from vilco_core.errors import VilcoError
from vilco_core.sortition import (
    draw_panel,
    lottery_bytes,
    lottery_sha256,
    quota_counts,
    read_lottery,
    replacement_for,
)
from vilco_core.sortition.lottery import round_to_tickets
from vilco_core.sortition.seeding import hash_stream, uniform_below

pytestmark = pytest.mark.skipif(not SORTITION.is_dir(), reason="shared data not beside checkout")
NAME = "opendlp_monitoring_30"


def test_round_to_tickets_is_exact_and_deterministic() -> None:
    assert round_to_tickets([1 / 3, 1 / 3, 1 / 3], 10) == (4, 3, 3)
    assert round_to_tickets([0.5, 0.25, 0.25], 7) == (3, 2, 2)
    assert sum(round_to_tickets([0.1] * 7 + [0.3], 10**12)) == 10**12


def test_uniform_below_rejects_instead_of_taking_a_modulo() -> None:
    stream = hash_stream("seed", "context")
    draws = Counter(uniform_below(stream, 3) for _ in range(3000))
    assert set(draws) == {0, 1, 2}
    assert stats.chisquare(list(draws.values())).pvalue > 1e-4


def test_hash_stream_is_a_published_recipe() -> None:
    import hashlib

    expected = hashlib.sha256(b"vilco-seed/1\nctx\n1 2 3\n0").digest()
    assert next(hash_stream("  1 2 3 ", "ctx")) == int.from_bytes(expected, "big")


def test_lottery_file_round_trips_with_its_hash() -> None:
    lot = lottery(NAME)
    data = lottery_bytes(lot)
    assert read_lottery(data, expected_sha256=lottery_sha256(lot)) == lot
    assert data.endswith(b"\n") and b": " not in data


def test_tampered_lottery_is_refused_by_its_hash() -> None:
    lot = lottery(NAME)
    payload = json.loads(lottery_bytes(lot))
    payload["panels"][0]["tickets"] += 1
    payload["panels"][1]["tickets"] -= 1
    tampered = (json.dumps(payload, sort_keys=True, separators=(",", ":")) + "\n").encode()
    read_lottery(tampered)  # still consistent on its own...
    with pytest.raises(VilcoError) as excinfo:  # ...but not the published one
        read_lottery(tampered, expected_sha256=lottery_sha256(lot))
    assert excinfo.value.code == "sortition.lottery_hash_mismatch"


@pytest.mark.parametrize(
    ("edit", "code"),
    [
        (lambda d: d.replace(b'"size":30', b'"size": 30'), "sortition.lottery_not_canonical"),
        (lambda d: d[:-10], "sortition.lottery_malformed"),
    ],
)
def test_broken_lottery_files_are_refused(edit: object, code: str) -> None:
    with pytest.raises(VilcoError) as excinfo:
        read_lottery(edit(lottery_bytes(lottery(NAME))))  # type: ignore[operator]
    assert excinfo.value.code == code


def test_lottery_whose_panel_breaks_quotas_is_refused() -> None:
    lot = lottery(NAME)
    first = lot.panels[0]
    (group, number), *rest = first.counts
    broken = replace(first, counts=((group, number + 1), *rest))
    with pytest.raises(VilcoError) as excinfo:
        read_lottery(lottery_bytes(replace(lot, panels=(broken, *lot.panels[1:]))))
    assert excinfo.value.code in {"sortition.lottery_panel_breaks_quotas"}


def test_same_seed_same_panel_and_different_seeds_differ() -> None:
    lot = lottery(NAME)
    first, again = draw_panel(lot, "4 2 6 1 3"), draw_panel(lot, "4 2 6 1 3")
    assert first == again
    panels = {draw_panel(lot, f"seed {i}").panel for i in range(10)}
    assert len(panels) == 10


@pytest.mark.parametrize("method", ["leximin", "uniform", "legacy"])
def test_drawn_panel_meets_quotas_and_alternates_keep_them(method: str) -> None:
    lot = lottery(NAME, method)
    draw = draw_panel(lot, "witnessed dice 5 3 1", alternates=6)
    assert len(draw.panel) == lot.size and not set(draw.panel) & set(draw.alternates)
    assert all(q.met for q in quota_counts(lot, draw.panel))
    assert len(draw.alternates) == 6
    for dropped in draw.panel:
        substitute = replacement_for(lot, draw.panel, dropped, draw.alternates)
        if substitute is not None:
            panel = [substitute if m == dropped else m for m in draw.panel]
            assert all(q.met for q in quota_counts(lot, panel))


def test_alternates_can_replace_every_replaceable_member() -> None:
    # over several seeds: one seed's panel depends on which optimal panels the solver found
    lot = lottery(NAME)
    draws = [draw_panel(lot, str(seed), alternates=15) for seed in range(1, 9)]
    covered = [replacement_for(lot, d.panel, m, d.alternates) for d in draws for m in d.panel]
    assert sum(c is not None for c in covered) >= 0.8 * lot.size * len(draws)


def test_seeded_draws_follow_the_published_probabilities() -> None:
    """2,000 seeded draws: ticket frequencies against the published ticket shares (chi-square)."""
    lot = lottery("sa_fixture_22", "maximin")
    shares = [p.tickets / lot.tickets for p in lot.panels]
    seen = Counter(_panel_index(lot, draw_panel(lot, f"seed-{i}").ticket) for i in range(2000))
    big = [i for i, share in enumerate(shares) if share * 2000 >= 5]
    observed = [seen[i] for i in big]
    expected = [shares[i] * 2000 for i in big]
    rest = (2000 - sum(observed), 2000 - sum(expected))
    if rest[1] >= 5:  # the small panels as one bin; too small a bin joins the last one
        observed, expected = [*observed, rest[0]], [*expected, rest[1]]
    else:
        observed[-1], expected[-1] = observed[-1] + rest[0], expected[-1] + rest[1]
    assert stats.chisquare(observed, expected).pvalue > 1e-4


def _panel_index(lot: object, ticket: int) -> int:
    total = 0
    for index in count():
        total += lot.panels[index].tickets  # type: ignore[attr-defined]
        if ticket < total:
            return index
    raise AssertionError
