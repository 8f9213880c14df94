"""Who may change a process's communes, on SQLite and PostgreSQL: a facilitator adds or removes
only the communes they manage (a Saint-Gilles facilitator removed Schaerbeek from a shared
process and created one including Ixelles); admins change any. A refusal writes nothing."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import MetaData, select

from vilco_core.errors import VilcoError
from vilco_core.model import Process, Role, StaffUser
from vilco_core.services import processes
from vilco_core.store import SqlUnitOfWork

SAINT_GILLES, SCHAERBEEK, IXELLES = "21013", "21015", "21009"
ADMIN = StaffUser(username="admin", name="A", role=Role.ADMIN)
FACILITATOR = StaffUser(username="facilitator", name="F", role=Role.FACILITATOR,
                        commune_codes=(SAINT_GILLES,))  # fmt: skip


def _snapshot(uow: SqlUnitOfWork) -> list[list[str]]:
    meta = MetaData()
    meta.reflect(uow.engine)
    with uow.engine.connect() as connection:
        return [sorted(map(repr, connection.execute(select(t)))) for t in meta.sorted_tables]


def _shared(uow: SqlUnitOfWork) -> Process:
    process = processes.get_process(uow, 1)
    assert set(process.commune_codes) == {SAINT_GILLES, SCHAERBEEK}
    return process


@pytest.mark.parametrize(
    "communes",
    [(SAINT_GILLES,), (SAINT_GILLES, SCHAERBEEK, IXELLES), (SCHAERBEEK,)],
    ids=["removes-schaerbeek", "adds-ixelles", "removes-own-keeps-other"],
)
def test_access_communes_facilitator_may_not_change_communes_of_others(
    demo_uow: SqlUnitOfWork, communes: tuple[str, ...]
) -> None:
    """Removing one's own commune and leaving Schaerbeek alone is refused too: once saved, the
    facilitator would no longer manage the process (`may_manage` on the saved value)."""
    changed = replace(_shared(demo_uow), commune_codes=communes)
    before = _snapshot(demo_uow)
    with pytest.raises(VilcoError) as error:
        processes.save_process(demo_uow, FACILITATOR, changed)
    assert error.value.code == "errors.forbidden"
    assert _snapshot(demo_uow) == before


def test_access_communes_facilitator_may_not_create_a_process_with_other_communes(
    demo_uow: SqlUnitOfWork,
) -> None:
    new = replace(_shared(demo_uow), id=None, commune_codes=(SAINT_GILLES, IXELLES))
    before = _snapshot(demo_uow)
    with pytest.raises(VilcoError) as error:
        processes.save_process(demo_uow, FACILITATOR, new)
    assert error.value.code == "errors.forbidden"
    assert _snapshot(demo_uow) == before


def test_access_communes_facilitator_keeps_others_and_creates_within_own(
    demo_uow: SqlUnitOfWork,
) -> None:
    shared = _shared(demo_uow)
    processes.save_process(demo_uow, FACILITATOR, replace(shared, year=shared.year + 1))
    new_id = processes.save_process(
        demo_uow, FACILITATOR, replace(shared, id=None, commune_codes=(SAINT_GILLES,), phases=())
    )  # without phases: a vote opening today on no project is refused
    assert processes.get_process(demo_uow, new_id).commune_codes == (SAINT_GILLES,)
    assert set(processes.get_process(demo_uow, 1).commune_codes) == {SAINT_GILLES, SCHAERBEEK}


def test_access_communes_admin_changes_any_commune(demo_uow: SqlUnitOfWork) -> None:
    changed = replace(_shared(demo_uow), commune_codes=(SCHAERBEEK, IXELLES))
    processes.save_process(demo_uow, ADMIN, changed)
    assert set(processes.get_process(demo_uow, 1).commune_codes) == {SCHAERBEEK, IXELLES}
