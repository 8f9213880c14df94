"""Signatures of support resist a script (issue #13 §5), on the fake unit of work: each call's
mode (support card, e-mail link, unverified), the rate limits, and the staff's strike."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

import pytest

from tests.unit.fake_world import ADMIN, FACILITATOR, NOW, SCHAERBEEK, TODAY, seeded_uow
from tests.unit.fakes import FakeUnitOfWork
from vilco_core.ballots import Ballot
from vilco_core.errors import VilcoError
from vilco_core.mail import MailMessage
from vilco_core.model import LocalText, Phase, PhaseWindow, ProcessKind, ProjectStatus
from vilco_core.services import processes, support, voting
from vilco_core.signatures import Signature, SignatureMode

FAR = dt.timedelta(days=30)


class Outbox:
    """A mailer that keeps what it is asked to send (or fails, as a dead server would)."""

    def __init__(self, fail: bool = False) -> None:
        self.sent: list[MailMessage] = []
        self.fail = fail

    def send(self, message: MailMessage) -> None:
        if self.fail:
            raise OSError("connection refused")
        self.sent.append(message)

    def token(self, index: int = -1) -> str:
        return self.sent[index].body.split("confirm=")[1].split()[0]


def call_world(mode: SignatureMode, threshold: int = 3) -> tuple[FakeUnitOfWork, int, int]:
    """The seeded world and a Saint-Gilles call collecting support today: (uow, call, project)."""
    uow = seeded_uow()
    call = processes.save_process(uow, ADMIN, replace(
        processes.get_process(uow, 1), id=None, kind=ProcessKind.CALL,
        name=LocalText(fr="Appel", nl="Oproep"), signature_threshold=threshold,
        signature_mode=mode,
        phases=(PhaseWindow(phase=Phase.SUPPORT, starts_on=TODAY - FAR, ends_on=TODAY + FAR),),
    ))  # fmt: skip
    project = processes.save_project(uow, ADMIN, replace(
        processes.list_projects(uow, 1)[0], id=None, process_id=call, ref="CALL-1",
        status=ProjectStatus.PROPOSED))  # fmt: skip
    return uow, call, project


def sign(uow: FakeUnitOfWork, project: int, name: str, *, code: str = "", email: str = "",
         session: str = "s", address: str | None = None, now: dt.datetime = NOW,
         mail: support.ConfirmationMail | None = None) -> support.SignOutcome:  # fmt: skip
    signature = Signature(project_id=project, name=name, postcode="1060", email=email)
    request = support.SignRequest(signature=signature, code=code, session=session,
                                  address=address)  # fmt: skip
    return support.sign_support(uow, request, now, mail)


def status(uow: FakeUnitOfWork, call: int) -> ProjectStatus:
    return processes.list_projects(uow, call)[0].status


def counted(uow: FakeUnitOfWork, call: int) -> int:
    return support.support_counts(uow, call)[0].signatures


# -- the attack: 30 scripted signatures ---------------------------------------------------------


@pytest.mark.parametrize("mode", ["code", "email", "unverified"])
def test_support_thirty_scripted_signatures_do_not_make_a_project_eligible(
    mode: SignatureMode,
) -> None:
    uow, call, project = call_world(mode)
    outbox = Outbox()
    mail = support.ConfirmationMail(mailer=outbox, base_url="https://vilco.example")
    stored = 0
    for i in range(30):  # fake names, a fresh session each (a script), one address
        try:
            fake_code = f"{i:04d}-AAAA-BBBB-CCCC"  # well-formed, never issued
            sign(uow, project, f"Fake Name {i}", code=fake_code, email=f"bot{i}@spam.example",
                 session=f"bot-{i}", address="203.0.113.9", mail=mail)  # fmt: skip
            stored += 1
        except VilcoError as error:
            assert error.code in {"sign.code_unknown", "sign.too_many"}
    assert status(uow, call) is ProjectStatus.PROPOSED
    assert counted(uow, call) == 0
    if mode == "code":
        assert stored == 0
    else:  # the address limit stops the script after 20; none of those count
        assert stored == 20
        kind = "pending" if mode == "email" else "unverified"
        assert getattr(support.support_counts(uow, call)[0], kind) == 20


# -- code mode ----------------------------------------------------------------------------------


def test_support_code_signs_each_project_once_and_only_its_own_purpose() -> None:
    uow, call, project = call_world("code", threshold=2)
    cards = voting.issue_codes(uow, ADMIN, call, 3, TODAY, "stand", "support").codes
    [vote_code] = voting.issue_codes(uow, ADMIN, 1, 1, TODAY, "vote").codes
    with pytest.raises(VilcoError, match=r"sign\.code_unknown"):  # a voting card cannot sign
        sign(uow, project, "Ana", code=vote_code)
    with pytest.raises(VilcoError, match=r"vote\.code_unknown"):  # a support card cannot vote
        voting.cast_ballot(uow, cards[0], Ballot(kind="approval", project_ids=("A",)), "phone",
                           None, TODAY)  # fmt: skip
    with pytest.raises(VilcoError, match=r"sign\.code_invalid"):
        sign(uow, project, "Ana", code="not a code")
    assert sign(uow, project, "Ana", code=cards[0]).counted
    again = sign(uow, project, "Bob", code=cards[0], session="other")
    assert again.result == "duplicate" and counted(uow, call) == 1
    outcome = sign(uow, project, "Bob", code=cards[1], session="other")
    assert outcome.became_eligible and status(uow, call) is ProjectStatus.ELIGIBLE
    voting.void_batch(uow, ADMIN, voting.list_code_batches(uow, call)[0].id)
    with pytest.raises(VilcoError, match=r"sign\.code_void"):
        sign(uow, project, "Cy", code=cards[2], session="third")


def test_support_code_of_another_call_is_refused() -> None:
    uow, _call, project = call_world("code")
    [other] = voting.issue_codes(uow, ADMIN, 1, 1, TODAY, "", "support").codes
    with pytest.raises(VilcoError, match=r"sign\.code_other_process"):
        sign(uow, project, "Ana", code=other)


# -- e-mail mode --------------------------------------------------------------------------------


def test_support_email_counts_only_once_the_link_is_followed() -> None:
    uow, call, project = call_world("email", threshold=1)
    outbox = Outbox()
    mail = support.ConfirmationMail(mailer=outbox, base_url="https://vilco.example/")
    pending = sign(uow, project, "Ana", email="Ana@Example.org", mail=mail)
    assert pending.result == "pending" and counted(uow, call) == 0
    [message] = outbox.sent
    assert message.to == "Ana@Example.org" and "https://vilco.example/sign?confirm=" in message.body
    assert status(uow, call) is ProjectStatus.PROPOSED
    # one address signs a project once, whatever the name
    assert sign(uow, project, "Other", email="ana@example.ORG", mail=mail).result == "duplicate"
    confirmed = support.confirm_signature(uow, outbox.token(0), NOW)
    assert confirmed.counted and confirmed.became_eligible and counted(uow, call) == 1
    assert support.confirm_signature(uow, outbox.token(0), NOW).result == "duplicate"
    assert counted(uow, call) == 1
    for junk in ("", "x" * 30, None, "../../etc"):
        with pytest.raises(VilcoError, match=r"sign\.confirm_invalid"):
            support.confirm_signature(uow, junk, NOW)


def test_support_email_refusals_store_nothing() -> None:
    uow, call, project = call_world("email")
    with pytest.raises(VilcoError, match=r"sign\.email_missing"):
        sign(uow, project, "Ana", mail=support.ConfirmationMail(mailer=Outbox(), base_url="h"))
    with pytest.raises(VilcoError, match=r"sign\.mail_unavailable"):
        sign(uow, project, "Ana", email="ana@example.org")
    dead = support.ConfirmationMail(mailer=Outbox(fail=True), base_url="h")
    with pytest.raises(VilcoError, match=r"sign\.mail_failed"):
        sign(uow, project, "Ana", email="ana@example.org", mail=dead)
    assert support.review_signatures(uow, ADMIN, call) == []
    live = Outbox()  # the same person may try again once the server is back
    mail = support.ConfirmationMail(mailer=live, base_url="h")
    assert sign(uow, project, "Ana", email="ana@example.org", mail=mail).result == "pending"


def test_support_email_link_lapses_after_a_week() -> None:
    uow, call, project = call_world("email")
    outbox = Outbox()
    mail = support.ConfirmationMail(mailer=outbox, base_url="h")
    sign(uow, project, "Ana", email="ana@example.org", mail=mail)
    later = NOW + dt.timedelta(days=8)
    with pytest.raises(VilcoError, match=r"sign\.confirm_expired"):
        support.confirm_signature(uow, outbox.token(), later)
    # the lapsed request goes when someone signs: the person may sign again
    again = sign(uow, project, "Ana", email="ana@example.org", mail=mail, now=later)
    assert again.result == "pending" and len(support.review_signatures(uow, ADMIN, call)) == 1


# -- unverified mode ----------------------------------------------------------------------------


def test_support_unverified_is_shown_and_never_counts() -> None:
    uow, call, project = call_world("unverified", threshold=1)
    for i in range(3):
        outcome = sign(uow, project, f"Person {i}", session=f"s{i}")
        assert outcome.result == "unverified" and not outcome.became_eligible
    count = support.support_counts(uow, call)[0]
    assert (count.signatures, count.unverified, count.reached) == (0, 3, False)
    assert status(uow, call) is ProjectStatus.PROPOSED
    [target] = [x for x in support.support_targets(uow, TODAY) if x.project.ref == "CALL-1"]
    assert target.support.unverified == 3


# -- rate limits --------------------------------------------------------------------------------


def test_support_rate_limit_per_session_refuses_and_stores_nothing() -> None:
    uow, call, project = call_world("unverified", threshold=0)
    for i in range(5):
        sign(uow, project, f"P {i}")
    with pytest.raises(VilcoError, match=r"sign\.too_many") as caught:
        sign(uow, project, "P 5")
    assert caught.value.params == {"minutes": 10}
    assert len(support.review_signatures(uow, ADMIN, call)) == 5
    assert sign(uow, project, "P 5", session="another").result == "unverified"
    assert sign(uow, project, "P 6", now=NOW + dt.timedelta(minutes=10)).result == "unverified"


def test_support_rate_limit_per_address_spans_sessions_and_spares_the_stand() -> None:
    uow, call, project = call_world("unverified", threshold=0)
    for i in range(20):
        sign(uow, project, f"P {i}", session=f"s{i}", address="198.51.100.7")
    with pytest.raises(VilcoError, match=r"sign\.too_many"):
        sign(uow, project, "P 20", session="fresh", address="198.51.100.7")
    for i in range(30):  # a facilitator typing in signatures at a stand
        signature = Signature(project_id=project, name=f"Stand {i}", postcode="1060",
                              channel="stand")  # fmt: skip
        request = support.SignRequest(signature=signature, session="stand",
                                      address="198.51.100.7", staff=FACILITATOR)  # fmt: skip
        support.sign_support(uow, request, NOW)
    assert support.support_counts(uow, call)[0].unverified == 50


def test_support_rate_limit_per_code_counts_failed_tries() -> None:
    uow, call, project = call_world("code")
    [card] = voting.issue_codes(uow, ADMIN, call, 1, TODAY, "", "support").codes
    assert sign(uow, project, "Ana", code=card).counted
    for i in range(9):
        assert sign(uow, project, f"N {i}", code=card, session=f"x{i}").result == "duplicate"
    with pytest.raises(VilcoError, match=r"sign\.too_many"):
        sign(uow, project, "N 9", code=card, session="x9")


# -- the staff's review -------------------------------------------------------------------------


def test_support_strike_stops_counting_flags_and_is_logged() -> None:
    uow, call, project = call_world("code", threshold=2)
    cards = voting.issue_codes(uow, ADMIN, call, 2, TODAY, "", "support").codes
    sign(uow, project, "Ana", code=cards[0])
    assert sign(uow, project, "Mickey Mouse", code=cards[1], session="2").became_eligible
    mickey = [s for s in support.review_signatures(uow, ADMIN, call) if s.name == "Mickey Mouse"]
    signature_id = mickey[0].id or 0
    with pytest.raises(VilcoError, match=r"errors\.forbidden"):
        support.strike_signature(uow, SCHAERBEEK, signature_id, "fake")
    with pytest.raises(VilcoError, match=r"signatures\.reason_required"):
        support.strike_signature(uow, FACILITATOR, signature_id, "   ")
    done = support.strike_signature(uow, FACILITATOR, signature_id, "  a  cartoon name ")
    assert done.below_threshold and done.support.signatures == 1 and done.support.struck == 1
    assert status(uow, call) is ProjectStatus.ELIGIBLE  # flagged, not demoted
    with pytest.raises(VilcoError, match=r"signatures\.already_struck"):
        support.strike_signature(uow, FACILITATOR, signature_id, "again")
    with pytest.raises(VilcoError, match=r"signatures\.not_found"):
        support.strike_signature(uow, FACILITATOR, 9_999, "x")
    with uow:
        [entry] = [e for e in uow.audit.entries() if e.kind == "staff.signature_struck"]
    payload = json.loads(entry.payload)
    assert payload["actor"] == "facilitator" and payload["signature_id"] == signature_id
    assert payload["before"] == {"mode": "code", "state": "valid"}
    assert payload["after"] == {"reason": "a cartoon name", "state": "struck"}
    [struck] = [s for s in support.review_signatures(uow, ADMIN, call) if s.id == signature_id]
    assert (struck.state, struck.struck_reason) == ("struck", "a cartoon name")


def test_support_a_lost_support_card_is_voided_alone() -> None:
    uow, call, project = call_world("code")
    lost, kept = voting.issue_codes(uow, ADMIN, call, 2, TODAY, "", "support").codes
    assert voting.void_code(uow, FACILITATOR, lost)
    with pytest.raises(VilcoError, match=r"sign\.code_void"):
        sign(uow, project, "Ana", code=lost)
    assert sign(uow, project, "Ana", code=kept).counted


def test_support_email_requests_never_confirmed_cannot_block_a_resident() -> None:
    """A script asks in a resident's name from its own addresses and never confirms: the
    resident still signs; of two confirmed requests in one name, one counts."""
    uow, call, project = call_world("email", threshold=5)
    outbox = Outbox()
    mail = support.ConfirmationMail(mailer=outbox, base_url="h")
    assert sign(uow, project, "Ana Lopes", email="bot@spam.example", mail=mail).result == "pending"
    real = sign(uow, project, "ana lopes", email="ana@example.org", mail=mail, session="ana")
    assert real.result == "pending"
    assert support.confirm_signature(uow, outbox.token(1), NOW).counted
    assert support.confirm_signature(uow, outbox.token(0), NOW).result == "duplicate"
    count = support.support_counts(uow, call)[0]
    assert (count.signatures, count.pending) == (1, 1)
