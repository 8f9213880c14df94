"""The unit tests' `FakeUnitOfWork` answers as the store does (SQLite and PostgreSQL): one run of
use cases across every repository on each, and the same answers, but for what is random
(codes, receipts, hashes) or stored as the database likes (SQLite's naive datetimes)."""

from __future__ import annotations

import datetime as dt
from dataclasses import fields, is_dataclass, replace

from tests.integration.test_draws import QUOTAS, _lottery, _pool
from tests.unit.fakes import FakeUnitOfWork
from vilco_core.ballots import Ballot
from vilco_core.deliberation import Evaluation
from vilco_core.demo import DEMO_PASSWORD, load_demo
from vilco_core.model import Role, StaffUser
from vilco_core.resources import BRUSSELS, BookingRequest
from vilco_core.services import (
    audit,
    ballots,
    bookings,
    draws,
    evaluations,
    handovers,
    mixing,
    panel_rounds,
    panel_sessions,
    premises,
    processes,
    recommendations,
    resources,
    staff,
    support,
    voting,
)
from vilco_core.signatures import Signature
from vilco_core.store import SqlUnitOfWork
from vilco_core.unit_of_work import UnitOfWork

TODAY = dt.date.today()
NOW = dt.datetime.combine(TODAY, dt.time(12), tzinfo=dt.UTC)
ADMIN = StaffUser(username="admin", name="Admin", role=Role.ADMIN)
OFFICER = StaffUser(username="officer", name="O", role=Role.POLL_OFFICER, commune_codes=("21013",))


def _voting(uow: UnitOfWork) -> dict[str, object]:
    load_demo(uow, TODAY)
    first, second, third, fourth = voting.issue_codes(uow, ADMIN, 1, 4, TODAY, "t").codes
    voting.cast_ballot(uow, first, Ballot(kind="approval", project_ids=("SG-01",)), "phone",
                       None, TODAY)  # fmt: skip
    voting.void_code(uow, ADMIN, second)
    site = processes.list_sites(uow, 1)[1]
    lines, _ = voting.parse_paper_lines(f"{third} ; SG-02\n{first} ; SG-01\n", "approval")
    outcome = voting.enter_paper_ballots(uow, OFFICER, site.id or 0, lines, NOW)
    voting.record_recount(uow, OFFICER, site.id or 0, 1, NOW, "box")
    call = processes.list_projects(uow, 2)[0]
    cards = voting.issue_codes(uow, ADMIN, 2, 3, TODAY, "s", "support").codes
    outcomes = []
    for name, card in zip(("Ann Peeters", "ann  peeters", "Bob Dupont"), cards, strict=True):
        signature = Signature(project_id=call.id or 0, name=name, postcode="1030")
        request = support.SignRequest(signature=signature, code=card, session="s")
        outcomes.append(support.sign_support(uow, request, NOW).result)
    struck = support.review_signatures(uow, ADMIN, 2)[0].id or 0
    support.strike_signature(uow, ADMIN, struck, "fake name")
    again = Signature(project_id=call.id or 0, name="Cy", postcode="1030")
    return {
        "sign_results": outcomes,
        "refused_sign": _refusal(
            lambda: support.sign_support(uow, support.SignRequest(signature=again, code="x"), NOW)
        ),
        # ids aside: PostgreSQL spends a sequence number on a refused duplicate, SQLite does not
        "reviewed": [replace(s, id=None) for s in support.review_signatures(uow, ADMIN, 2)],
        "batches_support": voting.list_code_batches(uow, 2),
        "processes": processes.list_processes(uow),
        "summaries": processes.summarise_processes(uow, TODAY),
        "projects": processes.list_projects(uow, 1) + processes.list_projects(uow, 2),
        "sites": processes.list_sites(uow, 1),
        "batches": voting.list_code_batches(uow, 1),
        "unused": voting.open_vote(uow, fourth, None, TODAY).projects,
        "paper": (outcome.stored, [(n, e.code) for n, e in outcome.refused]),
        "reconcile": voting.reconcile_sites(uow, 1),
        "by_channel": ballots.count_ballots_by_channel_site(uow, 1),
        "tally": ballots.live_tally(uow, 1),
        "support": support.support_counts(uow, 2),
        "signatures": support.export_signatures(uow, ADMIN, 2),
    }


def _staff_and_draws(uow: UnitOfWork) -> dict[str, object]:
    for _ in range(5):
        staff.log_in(uow, "facilitator", "wrong-password", NOW, demo=True)
    records = staff.login_records(uow, NOW)
    staff.disable_user(uow, ADMIN, "officer", NOW)
    disabled = (
        staff.list_staff_users(uow, ADMIN),
        staff.session_allowed(uow, "officer", NOW, demo=True),
        staff.log_in(uow, "officer", DEMO_PASSWORD, NOW, demo=True),
    )
    staff.enable_user(uow, ADMIN, "officer")
    draw_id = draws.publish_lottery(uow, ADMIN, 1, title="Panel", pool_csv=_pool(),
                                       quotas_csv=QUOTAS, lottery=_lottery(), alternates=3,
                                       now=NOW)  # fmt: skip
    draws.perform_draw(uow, ADMIN, draw_id, seed="1234", witnesses=["W"], now=NOW)
    draw = draws.get_draw(uow, draw_id)
    return {
        "logins": [(r.user, r.failed_logins, r.locked(NOW)) for r in records],
        "disabled": disabled,
        "enabled": staff.list_staff_users(uow, ADMIN),
        "draw": (draw.seed, draw.panel, draw.alternates, draw.witnesses, draw.drawn_by),
        "draws": [d.id for d in draws.list_draws(uow, 1)],
        "members": draws.draw_members(uow, draw_id),
    }


def _panels(uow: UnitOfWork) -> dict[str, object]:
    issued = panel_sessions.create_session(uow, ADMIN, 1, "Panel", ["P1", "P2", "P3"], TODAY)
    (_, a), (_, b), (_, c) = issued.codes
    panel_sessions.join_session(uow, a, NOW)
    opened = panel_rounds.open_round(uow, ADMIN, issued.session_id, "approval", ["SG-01", "SG-02"],
                               "greedy", NOW)  # fmt: skip
    panel_rounds.submit_ballot(uow, a, opened.id, Ballot(kind="approval", project_ids=("SG-01",)))
    panel_rounds.submit_ballot(uow, a, opened.id, Ballot(kind="approval", project_ids=("SG-02",)))
    panel_rounds.submit_ballot(uow, b, opened.id, Ballot(kind="approval", project_ids=("SG-02",)))
    version = panel_rounds.round_version(uow, opened.id)
    panel_rounds.close_round(uow, ADMIN, opened.id, NOW)
    recommendations.finalise_session(uow, ADMIN, opened.id, NOW)
    member = panel_sessions.session_members(uow, ADMIN, issued.session_id)[2]
    panel_sessions.reissue_code(uow, ADMIN, member.id, NOW)
    for answer, code in ((2, a), (4, a), (3, b)):
        evaluation = Evaluation(process_id=1, scope="session", respondent="member",
                                language="fr", answers=(answer, None, 1, 2),
                                session_id=issued.session_id)  # fmt: skip
        evaluations.submit_evaluation(uow, evaluation, TODAY, member_code=code)
    session = panel_sessions.get_session(uow, issued.session_id)
    return {
        "session": (session.final_rule, session.final_projects, session.finalised),
        "members": panel_sessions.session_members(uow, ADMIN, issued.session_id),
        "rounds": panel_rounds.list_rounds(uow, issued.session_id),
        "version": version,
        "results": panel_rounds.round_results(uow, opened.id).results,
        "evaluations": evaluations.list_evaluations(uow, ADMIN, 1),
        "refused": _refusal(lambda: panel_sessions.join_session(uow, c, NOW)),
    }


def _refusal(action: object) -> str | None:
    try:
        action()  # type: ignore[operator]
    except Exception as error:
        return getattr(error, "code", type(error).__name__)
    return None


def _audit(uow: UnitOfWork) -> dict[str, object]:
    pending = mixing.mix_report(uow, 1)
    top = processes.list_projects(uow, 1)[0]
    processes.withdraw_project(uow, ADMIN, top.id or 0, "Permis refusé", TODAY)
    audit.publish_tally(uow, ADMIN, 1)  # mixes what waits, one batch per channel and site
    report = audit.verify_audit(uow)
    with uow:
        kinds = [e.kind for e in uow.audit.entries()]
        locks = (uow.processes.locked_hash(1) is not None, uow.processes.locked_hash(2))
    return {"report": (report.chain_ok, report.tallies_ok, report.settings_ok, report.codes_ok,
                       report.ballots, report.entries, report.problems),
            "kinds": kinds, "locks": locks,
            "locked": [processes.is_locked(uow, p, TODAY) for p in (1, 2)],
            "withdrawn": processes.list_projects(uow, 1)[0],
            "mixing": (pending, mixing.mix_report(uow, 1))}  # fmt: skip


def _resources(uow: UnitOfWork) -> dict[str, object]:
    """Shared resources on the demo (loaded by `_voting`): a request approved, a taken slot,
    the garage stock, a key handed over and back, notes, evaluations, the agenda."""
    agent = StaffUser(username="agent", name="G", role=Role.AGENT, commune_codes=("21013",))
    now = NOW - dt.timedelta(hours=10)  # 02:00 UTC: before any opening hour of the day
    day = TODAY + dt.timedelta(days=14)
    day += dt.timedelta(days=(7 - day.weekday()) % 7)  # a Monday two weeks or so ahead
    start = dt.datetime.combine(day, dt.time(10), BRUSSELS)
    ask = BookingRequest(resource_id=1, starts_at=start, ends_at=start + dt.timedelta(hours=2),
                         initiative="Parity", email="p@example.org", weeks=2)  # fmt: skip
    receipt = bookings.request_booking(uow, ask, now)
    taken = _refusal(lambda: bookings.request_booking(uow, replace(ask, weeks=1), now))
    tables = replace(ask, resource_id=6, quantity=12, weeks=1)
    bookings.request_booking(uow, tables, now)
    short = _refusal(lambda: bookings.request_booking(uow, tables, now))
    hall = bookings.request_booking(uow, replace(ask, resource_id=2, starts_at=start.replace(
        hour=18), ends_at=start.replace(hour=20), weeks=1), now)  # fmt: skip
    bookings.decide_request(uow, agent, hall.reference, True, now)
    first = receipt.bookings[0].id or 0
    handovers.hand_over(uow, agent, first, now)
    later = start + dt.timedelta(hours=3)
    handovers.take_back(uow, agent, first, later)
    premises.note_premises(uow, agent, first, "check_out", "ok", later, photo=b"\xff\xd8\xff1")
    premises.evaluate_by_token(uow, receipt.token, first, (4, 5, 3), "good", later)
    premises.evaluate_as_agent(uow, agent, first, (2, 3, 4), "late", later)
    again = _refusal(lambda: premises.evaluate_as_agent(uow, agent, first, (2, 3, 4), "", later))
    return {
        "resources": resources.list_resources(uow),
        "managed": resources.list_managed_resources(uow, agent),
        "taken": taken,
        "short": short,
        "again": again,
        "bookings": [replace(b, reference="") for b in bookings.list_bookings(uow, agent)],
        "followed": bookings.follow_booking(uow, receipt.token).status,
        "overdue": handovers.overdue_bookings(uow, agent, later + dt.timedelta(days=30)),
        "notes": premises.premises_notes(uow, agent, first),
        "summary": premises.evaluation_summary(uow, agent),
        "agenda": resources.agenda(uow, 1, day, 7, now),
    }


def _run(uow: UnitOfWork) -> dict[str, object]:
    answers = _voting(uow) | _resources(uow) | _staff_and_draws(uow) | _panels(uow) | _audit(uow)
    return {key: _plain(value) for key, value in answers.items()}


def _plain(value: object) -> object:
    """`value` with every datetime naive in UTC (SQLite gives back some naive, PostgreSQL none)."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value
    if is_dataclass(value) and not isinstance(value, type):
        return type(value).__name__, [_plain(getattr(value, f.name)) for f in fields(value)]
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "tolist"):  # a NumPy array or number (the fast paths of the rules)
        return value.tolist()
    return value


def test_fake_parity_use_cases_answer_as_on_the_store(uow: SqlUnitOfWork) -> None:
    fake, stored = _run(FakeUnitOfWork()), _run(uow)
    assert fake.keys() == stored.keys()
    for key in stored:
        assert fake[key] == stored[key], key
