"""Envelopes on a real database (a SQLite file and PostgreSQL, every test): the envelope
settings stored with the process, a ballot's district stored with its content (pending and
mixed), one outcome per envelope of the demo's budget split by commune, and one Pabulib file per
envelope accepted by pabulib-checker and read back."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import replace

import pytest
from pabulib.checker import Checker

from vilco_core.ballots import Ballot
from vilco_core.envelopes import CITY, envelope_pabulib, envelopes_zip
from vilco_core.errors import VilcoError
from vilco_core.model import Process, Role, StaffUser
from vilco_core.pabulib import parse_pabulib
from vilco_core.services import ballots, mixing, processes
from vilco_core.store import SqlUnitOfWork

ADMIN = StaffUser(username="admin", name="Admin", role=Role.ADMIN)
TODAY = dt.date.today()


def _split(uow: SqlUnitOfWork) -> Process:
    """The demo's budget with one envelope per commune and a city-wide part."""
    return processes.list_processes(uow)[2]


def test_envelopes_settings_round_trip(demo_uow: SqlUnitOfWork) -> None:
    process = _split(demo_uow)
    assert process.leftover_to_city and process.min_supporters == 1
    assert [b.key for b in process.sub_budgets] == ["saint-gilles", "schaerbeek"]
    call = processes.list_processes(demo_uow)[1]  # not locked: its settings may change
    north = replace(process.sub_budgets[0], amount_cents=10_000_00, min_supporters=40)
    edited = replace(call, min_supporters=12, leftover_to_city=True, sub_budgets=(north,))
    processes.save_process(demo_uow, ADMIN, edited)
    stored = processes.get_process(demo_uow, call.id or 0)
    assert stored == edited
    assert stored.sub_budgets[0].min_supporters == 40


def test_envelopes_a_ballot_keeps_its_district_pending_and_mixed(demo_uow: SqlUnitOfWork) -> None:
    process_id = _split(demo_uow).id or 0
    chosen = Ballot(kind="approval", project_ids=("SC-02",), district="schaerbeek")
    derived = Ballot(kind="approval", project_ids=("SG-01", "SG-02"))  # SG-02 is city-wide
    receipts = [ballots.record_ballot(demo_uow, process_id, b, "paper", None, TODAY)
                for b in (chosen, derived)]  # fmt: skip
    with demo_uow:
        pending = {b.receipt: b.ballot for b in demo_uow.ballots.list_for_process(process_id)}
    assert pending[receipts[0]].district == "schaerbeek"
    assert pending[receipts[1]].district == "saint-gilles"  # read from its district project
    mixing.mix_due(demo_uow, process_id, 1)
    with demo_uow:
        assert not demo_uow.ballots.pending(process_id)
        mixed = {b.receipt: b.ballot for b in demo_uow.ballots.list_for_process(process_id)}
    assert mixed[receipts[0]] == pending[receipts[0]]
    assert mixed[receipts[1]].district == "saint-gilles"


@pytest.mark.parametrize(
    ("ballot", "code"),
    [
        (Ballot(kind="approval", project_ids=("SG-01", "SC-01")), "envelope.several_districts"),
        (Ballot(kind="approval", project_ids=("SG-01",), district="schaerbeek"),
         "envelope.other_district"),
        (Ballot(kind="approval", project_ids=("SG-01",), district="ixelles"),
         "envelope.unknown_district"),
    ],
)  # fmt: skip
def test_envelopes_a_ballot_across_communes_is_refused_and_nothing_stored(
    demo_uow: SqlUnitOfWork, ballot: Ballot, code: str
) -> None:
    process_id = _split(demo_uow).id or 0
    before = ballots.results_version(demo_uow, process_id)
    with pytest.raises(VilcoError) as caught:
        ballots.record_ballot(demo_uow, process_id, ballot, "paper", None, TODAY)
    assert caught.value.code == code
    assert ballots.results_version(demo_uow, process_id) == before


def test_envelopes_a_poster_site_fixes_the_district(demo_uow: SqlUnitOfWork) -> None:
    process_id = _split(demo_uow).id or 0
    parvis = next(
        s for s in processes.list_sites(demo_uow, process_id) if s.name.startswith("Parvis")
    )
    other = Ballot(kind="approval", project_ids=("SC-02",))
    with pytest.raises(VilcoError) as caught:
        ballots.record_ballot(demo_uow, process_id, other, "paper", parvis.id, TODAY)
    assert caught.value.code == "envelope.other_district"
    receipt = ballots.record_ballot(demo_uow, process_id, _city(), "paper", parvis.id, TODAY)
    with demo_uow:
        found = {b.receipt: b.ballot for b in demo_uow.ballots.list_for_process(process_id)}
    assert found[receipt].district == "saint-gilles"  # city-wide only, voted at a Saint-Gilles site


def _city() -> Ballot:
    return Ballot(kind="approval", project_ids=("SC-11",))


def test_envelopes_the_demo_split_by_commune_gives_one_outcome_each(
    demo_uow: SqlUnitOfWork,
) -> None:
    found = ballots.compute_envelopes(demo_uow, _split(demo_uow).id or 0, TODAY)
    assert [e.key for e in found] == ["saint-gilles", "schaerbeek", CITY]
    sg, sc, city = found
    assert {r.project.ref[:2] for r in sg.results.projects} == {"SG"}
    assert {r.project.ref for r in city.results.projects} == {"SG-02", "SC-04", "SC-11"}
    assert sg.budget_cents == 60_000_00 and sc.budget_cents == 60_000_00
    assert city.own_cents == 30_000_00
    assert city.carried_in_cents == sg.leftover_cents + sc.leftover_cents
    assert city.results.announced.budget * 100 == city.budget_cents
    for envelope in found:
        assert envelope.results.ballot_count > 0
        assert envelope.results.spent_cents <= envelope.budget_cents
        assert envelope.results.announced.rule == "mes"
    whole = ballots.compute_envelopes(
        demo_uow, processes.list_processes(demo_uow)[0].id or 0, TODAY
    )
    assert [(e.key, e.kind) for e in whole] == [("", "whole")]


def _problems(text: str) -> dict[str, object]:
    report = Checker().process_files([text])
    assert report["metadata"]["valid"] == 1, report
    (result,) = (v["results"] for k, v in report.items() if k not in ("metadata", "summary"))
    return {level: found for level, found in result.items() if found}


def test_envelopes_one_pabulib_file_per_district_passes_the_checker_and_reads_back(
    demo_uow: SqlUnitOfWork,
) -> None:
    process = _split(demo_uow)
    found = ballots.compute_envelopes(demo_uow, process.id or 0, TODAY)
    archive = zipfile.ZipFile(io.BytesIO(envelopes_zip(process, found)))
    assert archive.namelist() == [f"vilco_{process.id}_{e.key}.pb" for e in found]
    for envelope in found:
        text = archive.read(f"vilco_{process.id}_{envelope.key}.pb").decode("utf-8")
        assert text == envelope_pabulib(envelope)
        if envelope.kind == "district":  # pabulib-checker hangs on the city part (see report)
            assert _problems(text) == {}, envelope.key
        parsed = parse_pabulib(text)
        meta = parsed.instance.meta
        assert set(parsed.declared_winners() or ()) == set(envelope.results.announced.selected)
        assert parsed.instance.money(parsed.instance.budget) * 100 == envelope.budget_cents
        assert parsed.profile.num_voters == envelope.results.ballot_count
        assert meta["min_project_score_threshold"] == "1"
        if envelope.kind == "district":
            assert meta["district"] == meta["subunit"] == envelope.label.get("fr")
        else:
            assert "district" not in meta and meta["subunit"] == envelope.label.get("fr")
