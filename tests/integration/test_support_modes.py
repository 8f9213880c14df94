"""Signatures of support resist a script (issue #13 §5) on SQLite and PostgreSQL: the demo's call
in each mode, a real confirmation mail through an SMTP sink on 127.0.0.1, attempts counted
atomically by parallel requests, and migration 0012 on signatures collected before it."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from tests.smtp_sink import Sink
from vilco_core.errors import VilcoError
from vilco_core.mail import MailMessage, SmtpMailer, smtp_settings
from vilco_core.model import ProjectStatus, Role, StaffUser
from vilco_core.services import processes, support, voting
from vilco_core.signatures import Signature, SignatureMode
from vilco_core.store import SqlUnitOfWork, make_engine
from vilco_core.store.engine import MIGRATIONS

TODAY = dt.date.today()
NOW = dt.datetime.combine(TODAY, dt.time(12), tzinfo=dt.UTC)
ADMIN = StaffUser(username="admin", name="Admin", role=Role.ADMIN)


def _call(uow: SqlUnitOfWork, mode: SignatureMode) -> int:
    """The demo's call (process 2) switched to `mode`; its project APP-02's id."""
    processes.save_process(uow, ADMIN, replace(processes.get_process(uow, 2), signature_mode=mode))
    [project] = [p for p in processes.list_projects(uow, 2) if p.ref == "APP-02"]
    return project.id or 0


def _sign(uow: SqlUnitOfWork, project: int, name: str, session: str, *, code: str = "",
          email: str = "", mail: support.ConfirmationMail | None = None,
          address: str | None = "192.0.2.1") -> support.SignOutcome:  # fmt: skip
    signature = Signature(project_id=project, name=name, postcode="1030", email=email)
    request = support.SignRequest(signature=signature, code=code, session=session,
                                  address=address)  # fmt: skip
    return support.sign_support(uow, request, NOW, mail)


@pytest.mark.parametrize("mode", ["code", "email", "unverified"])
def test_support_modes_thirty_scripted_signatures_leave_the_project_proposed(
    demo_uow: SqlUnitOfWork, mode: SignatureMode, smtp_sink: Sink
) -> None:
    project = _call(demo_uow, mode)
    settings = smtp_settings(smtp_sink.env())
    assert settings is not None
    mail = support.ConfirmationMail(mailer=SmtpMailer(settings), base_url="http://127.0.0.1")
    refused = []
    for i in range(30):  # 30 fake names from 30 fresh sessions and addresses: no limit hit
        try:
            _sign(demo_uow, project, f"Bot {i}", f"bot{i}", code=f"ZZZZ-ZZZZ-ZZZZ-{i:04d}",
                  email=f"bot{i}@spam.example", mail=mail, address=f"192.0.2.{i}")  # fmt: skip
        except VilcoError as error:
            refused.append(error.code)
    count = support.support_counts(demo_uow, 2)
    [app02] = [c for c in count if c.project_id == project]
    assert app02.signatures == 0 and not app02.reached
    status = {p.id: p.status for p in processes.list_projects(demo_uow, 2)}
    assert status[project] is ProjectStatus.PROPOSED
    if mode == "code":
        assert refused == ["sign.code_unknown"] * 30
    elif mode == "email":
        assert (refused, app02.pending, len(smtp_sink.messages)) == ([], 30, 30)
    else:
        assert (refused, app02.unverified) == ([], 30)


def test_support_modes_email_link_from_a_real_mail_counts(
    demo_uow: SqlUnitOfWork, smtp_sink: Sink
) -> None:
    project = _call(demo_uow, "email")
    settings = smtp_settings(smtp_sink.env())
    assert settings is not None
    mail = support.ConfirmationMail(mailer=SmtpMailer(settings), base_url="https://vilco.example")
    request = support.SignRequest(
        signature=Signature(project_id=project, name="Ana Lopes", postcode="1030",
                            email="ana@example.org"),
        session="s", language="nl")  # fmt: skip
    assert support.sign_support(demo_uow, request, NOW, mail).result == "pending"
    [message] = smtp_sink.messages
    assert (message["To"], message["From"]) == ("ana@example.org", "vilco@commune.example")
    assert message["Subject"] == "Bevestig uw steun"
    [link] = smtp_sink.links()
    assert link.startswith("https://vilco.example/sign?confirm=")
    before = {c.project_id: c for c in support.support_counts(demo_uow, 2)}[project]
    assert (before.signatures, before.pending) == (0, 1)
    outcome = support.confirm_signature(demo_uow, link.split("confirm=")[1], NOW)
    assert outcome.counted and outcome.support.signatures == 1
    assert support.confirm_signature(demo_uow, link.split("confirm=")[1], NOW).result == "duplicate"
    with demo_uow:  # only the token's hash is stored
        tokens = demo_uow.session.execute(sa.text("SELECT token_hash FROM signatures")).scalars()
        assert link.split("confirm=")[1] not in set(tokens)


def test_support_modes_a_dead_mail_server_stores_nothing(demo_uow: SqlUnitOfWork) -> None:
    project = _call(demo_uow, "email")
    settings = smtp_settings({"VILCO_SMTP_HOST": "127.0.0.1", "VILCO_SMTP_PORT": "9",
                              "VILCO_SMTP_FROM": "v@example.org"})  # fmt: skip
    assert settings is not None
    mail = support.ConfirmationMail(mailer=SmtpMailer(settings), base_url="h")
    with pytest.raises(VilcoError, match=r"sign\.mail_failed"):
        _sign(demo_uow, project, "Ana", "s", email="ana@example.org", mail=mail)
    assert support.review_signatures(demo_uow, ADMIN, 2) == []


def test_support_modes_parallel_attempts_each_get_their_own_count(
    database_url: str, uow: SqlUnitOfWork
) -> None:
    """40 attempts at once from one source: counts 1..40, none lost (one upsert each)."""
    engine = make_engine(database_url)

    def attempt(_: int) -> int:
        mine = SqlUnitOfWork(engine)
        with mine:
            n = mine.attempts.add("a" * 64, 1_800_000_000)
            mine.commit()
        return n

    try:
        with ThreadPoolExecutor(8) as pool:
            numbers = sorted(pool.map(attempt, range(40)))
    finally:
        engine.dispose()
    assert numbers == list(range(1, 41))


def test_support_modes_session_limit_holds_across_connections(demo_uow: SqlUnitOfWork) -> None:
    project = _call(demo_uow, "unverified")
    for i in range(5):
        _sign(demo_uow, project, f"P {i}", "one-session", address=None)
    with pytest.raises(VilcoError, match=r"sign\.too_many"):
        _sign(demo_uow, project, "P 5", "one-session", address=None)
    assert len(support.review_signatures(demo_uow, ADMIN, 2)) == 5
    with demo_uow:  # sources are hashed: the session id is nowhere in clear
        sources = demo_uow.session.execute(sa.text("SELECT source FROM rate_attempts")).scalars()
        assert all("one-session" not in s and len(s) == 64 for s in sources)


def test_support_modes_cards_are_printed_for_the_support_form(demo_uow: SqlUnitOfWork) -> None:
    batch = voting.issue_codes(demo_uow, ADMIN, 2, 2, TODAY, "Stand", "support")
    rows = voting.codes_csv(batch, "https://vilco.example").decode().splitlines()
    assert rows[1].startswith(batch.codes[0]) and "/sign?code=" in rows[1]
    [listed] = voting.list_code_batches(demo_uow, 2)
    assert (listed.purpose, listed.unused) == ("support", 2)
    project = _call(demo_uow, "code")
    assert _sign(demo_uow, project, "Ana", "s", code=batch.codes[0].lower()).counted


# -- migration 0012 -----------------------------------------------------------------------------


def _migrate(engine: Engine, revision: str, *, down: bool = False) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)


def test_support_modes_migration_keeps_old_signatures_as_unverified(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        _migrate(engine, "0009")
        with engine.begin() as c:
            c.execute(
                sa.text(
                    "INSERT INTO processes (id, name, kind, year, envelope_cents, rolling, rule,"
                    " signature_threshold, created_at, ballot_kind, ballot_min_projects) VALUES"
                    " (1, '{}', 'call', 2027, 100, true, 'greedy', 2, :now, 'approval', 1)"
                ),
                {"now": NOW},
            )
            c.execute(
                sa.text(
                    "INSERT INTO projects (id, process_id, ref, title, description, cost_cents,"
                    " lat, lon, district, theme, initiative, status, created_at) VALUES"
                    " (1, 1, 'P1', '{}', '{}', 10, 50.8, 4.3, '', '', '', 'eligible', :now)"
                ),
                {"now": NOW},
            )
            c.execute(sa.text(
                "INSERT INTO signatures (process_id, project_id, name, name_key, postcode, email,"
                " channel, signed_on) VALUES (1, 1, 'Ana', 'ana', '1030', '', 'qr', :day),"
                " (1, 1, 'Bob', 'bob', '1030', '', 'qr', :day)"), {"day": TODAY})  # fmt: skip
        _migrate(engine, "head")  # 0012 is the step under test; the code reads the head schema
        uow = SqlUnitOfWork(engine)
        [count] = support.support_counts(uow, 1)
        assert (count.signatures, count.unverified) == (0, 2)
        assert processes.get_process(uow, 1).signature_mode == "code"
        assert processes.list_projects(uow, 1)[0].status is ProjectStatus.ELIGIBLE
        _migrate(engine, "0009", down=True)
        with engine.connect() as c:
            assert c.execute(sa.text("SELECT count(*) FROM signatures")).scalar() == 2
    finally:
        engine.dispose()


def test_support_modes_pending_requests_do_not_block_a_name(demo_uow: SqlUnitOfWork) -> None:
    project = _call(demo_uow, "email")
    sent: list[str] = []

    class Outbox:
        def send(self, message: MailMessage) -> None:
            sent.append(message.body.split("confirm=")[1].split()[0])

    mail = support.ConfirmationMail(mailer=Outbox(), base_url="h")
    _sign(demo_uow, project, "Ana Lopes", "bot", email="bot@spam.example", mail=mail)
    _sign(demo_uow, project, "ana  LOPES", "ana", email="ana@example.org", mail=mail)
    assert support.confirm_signature(demo_uow, sent[1], NOW).counted
    assert support.confirm_signature(demo_uow, sent[0], NOW).result == "duplicate"
    [count] = [c for c in support.support_counts(demo_uow, 2) if c.project_id == project]
    assert (count.signatures, count.pending) == (1, 1)
