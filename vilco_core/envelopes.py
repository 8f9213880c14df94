"""District and theme envelopes: which envelope a project and a ballot belong to, the checks of a
ballot per envelope, one outcome per envelope, and their Pabulib files.

A process with sub-budgets splits its envelope. A project belongs to the first sub-budget (in
the process's order) whose key or one of whose names equals its `district` (district envelopes)
or its `theme` (theme envelopes), ignoring case; a project in none is city-wide. The city-wide
part has the envelope minus the sub-budgets, plus what the sub-budgets leave unspent when the
process says so (`Process.leftover_to_city`). A resident votes in at most one district (chosen
on the ballot, fixed by the poster site's project, or read from the district projects named),
in every theme and city-wide; the ballot settings apply to each envelope's part (a knapsack's
budget is the envelope's amount). A rolling call's quarters are time-ordered envelopes: ballots
count in the quarter they were cast in, a project funded in a quarter leaves the later ones, and
an unspent quarter carries into the next. Each envelope runs the process's announced rule (and
greedy and Equal Shares beside it) on its projects and the ballots' parts naming them, with its
minimum number of supporters (the sub-budget's own, else the process's).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Final, Literal

from vilco_core.ballots import Ballot, BallotRules, validate_ballot, with_envelope
from vilco_core.errors import VilcoError
from vilco_core.i18n import LANGUAGES, translate
from vilco_core.model import BudgetKind, LocalText, Process, Project, StoredBallot, SubBudget
from vilco_core.results import ProcessResults, results_pabulib, tally_results

CITY: Final = "city"  # the key of the city-wide part (a sub-budget key may not be it)
EnvelopeKind = Literal["whole", "district", "theme", "city", "quarter"]


@dataclass(frozen=True, slots=True, kw_only=True)
class EnvelopeResults:
    """One envelope's outcome: its label, its money (own amount and what flowed in), its
    threshold and the results of the announced rule beside greedy and Equal Shares."""

    key: str  # a sub-budget key, `CITY`, `q1`..`q4`, or "" (a process without envelopes)
    kind: EnvelopeKind
    label: LocalText
    own_cents: int
    carried_in_cents: int  # district leftovers into the city part, or an earlier quarter's
    results: ProcessResults

    @property
    def budget_cents(self) -> int:
        return self.own_cents + self.carried_in_cents

    @property
    def leftover_cents(self) -> int:
        """What the announced rule left unspent."""
        return self.budget_cents - self.results.spent_cents

    @property
    def min_supporters(self) -> int:
        return self.results.min_supporters


def _same(a: str, b: str) -> bool:
    return bool(a.strip()) and a.strip().casefold() == b.strip().casefold()


def _matches(budget: SubBudget, project: Project) -> bool:
    value = project.district if budget.kind is BudgetKind.DISTRICT else project.theme
    names = (budget.key, *(text for _lang, text in budget.name.texts))
    return any(_same(value, name) for name in names)


def project_envelope(process: Process, project: Project) -> str:
    """The key of the sub-budget `project` belongs to, `CITY` when none."""
    found = next((b.key for b in process.sub_budgets if _matches(b, project)), None)
    return found if found is not None else CITY


def envelope_map(process: Process, projects: Iterable[Project]) -> dict[str, str]:
    """Project ref -> envelope key."""
    return {p.ref: project_envelope(process, p) for p in projects}


def districts(process: Process) -> tuple[SubBudget, ...]:
    return tuple(b for b in process.sub_budgets if b.kind is BudgetKind.DISTRICT)


def ballot_parts(ballot: Ballot, where: Mapping[str, str]) -> dict[str, Ballot]:
    """The ballot split by envelope (refs unknown to `where` go to the city part), voter's order
    and points kept."""
    parts: dict[str, tuple[list[str], list[int]]] = {}
    for ref, x in zip(ballot.project_ids, ballot.points or (0,) * len(ballot.project_ids),
                      strict=True):  # fmt: skip
        refs, points = parts.setdefault(where.get(ref, CITY), ([], []))
        refs.append(ref)
        points.append(x)
    return {
        key: Ballot(
            kind=ballot.kind,
            project_ids=tuple(refs),
            points=tuple(points) if ballot.points else (),
            district=ballot.district,
        )
        for key, (refs, points) in parts.items()
    }


def site_district(process: Process, projects: Iterable[Project], project_id: int | None) -> str:
    """The district a poster site fixes: that of the project it stands for ("" for none)."""
    keys = {b.key for b in districts(process)}
    for p in projects:
        if p.id is not None and p.id == project_id:
            key = project_envelope(process, p)
            return key if key in keys else ""
    return ""


def check_envelope_ballot(
    process: Process, projects: Sequence[Project], ballot: Ballot, fixed: str = ""
) -> Ballot:
    """The ballot, its district filled in, if every envelope's part is acceptable; otherwise
    `VilcoError` (`ballot.*` from the ballot settings, `envelope.*` for the districts).

    `fixed`: the district the poster site sets ("" when it sets none)."""
    costs = {p.ref: p.cost_cents for p in projects}
    if not process.sub_budgets:
        if ballot.district:
            raise VilcoError("envelope.unknown_district", district=ballot.district)
        return validate_ballot(ballot, process.ballot_rules(), costs)
    if not ballot.project_ids:
        raise VilcoError("ballot.empty")
    for ref in ballot.project_ids:
        if ref not in costs:
            raise VilcoError("ballot.unknown_project", project=ref)
    keys = {b.key for b in districts(process)}
    if ballot.district and ballot.district not in keys:
        raise VilcoError("envelope.unknown_district", district=ballot.district)
    if ballot.district and fixed and ballot.district != fixed:
        raise VilcoError("envelope.site_district", district=fixed)
    parts = ballot_parts(ballot, envelope_map(process, projects))
    named = sorted(k for k in parts if k in keys)
    if len(named) > 1:
        raise VilcoError("envelope.several_districts", districts=", ".join(named))
    chosen = ballot.district or fixed or (named[0] if named else "")
    if named and named[0] != chosen:
        raise VilcoError("envelope.other_district", district=chosen)
    amounts = {b.key: b.amount_cents for b in process.sub_budgets}
    for key, part in parts.items():
        amount = amounts.get(key, city_cents(process))
        validate_ballot(part, with_envelope(process.ballot, amount), costs)
    return replace(ballot, district=chosen)


def city_cents(process: Process) -> int:
    """The city-wide part's own money: the envelope minus the sub-budgets."""
    return process.envelope_cents - sum(b.amount_cents for b in process.sub_budgets)


def _texts(key: str, **params: object) -> LocalText:
    return LocalText({lang: translate(key, lang, **params) for lang in LANGUAGES})


def tally_envelopes(
    process: Process,
    projects: Sequence[Project],
    ballots: Sequence[StoredBallot],
    *,
    provisional: bool,
) -> tuple[EnvelopeResults, ...]:
    """One outcome per envelope: the sub-budgets in the process's order, then the city-wide
    part; a rolling call's four quarters in order; a process without envelopes as one."""
    if process.rolling:
        return _quarters(process, projects, ballots, provisional=provisional)
    if not process.sub_budgets:
        results = tally_results(process, projects, ballots, provisional=provisional,
                                min_supporters=process.min_supporters)  # fmt: skip
        return (EnvelopeResults(key="", kind="whole", label=process.name,
                                own_cents=process.envelope_cents, carried_in_cents=0,
                                results=results),)  # fmt: skip
    where = envelope_map(process, projects)
    found = []
    for b in process.sub_budgets:
        part = _tally_part(process, projects, ballots, where, key=b.key,
                           budget=b.amount_cents, provisional=provisional,
                           min_supporters=b.min_supporters,
                           district=b.kind is BudgetKind.DISTRICT, label=b.name)  # fmt: skip
        kind: EnvelopeKind = "district" if b.kind is BudgetKind.DISTRICT else "theme"
        found.append(EnvelopeResults(key=b.key, kind=kind, label=b.name,
                                     own_cents=b.amount_cents, carried_in_cents=0,
                                     results=part))  # fmt: skip
    flowing = sum(e.leftover_cents for e in found) if process.leftover_to_city else 0
    if any(where[p.ref] == CITY for p in projects) or city_cents(process) > 0:
        label = _texts("envelope.city")
        city = _tally_part(process, projects, ballots, where, key=CITY,
                           budget=city_cents(process) + flowing, provisional=provisional,
                           min_supporters=None, district=False, label=label)  # fmt: skip
        found.append(EnvelopeResults(key=CITY, kind="city", label=label,
                                     own_cents=city_cents(process), carried_in_cents=flowing,
                                     results=city))  # fmt: skip
    return tuple(found)


def _tally_part(
    process: Process,
    projects: Sequence[Project],
    ballots: Sequence[StoredBallot],
    where: Mapping[str, str],
    *,
    key: str,
    budget: int,
    provisional: bool,
    min_supporters: int | None,
    district: bool,
    label: LocalText,
) -> ProcessResults:
    """The results of one sub-budget or the city part: its projects, the ballots' parts naming
    them (a ballot that chose another district does not count in this one)."""
    mine = [p for p in projects if where[p.ref] == key]
    cast = []
    for stored in ballots:
        if district and stored.ballot.district not in ("", key):
            continue
        part = ballot_parts(stored.ballot, where).get(key)
        if part is not None:
            cast.append(replace(stored, ballot=part))
    threshold = process.min_supporters if min_supporters is None else min_supporters
    scoped = replace(process, envelope_cents=budget, sub_budgets=())
    results = tally_results(scoped, mine, cast, provisional=provisional, min_supporters=threshold)
    return _labelled(results, label, district=district)


def _labelled(results: ProcessResults, label: LocalText, *, district: bool) -> ProcessResults:
    """The envelope's name in the Pabulib META, as Pabulib publishes district files."""
    meta = dict(results.instance.meta)
    name = label.get("fr")
    if district:
        meta.update(district=name, subunit=name)
    else:
        meta.update(subunit=name)
    meta["description"] = f"{meta.get('description', '')} | {name}"
    return replace(results, instance=replace(results.instance, meta=meta))


def _quarters(
    process: Process,
    projects: Sequence[Project],
    ballots: Sequence[StoredBallot],
    *,
    provisional: bool,
) -> tuple[EnvelopeResults, ...]:
    """A rolling call's quarters, in order: each with its ballots, the projects not funded in
    an earlier quarter, and the money an earlier quarter left."""
    found: list[EnvelopeResults] = []
    funded: set[str] = set()
    carried = 0
    for q in process.quarterly_envelopes():
        cast = [b for b in ballots if q.starts_on <= b.cast_on <= q.ends_on]
        open_projects = [p for p in projects if p.ref not in funded]
        label = _texts("envelope.quarter", quarter=q.quarter, year=process.year)
        scoped = replace(process, envelope_cents=q.amount_cents + carried, rolling=False)
        results = tally_results(scoped, open_projects, cast, provisional=provisional,
                                min_supporters=process.min_supporters)  # fmt: skip
        envelope = EnvelopeResults(key=f"q{q.quarter}", kind="quarter", label=label,
                                   own_cents=q.amount_cents, carried_in_cents=carried,
                                   results=_labelled(results, label, district=False))  # fmt: skip
        found.append(envelope)
        funded.update(results.announced.selected)
        carried = envelope.leftover_cents
    return tuple(found)


def envelope_pabulib(envelope: EnvelopeResults) -> str:
    """One envelope's `.pb` file: its projects, the ballots' parts, its budget (with what
    flowed in), its name as META `district`/`subunit`, the announced winners marked."""
    return results_pabulib(envelope.results)


def envelope_file_name(process: Process, envelope: EnvelopeResults) -> str:
    """`vilco_<process>_<envelope>.pb` (the envelope's key; no key for a whole process)."""
    suffix = f"_{envelope.key}" if envelope.key else ""
    return f"vilco_{process.id or 0}{suffix}.pb"


def envelopes_zip(process: Process, envelopes: Sequence[EnvelopeResults]) -> bytes:
    """One `.pb` file per envelope in a zip, as Pabulib publishes a city's districts."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for envelope in envelopes:
            archive.writestr(envelope_file_name(process, envelope), envelope_pabulib(envelope))
    return out.getvalue()


def envelope_labels(process: Process) -> tuple[tuple[str, LocalText], ...]:
    """The envelopes a process's results show, by key and label, before any tally (the city
    part is listed whenever the process has sub-budgets)."""
    if process.rolling:
        return tuple(
            (f"q{q.quarter}", _texts("envelope.quarter", quarter=q.quarter, year=process.year))
            for q in process.quarterly_envelopes()
        )
    if not process.sub_budgets:
        return ()
    return (*((b.key, b.name) for b in process.sub_budgets), (CITY, _texts("envelope.city")))


@dataclass(frozen=True, slots=True, kw_only=True)
class VoteSection:
    """One envelope's part of a resident's ballot: its label, its ballot settings (a knapsack's
    budget is the envelope's amount) and its projects."""

    key: str
    label: LocalText
    rules: BallotRules
    projects: tuple[Project, ...]


def vote_sections(
    process: Process, projects: Sequence[Project], district: str
) -> tuple[VoteSection, ...]:
    """The parts of the ballot a resident of `district` fills in: that district (none when ""),
    every theme, then the city-wide part; one section for a process without sub-budgets."""
    if not process.sub_budgets:
        return (VoteSection(key="", label=process.name, rules=process.ballot_rules(),
                            projects=tuple(projects)),)  # fmt: skip
    where = envelope_map(process, projects)
    shown = [b for b in process.sub_budgets if b.kind is BudgetKind.THEME or b.key == district]
    sections = [(b.key, b.name, b.amount_cents) for b in shown]
    sections.append((CITY, _texts("envelope.city"), city_cents(process)))
    return tuple(
        VoteSection(
            key=key,
            label=label,
            rules=with_envelope(process.ballot, amount),
            projects=tuple(p for p in projects if where[p.ref] == key),
        )
        for key, label, amount in sections
        if any(where[p.ref] == key for p in projects)
    )


def merged_ballot(parts: Iterable[Ballot], kind: str, district: str) -> Ballot:
    """One ballot from the sections' parts, in the order shown, with the district chosen."""
    listed = list(parts)
    return Ballot(kind=kind, project_ids=tuple(r for b in listed for r in b.project_ids),
                  points=tuple(x for b in listed for x in b.points), district=district)  # fmt: skip
