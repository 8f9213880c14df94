"""Ballot mixing on the fake unit of work: k from the environment, batches per channel and site
only once k of them wait, one shuffled order for the rows and the audit entries, days coarsened
to the batch, nothing lost when a mix fails, and the flush at the end of the vote."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import random

import pytest

from tests.unit.fake_world import ADMIN, TODAY, seeded_uow
from tests.unit.fakes import FakeUnitOfWork
from vilco_core.audit import MIXED
from vilco_core.ballots import Ballot
from vilco_core.errors import VilcoError
from vilco_core.model import Role, StaffUser
from vilco_core.services import audit, ballots, mixing, voting

A = Ballot(kind="approval", project_ids=("A",))


@pytest.mark.parametrize(
    ("value", "k"), [(None, 20), ("", 20), ("5", 5), (" 1 ", 1), ("10000", 10_000),
                     ("0", 20), ("-3", 20), ("2.5", 20), ("many", 20), ("10001", 20)],
)  # fmt: skip
def test_mixing_batch_size_from_the_environment(
    value: str | None, k: int, caplog: pytest.LogCaptureFixture
) -> None:
    env = {} if value is None else {"VILCO_MIX_BATCH": value}
    with caplog.at_level(logging.WARNING):
        assert mixing.mix_batch(env) == k
    assert bool(caplog.records) == (value not in (None, "", "5", " 1 ", "10000"))


def _cast(uow: FakeUnitOfWork, n: int, k: int, site: int | None = None,
          day: dt.date = TODAY) -> list[str]:  # fmt: skip
    codes = voting.issue_codes(uow, ADMIN, 1, n, day).codes
    receipts = []
    for code in codes:
        receipts.append(voting.cast_ballot(uow, code, A, "phone", site, day))
        mixing.mix_due(uow, 1, k)  # what cast_ballot does with k from the environment
    return receipts


def test_mixing_waits_for_k_of_one_channel_and_site(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VILCO_MIX_BATCH", "1000")  # cast_ballot's own trigger stays idle
    uow = seeded_uow()
    site = next(iter(uow.committed.sites))
    _cast(uow, 2, 3)
    _cast(uow, 2, 3, site=site)
    assert (len(uow.committed.pending), len(uow.committed.ballots)) == (4, 0)  # 2 + 2 < 3 each
    assert ballots.count_ballots(uow, 1) == 4  # counted all the same
    third = _cast(uow, 1, 3)
    assert len(uow.committed.ballots) == 3 and third[0] in uow.committed.ballots
    assert all(b.site_id is None for b in uow.committed.ballots.values())
    assert mixing.mix_report(uow, 1) == mixing.MixReport(batches=(3,), pending=2)


def test_mixing_rows_and_entries_share_one_shuffled_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VILCO_MIX_BATCH", "1000")
    uow = seeded_uow()
    cast = _cast(uow, 12, 1000)
    with uow:
        assert audit.mix_pending(uow, 1, 12, random.Random(4)) == 12
        uow.commit()
    stored = list(uow.committed.ballots)  # insertion order: the rows' physical order
    entries = [json.loads(e.payload) for e in uow.committed.audit[-13:]]
    assert entries[0] == {"process_id": 1, "ballots": 12}
    assert [e["receipt"] for e in entries[1:]] == stored
    assert sorted(stored) == sorted(cast) and stored != cast  # shuffled (seeded: not identity)
    assert audit.verify_audit(uow).tallies_ok


def test_mixing_dates_a_batch_with_its_latest_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VILCO_MIX_BATCH", "1000")
    uow = seeded_uow()
    _cast(uow, 2, 1000, day=TODAY - dt.timedelta(days=1))
    _cast(uow, 1, 1000)
    assert {b.cast_on for b in uow.committed.pending.values()} == {
        TODAY, TODAY - dt.timedelta(days=1)}  # fmt: skip
    assert mixing.flush_ballots(uow, ADMIN, 1) == {1: 3}
    assert {b.cast_on for b in uow.committed.ballots.values()} == {TODAY}
    assert audit.verify_audit(uow).tallies_ok


def test_mixing_failure_keeps_the_ballot_and_the_receipt(monkeypatch: pytest.MonkeyPatch) -> None:
    uow = seeded_uow()
    [code] = voting.issue_codes(uow, ADMIN, 1, 1, TODAY).codes
    monkeypatch.setenv("VILCO_MIX_BATCH", "1")

    def settle(batch: object) -> int:
        raise RuntimeError("disk full")

    monkeypatch.setattr(uow.ballots, "settle", settle)
    receipt = voting.cast_ballot(uow, code, A, "phone", None, TODAY)
    assert receipt in uow.committed.pending and not uow.committed.ballots
    assert not any(e.kind == MIXED for e in uow.committed.audit)  # rolled back entirely
    monkeypatch.undo()
    assert mixing.mix_due(uow, 1, 1) == 1 and receipt in uow.committed.ballots


def test_mixing_flush_refused_to_others_and_nothing_moves() -> None:
    uow = seeded_uow()
    _cast(uow, 1, 1000)
    officer = StaffUser(username="o", name="O", role=Role.POLL_OFFICER, commune_codes=("21013",))
    for actor in (None, officer):
        with pytest.raises(VilcoError) as error:
            mixing.flush_ballots(uow, actor, 1)
        assert error.value.code == "errors.forbidden"
    assert len(uow.committed.pending) == 1
    other = dataclasses.replace(ADMIN, username="a2")
    assert mixing.flush_ballots(uow, other) == {1: 1} and not uow.committed.pending
    assert mixing.flush_ballots(uow, other) == {}  # nothing left: idempotent
