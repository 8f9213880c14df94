"""Panel sessions through AppTest: the facilitator creates a session and runs a round, a member
votes and changes their vote from the phone page, the projector shows the round (provisional,
then final) in French and Dutch side by side, and the evaluation pages (AppTest cannot tick
`run_every` fragments: the browser test does)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import open_link, snapshot, texts
from vilco_core.ballots import Ballot
from vilco_core.deliberation import Evaluation
from vilco_core.i18n import translate
from vilco_core.model import Role, StaffUser
from vilco_core.services import evaluations, panel_rounds, panel_sessions, recommendations
from vilco_core.store import SqlUnitOfWork, make_engine

OpenPage = Callable[..., AppTest]
ADMIN = StaffUser(username="admin", name="Admin", role=Role.ADMIN)
NOW = dt.datetime.now(dt.UTC)


def _with_db(url: str, action: Callable[[SqlUnitOfWork], object]) -> object:
    engine = make_engine(url)
    try:
        return action(SqlUnitOfWork(engine))
    finally:
        engine.dispose()


def _session_with_round(url: str, members: int = 3) -> tuple[panel_sessions.IssuedSession, int]:
    def make(uow: SqlUnitOfWork) -> tuple[panel_sessions.IssuedSession, int]:
        labels = [f"P{i}" for i in range(members)]
        issued = panel_sessions.create_session(
            uow, ADMIN, 1, "Soirée panel", labels, dt.date.today()
        )
        rnd = panel_rounds.open_round(uow, ADMIN, issued.session_id, "approval",
                                ("SG-01", "SG-02", "SC-01"), "mes", NOW)  # fmt: skip
        return issued, rnd.id

    return _with_db(url, make)  # type: ignore[return-value]


def test_sessions_page_creates_codes_and_runs_a_round(open_page: OpenPage) -> None:
    at = open_page("pages/sessions.py", user="facilitator")
    assert not at.exception and not at.error
    at.text_input[0].input("Soirée du 3 mars")
    at.text_area[0].input("Alice\nBob\nChloé")
    at.button[0].click().run()  # "Créer la session et ses codes"
    assert not at.exception
    assert any("3 codes personnels" in w.value for w in at.warning)
    assert [m.value for m in at.metric] == ["0 / 3"]
    at.button[-1].click().run()  # open round 1 with every project
    assert not at.exception and not at.error
    assert any("Le tour 1 est ouvert" in i.value for i in at.info)
    at.button[-1].click().run()  # close it
    assert not at.exception
    assert any("**Tour 1** · DÉFINITIF" in m.value for m in at.markdown)
    assert not [x for x in texts(at) if "⟦" in x]


def test_sessions_page_refuses_residents_and_poll_officers(open_page: OpenPage) -> None:
    assert open_page("pages/sessions.py").warning
    assert open_page("pages/sessions.py", user="officer").error


def test_member_page_votes_and_changes_the_vote(demo_db: str) -> None:
    issued, round_id = _session_with_round(demo_db)
    code = issued.codes[0][1]
    at = open_link("pages/panel.py", c=code)
    assert not at.exception and not at.error
    assert at.title[0].value == "Soirée panel"
    assert at.subheader[0].value == "Tour 1"
    at.checkbox[0].check().run()
    at.button[0].click().run()  # "Envoyer mon vote"
    assert [s.value for s in at.success] == ["Votre vote du tour 1 est enregistré."]
    assert at.checkbox[0].value  # the ballot stays filled in with the member's vote
    at.checkbox[0].uncheck()
    at.checkbox[1].check().run()
    at.button[0].click().run()  # "Remplacer mon vote": the last one counts
    outcome = _with_db(demo_db, lambda uow: panel_rounds.round_results(uow, round_id))
    assert outcome.results.ballot_count == 1  # type: ignore[attr-defined]
    assert [r.votes for r in outcome.results.projects if r.project.ref == "SG-02"] == [1]  # type: ignore[attr-defined]


def test_member_page_press_after_the_round_closed_stores_nothing(demo_db: str) -> None:
    """The round closes while the phone still shows it: the press (a callback, stored before
    the page runs) gets the translated refusal and no ballot is written."""
    issued, round_id = _session_with_round(demo_db)
    at = open_link("pages/panel.py", lang="nl", c=issued.codes[0][1])
    at.checkbox[0].check().run()
    _with_db(demo_db, lambda uow: panel_rounds.close_round(uow, ADMIN, round_id, NOW))
    before = snapshot(demo_db)
    at.button[0].click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [translate("panel.round_closed", "nl", number=1)]
    assert snapshot(demo_db) == before
    assert any("Ronde 1 is gesloten" in i.value for i in at.info)


def test_member_page_in_dutch_junk_code_and_closed_round(demo_db: str) -> None:
    issued, round_id = _session_with_round(demo_db)
    junk = open_link("pages/panel.py", lang="nl", c="<script>")
    assert len(junk.error) == 1 and not junk.exception
    unknown = open_link("pages/panel.py", c="0000-0000-0000-0000")
    assert [e.value for e in unknown.error] == ["Ce code ne correspond à aucun membre d'un panel."]
    _with_db(demo_db, lambda uow: panel_rounds.close_round(uow, ADMIN, round_id, NOW))
    at = open_link("pages/panel.py", lang="nl", c=issued.codes[1][1])
    assert not at.exception
    assert any("Ronde 1 is gesloten" in i.value for i in at.info)
    assert not [x for x in texts(at) if "⟦" in x]


def test_projector_page_provisional_then_final_fr_nl(demo_db: str) -> None:
    issued, round_id = _session_with_round(demo_db)
    for _, code in issued.codes[:2]:
        _with_db(demo_db, lambda uow, c=code: panel_rounds.submit_ballot(
            uow, c, round_id, Ballot(kind="approval", project_ids=("SG-01",))))  # fmt: skip
    at = open_link("pages/projector.py", session=str(issued.session_id), langs="fr+nl")
    assert not at.exception and not at.error
    heading = " ".join(m.value for m in at.markdown)
    assert "PROVISOIRE · VOORLOPIG" in heading and "Tour 1 · Ronde 1" in heading
    assert [m.value for m in at.metric] == ["2 / 3", "2"]  # voting counts as joining
    _with_db(demo_db, lambda uow: panel_rounds.close_round(uow, ADMIN, round_id, NOW))
    at = open_link("pages/projector.py", session=str(issued.session_id), langs="nl")
    assert "DEFINITIEF" in " ".join(m.value for m in at.markdown)
    assert not [x for x in texts(at) if "⟦" in x]


def test_projector_page_resident_vote_and_chooser(demo_db: str) -> None:
    at = open_link("pages/projector.py", process="1")
    assert not at.exception and not at.error
    assert "**Bulletins reçus**" in [m.value for m in at.markdown]
    assert int(at.metric[0].value) > 0
    assert at.dataframe  # phone and paper per site
    chooser = open_link("pages/projector.py")
    assert not chooser.exception and chooser.title[0].value == "Vue projecteur"


def test_evaluation_pages_send_and_aggregate(open_page: OpenPage, demo_db: str) -> None:
    at = open_link("pages/evaluate.py", lang="en", process="1")
    assert not at.exception and at.title[0].value == "Evaluate the process"
    at.radio[1].set_value(4)
    at.text_area[0].input("<b>great</b> =1+1")
    at.button[0].click().run()
    assert [s.value for s in at.success] == ["Thank you for your evaluation."]
    _with_db(demo_db, lambda uow: evaluations.submit_evaluation(uow, Evaluation(
        process_id=1, scope="process", respondent="resident", language="nl",
        answers=(2, None, 5, 5)), dt.date.today(), browser_token="other"))  # fmt: skip
    staff = open_page("pages/evaluations.py", user="admin")
    assert not staff.exception and not staff.error
    assert [m.value for m in staff.metric] == ["2"]
    assert len(staff.get("vega_lite_chart")) == 1
    assert staff.get("download_button")
    comments = staff.dataframe[-1].value  # free text as text, never interpreted
    assert "<b>great</b> =1+1" in comments.iloc[:, -1].tolist()
    assert not [x for x in texts(staff) if "⟦" in x]


def test_sessions_page_reissues_a_lost_code(open_page: OpenPage) -> None:
    at = open_page("pages/sessions.py", user="facilitator")
    at.text_input[0].input("Soirée du 4 mars")
    at.text_area[0].input("Alice\nBob")
    at.button[0].click().run()
    old = at.session_state["vilco_panel_issued"].codes[0][1]
    at.selectbox(key="panel-reissue-member").select_index(0)
    at.button(key="panel-reissue").click().run()
    assert not at.exception and not at.error
    fresh = at.session_state["vilco_panel_reissued"]
    assert fresh.label == "Alice" and fresh.code != old
    assert any(f"Nouveau code pour Alice : {fresh.code}" in w.value for w in at.warning)
    assert any(fresh.code in c.value for c in at.code)  # the link; the QR beside it
    refused = open_link("pages/panel.py", c=old)
    assert [e.value for e in refused.error] == [
        "Ce code a été remplacé par un nouveau code. Utilisez le nouveau code reçu de l'animateur."
    ]
    member = open_link("pages/panel.py", lang="nl", c=fresh.code)
    assert not member.exception and not member.error
    assert member.title[0].value == "Soirée du 4 mars"
    at.button(key="panel-reissued-done").click().run()
    assert "vilco_panel_reissued" not in at.session_state
    assert not [x for x in texts(at) if "⟦" in x]


def test_evaluate_page_answers_again_replaces(demo_db: str) -> None:
    at = open_link("pages/evaluate.py", lang="en", process="1")
    at.radio[1].set_value(2)
    at.button[0].click().run()
    at.button[0].click().run()  # "Change my answers"
    assert not at.exception and not at.success
    at.radio[1].set_value(5)
    at.button[0].click().run()
    assert [s.value for s in at.success] == ["Thank you for your evaluation."]
    rows = _with_db(demo_db, lambda uow: evaluations.list_evaluations(uow, ADMIN, 1))
    assert [r.answers[0] for r in rows] == [5]  # type: ignore[attr-defined]


def test_evaluate_page_member_by_code(demo_db: str) -> None:
    issued, _ = _session_with_round(demo_db)
    at = open_link("pages/evaluate.py", lang="nl", process="1", session=str(issued.session_id),
               who="member")  # fmt: skip
    assert not at.exception and "eval-q1" not in [r.key for r in at.radio]  # the code first
    at.text_input[0].input("0000-0000-0000-0000")
    at.button[0].click().run()
    at.radio(key="eval-q1").set_value(4)
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["Deze code hoort bij geen enkel panellid."]
    at.button[-1].click().run()  # "another code"
    at.text_input[0].input(issued.codes[0][1])
    at.button[0].click().run()
    for answer in (4, 3):
        at.radio(key="eval-q1").set_value(answer)
        at.button[0].click().run()
        assert [s.value for s in at.success] == ["Bedankt voor uw evaluatie."]
        at.button[0].click().run()  # answer again: replaces
    rows = _with_db(demo_db, lambda uow: evaluations.list_evaluations(uow, ADMIN, 1))
    assert [(r.respondent, r.answers[0]) for r in rows] == [("member", 3)]  # type: ignore[attr-defined]
    assert not [x for x in texts(at) if "⟦" in x]


def _finalised(url: str) -> tuple[int, tuple[str, ...]]:
    issued, round_id = _session_with_round(url)
    for _, code in issued.codes:
        _with_db(url, lambda uow, c=code: panel_rounds.submit_ballot(
            uow, c, round_id, Ballot(kind="approval", project_ids=("SG-01", "SC-01"))))  # fmt: skip
    _with_db(url, lambda uow: panel_rounds.close_round(uow, ADMIN, round_id, NOW))
    session = _with_db(url, lambda uow: recommendations.finalise_session(uow, ADMIN, round_id, NOW))
    return issued.session_id, session.final_projects  # type: ignore[attr-defined]


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_recommendation_page_deep_link(demo_db: str, lang: str) -> None:
    empty = open_link("pages/recommendation.py", lang=lang)
    assert not empty.exception and [i.value for i in empty.info] == [translate("rec.none", lang)]
    session_id, refs = _finalised(demo_db)
    assert set(refs) == {"SG-01", "SC-01"}
    at = open_link("pages/recommendation.py", lang=lang, session=str(session_id))
    assert not at.exception and not at.error
    assert at.title[0].value == translate("rec.title", lang)
    assert at.header[0].value == "Soirée panel"
    assert at.session_state["vilco_recommendation_session"] == session_id
    assert translate("rule.mes", lang) in at.caption[0].value
    assert len(at.dataframe[0].value) == 2
    total = " ".join(m.value for m in at.markdown)
    assert translate("rec.total", lang, total="", budget="").split()[0] in total
    assert len(at.get("deck_gl_json_chart")) == 1
    assert not [x for x in texts(at) if "⟦" in x]


@pytest.mark.parametrize("junk", ["<script>", "0", "999999", "1; DROP TABLE panel_sessions", "é"])
def test_recommendation_page_junk_session(demo_db: str, junk: str) -> None:
    session_id, _ = _finalised(demo_db)
    before = snapshot(demo_db)
    at = open_link("pages/recommendation.py", lang="nl", session=junk)
    assert not at.exception
    assert [e.value for e in at.error] == [translate("rec.bad_link", "nl")]
    assert at.header[0].value == "Soirée panel"  # the newest is shown instead
    assert at.session_state["vilco_recommendation_session"] == session_id
    assert snapshot(demo_db) == before
