"""The staff forms once the demo's vote has opened (it runs from today-7): what decides the
result shows disabled with the reason, a withdrawal needs a reason, the results page names the
withdrawn project; a facilitator is offered only the communes they manage."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from tests.app.conftest import texts
from vilco_core.model import ProjectStatus
from vilco_core.services import audit, processes
from vilco_core.store import SqlUnitOfWork, make_engine
from vilco_core.store.tables import ProjectRow

LOCKED_HELP = "Locked since the vote opened."
OpenPage = Callable[..., AppTest]


def _uow(url: str) -> SqlUnitOfWork:
    return SqlUnitOfWork(make_engine(url))


def _edit_demo(at: AppTest) -> None:
    at.selectbox[0].set_value(1).run()


def test_locked_process_form_disables_what_decides_the_result(open_page: OpenPage) -> None:
    at = open_page("pages/processes.py", user="admin", lang="en")
    envelope = next(ti for ti in at.text_input if ti.label == "Envelope (€)")
    assert not envelope.disabled  # a new process: nothing is locked
    _edit_demo(at)
    assert any("The vote opened" in i.value for i in at.info)
    envelope = next(ti for ti in at.text_input if ti.label == "Envelope (€)")
    rule = next(sb for sb in at.selectbox if sb.label == "Announced rule")
    kind = next(sb for sb in at.selectbox if sb.label == "Ballot type")
    for widget in (envelope, rule, kind):
        assert widget.disabled and widget.help == LOCKED_HELP
    name = next(ti for ti in at.text_input if ti.label == "Name (English)")
    assert not name.disabled  # a typo in a name can still be fixed
    name.set_value("Lively neighbourhoods 2027")
    at.button[0].click().run()
    assert not at.exception and not [e.value for e in at.error]
    assert at.success[0].value.startswith("Process")


def test_locked_process_form_facilitator_keeps_the_shared_commune(
    open_page: OpenPage, demo_db: str
) -> None:
    at = open_page("pages/processes.py", user="facilitator", lang="en")
    _edit_demo(at)
    assert at.multiselect[0].options == ["Saint-Gilles"]  # not the 19 communes
    assert any("Schaerbeek" in c.value for c in at.caption)  # shown as fixed
    at.button[0].click().run()
    assert not at.exception and not [e.value for e in at.error]
    stored = processes.get_process(_uow(demo_db), 1)
    assert stored.commune_codes == ("21013", "21015")  # Schaerbeek kept


def test_locked_project_form_and_withdrawal_needs_a_reason(
    open_page: OpenPage, demo_db: str
) -> None:
    before = open_page("pages/results.py", lang="en")  # the results are cached from here on
    assert not [w for w in before.warning if "Withdrawn during the vote" in w.value]
    at = open_page("pages/projects.py", user="admin", lang="en")
    cost = [ti for ti in at.text_input if ti.label == "Cost (€)"]
    assert not cost[0].disabled and cost[1].disabled  # new project; SG-01, on the ballot
    assert cost[1].help == LOCKED_HELP
    status = [sb for sb in at.selectbox if sb.label == "Status"]
    assert status[0].options == ["Proposed", "Not selected"]  # nothing joins the ballot
    assert "Withdrawn" not in status[1].options and "Not selected" not in status[1].options
    which = next(sb for sb in at.selectbox if sb.label == "Project to withdraw")
    which.set_value(_first_id(demo_db)).run()
    withdraw = next(b for b in at.button if b.label == "Withdraw")
    withdraw.click().run()  # no reason
    assert "reason" in at.error[0].value
    assert _status(demo_db, "SG-01") == ProjectStatus.ELIGIBLE  # nothing changed
    area = next(ta for ta in at.text_area if ta.label.startswith("Reason"))
    area.set_value("Le terrain n'est plus disponible")
    next(sb for sb in at.selectbox if sb.label == "Project to withdraw").set_value(
        _first_id(demo_db)
    )
    next(b for b in at.button if b.label == "Withdraw").click().run()
    assert not at.exception and not [e.value for e in at.error]
    assert _status(demo_db, "SG-01") == ProjectStatus.WITHDRAWN
    results = open_page("pages/results.py", lang="en")
    warned = [w.value for w in results.warning if "Withdrawn during the vote" in w.value]
    assert len(warned) == 1 and "Le terrain n'est plus disponible" in warned[0]
    assert not [x for x in texts(results) if "⟦" in x]
    assert audit.verify_audit(_uow(demo_db)).ok


def _first_id(url: str) -> int:
    return next(p.id or 0 for p in processes.list_projects(_uow(url), 1) if p.ref == "SG-01")


def _status(url: str, ref: str) -> ProjectStatus:
    with _uow(url) as uow:
        status = uow.session.scalars(
            select(ProjectRow.status).where(ProjectRow.process_id == 1, ProjectRow.ref == ref)
        ).one()
    return ProjectStatus(status)
