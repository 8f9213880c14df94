"""Use cases of the state of premises and the evaluation loop of shared resources: check-in and
check-out notes (with an optional photo), evaluations by the initiative (through its follow
link) and by the agent, their averages per resource and their CSV export.

An evaluation is open once the booking has ended or what was handed over came back; each side
evaluates an occurrence once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

from vilco_core.errors import ValidationErrors, VilcoError
from vilco_core.model import StaffUser
from vilco_core.resource_validation import validate_scores
from vilco_core.resources import (
    Booking,
    BookingEvaluation,
    BookingStatus,
    Evaluator,
    Moment,
    PremisesNote,
    Resource,
)
from vilco_core.services import access
from vilco_core.services.audit import log_action
from vilco_core.services.bookings import follow_booking, managed_booking
from vilco_core.spreadsheet import csv_text
from vilco_core.unit_of_work import UnitOfWork

MAX_NOTE: Final = 4000
MAX_PHOTO_BYTES: Final = 5_000_000
IMAGE_MAGIC: Final = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"RIFF")  # PNG, JPEG, WebP
INITIATIVE: Final = "initiative"


@dataclass(frozen=True, slots=True, kw_only=True)
class ResourceScores:
    """The averages of one resource's evaluations by one side (`by`)."""

    resource: Resource
    by: Evaluator
    count: int
    ease_of_access: float
    state: float
    usefulness: float


def _note_problems(text: str, photo: bytes | None) -> list[VilcoError]:
    problems = []
    if not text.strip() and photo is None:
        problems.append(VilcoError("errors.field_required", field="note"))
    if len(text) > MAX_NOTE:
        problems.append(VilcoError("errors.field_too_long", field="note", limit=MAX_NOTE))
    if photo is not None and (len(photo) > MAX_PHOTO_BYTES or not photo.startswith(IMAGE_MAGIC)):
        problems.append(VilcoError("resources.bad_photo", limit_mb=MAX_PHOTO_BYTES // 1_000_000))
    return problems


def _check_note(booking: Booking, text: str, photo: bytes | None) -> None:
    if booking.status is not BookingStatus.CONFIRMED:
        raise VilcoError("resources.not_confirmed")
    problems = _note_problems(text, photo)
    if problems:
        raise ValidationErrors(problems)


def note_premises(
    uow: UnitOfWork,
    actor: StaffUser | None,
    booking_id: int,
    moment: Moment,
    text: str,
    now: dt.datetime,
    photo: bytes | None = None,
) -> int:
    """The agent's check-in or check-out note on the state of the premises (or items)."""
    user = access.require(actor, *access.RESOURCE_MANAGERS)
    with uow:
        booking = managed_booking(uow, user, booking_id)
        _check_note(booking, text, photo)
        note_id = uow.bookings.add_note(
            PremisesNote(
                id=None,
                booking_id=booking_id,
                moment=moment,
                author=user.username,
                text=text.strip(),
                photo=photo,
                written_at=now,
            )
        )
        log_action(
            uow,
            user,
            "premises_noted",
            booking_id=booking_id,
            moment=moment,
            before=None,
            after={"note": note_id, "photo": photo is not None},
        )
        uow.commit()
    return note_id


def note_premises_by_token(
    uow: UnitOfWork,
    token: str,
    booking_id: int,
    moment: Moment,
    text: str,
    now: dt.datetime,
    photo: bytes | None = None,
) -> int:
    """The initiative's own check-in or check-out note, through its follow link."""
    booking = _own_booking(uow, token, booking_id)
    _check_note(booking, text, photo)
    with uow:
        note_id = uow.bookings.add_note(
            PremisesNote(
                id=None,
                booking_id=booking_id,
                moment=moment,
                author=INITIATIVE,
                text=text.strip(),
                photo=photo,
                written_at=now,
            )
        )
        uow.commit()
    return note_id


def premises_notes(uow: UnitOfWork, actor: StaffUser | None, booking_id: int) -> list[PremisesNote]:
    with uow:
        managed_booking(uow, actor, booking_id)
        return uow.bookings.notes(booking_id)


def _own_booking(uow: UnitOfWork, token: str, booking_id: int) -> Booking:
    followed = follow_booking(uow, token)
    found = [b for b in followed.bookings if b.id == booking_id]
    if not found:
        raise VilcoError("resources.bad_link")
    return found[0]


def _evaluation(
    booking: Booking,
    by: Evaluator,
    author: str,
    scores: tuple[int, int, int],
    comment: str,
    now: dt.datetime,
) -> BookingEvaluation:
    if booking.status is not BookingStatus.CONFIRMED:
        raise VilcoError("resources.not_confirmed")
    if booking.ends_at > now and booking.returned_at is None:
        raise VilcoError("resources.too_early_to_evaluate")
    problems = validate_scores(*scores)
    if len(comment) > MAX_NOTE:
        problems.append(VilcoError("errors.field_too_long", field="comment", limit=MAX_NOTE))
    if problems:
        raise ValidationErrors(problems)
    ease, state, usefulness = scores
    return BookingEvaluation(
        booking_id=booking.id or 0,
        by=by,
        author=author,
        ease_of_access=ease,
        state=state,
        usefulness=usefulness,
        comment=comment.strip(),
        written_at=now,
    )


def _store(uow: UnitOfWork, evaluation: BookingEvaluation) -> None:
    if any(
        e.booking_id == evaluation.booking_id and e.by == evaluation.by
        for e in uow.bookings.evaluations()
    ):
        raise VilcoError("resources.already_evaluated")
    uow.bookings.add_evaluation(evaluation)


def evaluate_by_token(
    uow: UnitOfWork,
    token: str,
    booking_id: int,
    scores: tuple[int, int, int],
    comment: str,
    now: dt.datetime,
) -> None:
    """The initiative's evaluation (ease of access, state, usefulness: 1–5; a comment)."""
    booking = _own_booking(uow, token, booking_id)
    evaluation = _evaluation(booking, INITIATIVE, INITIATIVE, scores, comment, now)
    with uow:
        _store(uow, evaluation)
        uow.commit()


def evaluated_by_token(uow: UnitOfWork, token: str) -> frozenset[int]:
    """The ids of the link's bookings that the initiative has already evaluated (its form
    closes for them); `resources.bad_link` for an unknown link."""
    own = {b.id for b in follow_booking(uow, token).bookings}
    with uow:
        return frozenset(
            e.booking_id
            for e in uow.bookings.evaluations()
            if e.by == INITIATIVE and e.booking_id in own
        )


def evaluate_as_agent(
    uow: UnitOfWork,
    actor: StaffUser | None,
    booking_id: int,
    scores: tuple[int, int, int],
    comment: str,
    now: dt.datetime,
) -> None:
    """The agent's evaluation of the same occurrence (same scale)."""
    user = access.require(actor, *access.RESOURCE_MANAGERS)
    with uow:
        booking = managed_booking(uow, user, booking_id)
        evaluation = _evaluation(booking, "agent", user.username, scores, comment, now)
        _store(uow, evaluation)
        log_action(
            uow,
            user,
            "booking_evaluated",
            booking_id=booking_id,
            before=None,
            after={"scores": list(scores)},
        )
        uow.commit()


def _managed(
    uow: UnitOfWork, actor: StaffUser | None
) -> tuple[dict[int, Resource], dict[int, Booking], list[BookingEvaluation]]:
    user = access.require(actor, *access.RESOURCE_MANAGERS)
    with uow:
        resources = {
            r.id or 0: r for r in uow.resources.list() if access.may_manage_resource(user, r)
        }
        bookings = {b.id or 0: b for b in uow.bookings.every() if b.resource_id in resources}
        evaluations = [e for e in uow.bookings.evaluations() if e.booking_id in bookings]
    return resources, bookings, evaluations


def evaluation_summary(uow: UnitOfWork, actor: StaffUser | None) -> list[ResourceScores]:
    """Per resource `actor` manages and per side, the number and the average scores."""
    resources, bookings, evaluations = _managed(uow, actor)
    groups: dict[tuple[int, Evaluator], list[BookingEvaluation]] = {}
    for e in evaluations:
        groups.setdefault((bookings[e.booking_id].resource_id, e.by), []).append(e)
    return [
        ResourceScores(
            resource=resources[resource_id],
            by=by,
            count=len(found),
            ease_of_access=sum(e.ease_of_access for e in found) / len(found),
            state=sum(e.state for e in found) / len(found),
            usefulness=sum(e.usefulness for e in found) / len(found),
        )
        for (resource_id, by), found in sorted(groups.items())
    ]


CSV_HEADER: Final = (
    "resource_id",
    "resource",
    "reference",
    "starts_at",
    "by",
    "author",
    "ease_of_access",
    "state",
    "usefulness",
    "comment",
)


def evaluations_csv(uow: UnitOfWork, actor: StaffUser | None, language: str) -> str:
    """Every evaluation of the resources `actor` manages, one row each (formula cells
    escaped by `csv_text`)."""
    resources, bookings, evaluations = _managed(uow, actor)
    rows = []
    for e in evaluations:
        booking = bookings[e.booking_id]
        resource = resources[booking.resource_id]
        rows.append(
            (
                resource.id,
                resource.name.get(language),
                booking.reference,
                booking.starts_at.isoformat(),
                e.by,
                e.author,
                e.ease_of_access,
                e.state,
                e.usefulness,
                e.comment,
            )
        )
    return csv_text(CSV_HEADER, rows)
