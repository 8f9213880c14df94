"""Use cases of support signatures: a resident signs for a project the way its call confirms
signatures (a support card's code, an e-mail link, or unverified), the link confirms an e-mail
signature, staff review and strike signatures; the counts per project, the projects collecting
support, and the export for the commune. The values and their checks are
`vilco_core.signatures`; the rate limits are `vilco_core.rate_limits`.

A project reaching its call's threshold with counted signatures becomes eligible. A strike
never takes eligibility back by itself: the staff page flags an eligible project that fell
below its threshold, and staff decide (a status change is an audited staff action).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from vilco_core import codes as code_rules
from vilco_core import rate_limits
from vilco_core.errors import VilcoError, expect_found
from vilco_core.i18n import translate
from vilco_core.locking import vote_opened
from vilco_core.mail import Mailer, MailMessage
from vilco_core.model import (
    Phase,
    Process,
    Project,
    ProjectStatus,
    Role,
    StaffUser,
    StoredSignature,
    stored_id,
)
from vilco_core.services import access
from vilco_core.services.audit import log_action
from vilco_core.services.processes import phase_open
from vilco_core.signatures import (
    CONFIRM_DAYS,
    MAX_REASON,
    Signature,
    SupportCount,
    checked_signature,
    code_key,
    counts,
    email_key,
    hash_token,
    new_token,
    normalise_name,
)
from vilco_core.spreadsheet import csv_text
from vilco_core.unit_of_work import UnitOfWork

SignResult = Literal["counted", "unverified", "pending", "duplicate"]


@dataclass(frozen=True, slots=True, kw_only=True)
class SignRequest:
    """A signature and what the call's mode needs, with who asks (for the rate limits): the
    browser session, the client's address, and the staff member typing it in at a stand (whose
    session and address are not limited: a stand takes many signatures in a row)."""

    signature: Signature
    code: str = ""  # `code` mode: the support card's code
    session: str = ""
    address: str | None = None
    staff: StaffUser | None = None
    language: str = "fr"  # of the confirmation mail


@dataclass(frozen=True, slots=True, kw_only=True)
class ConfirmationMail:
    """How `email` mode reaches the signer: a mailer, and the app's public address for links."""

    mailer: Mailer
    base_url: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SignOutcome:
    result: SignResult  # duplicate: this person, card or address had already signed
    support: SupportCount
    became_eligible: bool

    @property
    def counted(self) -> bool:
        return self.result == "counted"


def _project_of(uow: UnitOfWork, project_id: int) -> tuple[Project, Process]:
    project: Project | None = uow.projects.get(project_id)
    process: Process | None = None if project is None else uow.processes.get(project.process_id)
    if project is None or process is None:
        raise VilcoError("errors.project_not_found")
    return project, process


def _open_call(uow: UnitOfWork, project_id: int, today: dt.date) -> tuple[Project, Process]:
    project, process = _project_of(uow, project_id)
    if not phase_open(process, Phase.SUPPORT, today):
        raise VilcoError("errors.support_closed")
    return project, process


def _support(uow: UnitOfWork, process: Process, project_id: int) -> SupportCount:
    return _supports(uow.signatures.states(stored_id(process)), process, [project_id])[0]


def _supports(states: dict[tuple[int, str, str], int], process: Process,
              project_ids: Sequence[int]) -> list[SupportCount]:  # fmt: skip
    """Each project's counts from `states` ((project, mode, state) → signatures)."""

    def total(project_id: int, keep: Callable[[str, str], bool]) -> int:
        return sum(n for (p, mode, state), n in states.items() if p == project_id
                   and keep(mode, state))  # fmt: skip

    return [
        SupportCount(
            project_id=p,
            signatures=total(p, counts),
            threshold=process.signature_threshold,
            unverified=total(p, lambda mode, state: (mode, state) == ("unverified", "valid")),
            pending=total(p, lambda _mode, state: state == "pending"),
            struck=total(p, lambda _mode, state: state == "struck"),
        )
        for p in project_ids
    ]


def _promote(uow: UnitOfWork, project: Project, process: Process, support: SupportCount,
             today: dt.date) -> bool:  # fmt: skip
    """Make a proposed project that reached its threshold eligible (in the caller's block); not
    once the vote opened: the list of projects on the ballot is locked."""
    opened = vote_opened(process, today, uow.processes.locked_hash(stored_id(process)) is not None)
    if support.reached and project.status is ProjectStatus.PROPOSED and not opened:
        uow.projects.update(replace(project, status=ProjectStatus.ELIGIBLE))
        return True
    return False


def _count_attempts(uow: UnitOfWork, request: SignRequest, clean: Signature, symbols: str,
                    now: dt.datetime) -> None:  # fmt: skip
    """Count this attempt for each of its sources in its own committed transaction (so that a
    refusal below still counts); `sign.too_many` past any limit."""
    sources: list[tuple[rate_limits.SourceKind, str]] = []
    if request.staff is None:
        sources.append(("session", request.session or "-"))
        if request.address:
            sources.append(("address", request.address))
    if symbols:
        sources.append(("code", symbols))
    if clean.email:
        sources.append(("email", clean.email.casefold()))
    attempts = [rate_limits.attempt_of(kind, value, now) for kind, value in sources]
    with uow:
        uow.attempts.prune(rate_limits.stale_before(now))
        over = [
            a.limit for a in attempts if uow.attempts.add(a.source, a.period) > a.limit.attempts
        ]
        uow.commit()
    if over:
        raise VilcoError("sign.too_many", minutes=max(limit.seconds for limit in over) // 60)


def _mode_inputs(uow: UnitOfWork, request: SignRequest, clean: Signature, today: dt.date,
                 mail: ConfirmationMail | None) -> str:  # fmt: skip
    """The support code's symbols in `code` mode ("" otherwise), once the call's mode has what
    it needs; nothing is written."""
    with uow:
        _project, process = _open_call(uow, clean.project_id, today)
    if process.signature_mode == "code":
        symbols = code_rules.normalise_code(request.code)
        if symbols is None:
            raise VilcoError("sign.code_invalid")
        return symbols
    if process.signature_mode == "email":
        if not clean.email:
            raise VilcoError("sign.email_missing")
        if mail is None:
            raise VilcoError("sign.mail_unavailable")
    return ""


def sign_support(uow: UnitOfWork, request: SignRequest, now: dt.datetime,
                 mail: ConfirmationMail | None = None) -> SignOutcome:  # fmt: skip
    """Record a resident's support the way the call confirms signatures: counted at once with
    a valid support code, pending until the e-mail link is followed, or stored as unverified
    (never counted). A project reaching its call's threshold becomes eligible."""
    clean = checked_signature(request.signature)
    today = now.date()
    symbols = _mode_inputs(uow, request, clean, today, mail)
    _count_attempts(uow, request, clean, symbols, now)
    token = new_token()
    with uow:
        project, process = _open_call(uow, clean.project_id, today)
        process_id, mode = stored_id(process), process.signature_mode
        uow.signatures.drop_pending(process_id, signed_before=today - dt.timedelta(CONFIRM_DAYS))
        key, state, token_hash = None, "valid", None
        if mode == "code":
            key = code_key(_support_code(uow, symbols, process_id))
        elif mode == "email":  # (the mode may have changed since `_mode_inputs` read it)
            if mail is None or not clean.email:
                raise VilcoError("sign.mail_unavailable" if mail is None else "sign.email_missing")
            key, state, token_hash = email_key(clean.email), "pending", hash_token(token)
        added = uow.signatures.add(process_id, clean, normalise_name(clean.name), today,
                                   mode=mode, state=state, source_key=key,
                                   token_hash=token_hash)  # fmt: skip
        support = _support(uow, process, stored_id(project))
        eligible = added and mode != "email" and _promote(uow, project, process, support, today)
        uow.commit()
    if not added:
        return SignOutcome(result="duplicate", support=support, became_eligible=False)
    if mode == "email":
        assert mail is not None and token_hash is not None
        _send_confirmation(uow, mail, request.language, clean, project, token, token_hash)
    result: SignResult = "counted" if mode == "code" else "pending" if mode == "email" else (
        "unverified")  # fmt: skip
    return SignOutcome(result=result, support=support, became_eligible=eligible)


def _support_code(uow: UnitOfWork, symbols: str, process_id: int) -> str:
    """The hash of a usable support code of this call, or the `sign.*` error to read."""
    code_hash = code_rules.hash_code(symbols, "support")
    found = uow.codes.support_lookup(code_hash)
    if found is None:
        raise VilcoError("sign.code_unknown")
    if found[0] != process_id:
        raise VilcoError("sign.code_other_process")
    if found[1] == "void":
        raise VilcoError("sign.code_void")
    return code_hash


def confirmation_link(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/sign?confirm={token}"


def _send_confirmation(uow: UnitOfWork, mail: ConfirmationMail, language: str, clean: Signature,
                       project: Project, token: str, token_hash: str) -> None:  # fmt: skip
    """Mail the link; when the server refuses, the pending signature goes (nothing stays)."""
    link = confirmation_link(mail.base_url, token)
    body = translate("sign.mail_body", language, name=clean.name, link=link, days=CONFIRM_DAYS,
                     project=project.title.get(language))  # fmt: skip
    message = MailMessage(to=clean.email, subject=translate("sign.mail_subject", language),
                          body=body)  # fmt: skip
    try:
        mail.mailer.send(message)
    except Exception as error:  # any failure of the mail server: undo, say so
        with uow:
            uow.signatures.drop_pending(project.process_id, token_hash=token_hash)
            uow.commit()
        raise VilcoError("sign.mail_failed") from error


def confirm_signature(uow: UnitOfWork, token: object, now: dt.datetime) -> SignOutcome:
    """Follow an e-mail link: its pending signature counts from now on (once)."""
    token_hash = hash_token(token)
    if token_hash is None:
        raise VilcoError("sign.confirm_invalid")
    today = now.date()
    with uow:
        found = uow.signatures.by_token(token_hash)
        if found is None or found.id is None or found.state == "struck":
            raise VilcoError("sign.confirm_invalid")
        project, process = _open_call(uow, found.project_id, today)
        if found.state == "pending" and found.signed_on < today - dt.timedelta(CONFIRM_DAYS):
            raise VilcoError("sign.confirm_expired", days=CONFIRM_DAYS)
        confirmed = uow.signatures.change_state(found.id, "pending", "valid")
        support = _support(uow, process, stored_id(project))
        eligible = confirmed and _promote(uow, project, process, support, today)
        uow.commit()
    return SignOutcome(result="counted" if confirmed else "duplicate", support=support,
                       became_eligible=eligible)  # fmt: skip


# -- counts, targets, staff review and export --------------------------------------------------


def support_counts(uow: UnitOfWork, process_id: int) -> list[SupportCount]:
    """Every project of the process with its signatures and the call's threshold."""
    with uow:
        process = expect_found(
            uow.processes.get(process_id), "errors.process_not_found", id=process_id
        )
        states = uow.signatures.states(process_id)
        projects: Sequence[Project] = uow.projects.list_for_process(process_id)
    return _supports(states, process, [stored_id(p) for p in projects])


@dataclass(frozen=True, slots=True, kw_only=True)
class SupportTarget:
    """A project collecting support, with its process and its count so far."""

    process: Process
    project: Project
    support: SupportCount


def support_targets(uow: UnitOfWork, today: dt.date) -> list[SupportTarget]:
    """Every project of every process whose support phase is open today."""
    with uow:
        found = []
        for process in uow.processes.list():
            if not phase_open(process, Phase.SUPPORT, today):
                continue
            states = uow.signatures.states(stored_id(process))
            listed = [
                p
                for p in uow.projects.list_for_process(stored_id(process))
                if p.status in (ProjectStatus.PROPOSED, ProjectStatus.ELIGIBLE)
            ]
            supports = _supports(states, process, [stored_id(p) for p in listed])
            found += [
                SupportTarget(process=process, project=p, support=s)
                for p, s in zip(listed, supports, strict=True)
            ]
    return found


def review_signatures(uow: UnitOfWork, actor: StaffUser | None,
                      process_id: int) -> list[StoredSignature]:  # fmt: skip
    """Every signature of a process with its mode and state (staff of that process only)."""
    with uow:
        access.managed_process(uow, actor, process_id)
        return uow.signatures.list_for_process(process_id)


@dataclass(frozen=True, slots=True, kw_only=True)
class StrikeOutcome:
    support: SupportCount
    below_threshold: bool  # the project stays eligible, but no longer has enough signatures


def strike_signature(uow: UnitOfWork, actor: StaffUser | None, signature_id: int,
                     reason: str) -> StrikeOutcome:  # fmt: skip
    """Strike a signature (a fake name, a person who signed twice): it stops counting; the
    audit log keeps who, why, and the state before and after."""
    access.require(actor, Role.ADMIN, Role.FACILITATOR)
    why = " ".join(reason.split())
    if not why or len(why) > MAX_REASON:
        raise VilcoError("signatures.reason_required", maximum=MAX_REASON)
    with uow:
        found = expect_found(uow.signatures.get(signature_id), "signatures.not_found")
        project, process = _project_of(uow, found.project_id)
        access.managed_process(uow, actor, stored_id(process))
        if found.state == "struck" or not uow.signatures.change_state(
            signature_id, found.state, "struck", why
        ):
            raise VilcoError("signatures.already_struck")
        support = _support(uow, process, stored_id(project))
        below = project.status is ProjectStatus.ELIGIBLE and support.missing > 0
        log_action(uow, actor, "signature_struck", process_id=stored_id(process),
                   project_id=stored_id(project), signature_id=signature_id,
                   before={"state": found.state, "mode": found.mode},
                   after={"state": "struck", "reason": why},
                   counted=support.signatures, below_threshold=below)  # fmt: skip
        uow.commit()
    return StrikeOutcome(support=support, below_threshold=below)


def export_signatures(uow: UnitOfWork, actor: StaffUser | None, process_id: int) -> bytes:
    """The signatures of a process as CSV for the commune (staff of that process only)."""
    with uow:
        access.managed_process(uow, actor, process_id)
        refs = {p.id: p.ref for p in uow.projects.list_for_process(process_id)}
        rows: list[StoredSignature] = uow.signatures.list_for_process(process_id)
    header = ["project", "name", "postcode", "email", "channel", "site", "signed_on", "mode",
              "state", "struck_reason"]  # fmt: skip
    return csv_text(header, [
        [refs.get(s.project_id, ""), s.name, s.postcode, s.email, s.channel, s.site_id or "",
         s.signed_on.isoformat(), s.mode, s.state, s.struck_reason] for s in rows
    ]).encode("utf-8")  # fmt: skip
