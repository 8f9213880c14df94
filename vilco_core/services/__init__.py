"""Use cases: the only place that joins validation, rules and persistence, one module per noun.

Each function takes a unit of work (`vilco_core.unit_of_work.UnitOfWork`) first; pages and the
CLI call these and nothing below them, importing the module by its noun
(`from vilco_core.services import processes` then `processes.save_process(uow, actor, p)`).
Staff actions take the acting `StaffUser`; `access` alone decides what they may do.

- `access`: roles and "may this actor manage / enter / publish for this process".
- `processes`: processes, their projects and sites.
- `staff`: staff accounts, passwords, login records and the lockout.
- `draws`: draws by lot (publish a lottery, draw with the public seed, replay).
- `ballots`: store (pending), record and count ballots; a process's results.
- `mixing`: move pending ballots into the ballots table in shuffled batches of at least k.
- `voting`: one-time codes, phone and paper ballots, recounts and reconciliation, posters.
- `support`: support signatures for projects.
- `panel_sessions`: citizen panel sessions, members and their codes, joining.
- `panel_rounds`: a panel's rounds, members' ballots and a round's results.
- `recommendations`: a panel's finalised recommendation.
- `evaluations`: evaluations by members and residents.
- `audit`: every append to the audit log, its verification, receipts and published heads.
- `resources`: shared spaces and garage items (public listing, agenda, iCal feeds; staff save
  and CSV import).
- `bookings`: an initiative's booking requests and follow link, staff decisions.
- `handovers`: keys and items handed over and returned, overdue returns.
- `premises`: check-in/check-out notes, evaluations of bookings, their averages and export.

Imports go one way (tests/unit/test_layering.py fails on a cycle): `access` imports no other
use case, `audit` only `access`; a module may call another's use cases or its helpers for an
open unit of work (`access.managed_process`, `panel_sessions.load_member`, ...) but never
back: `ballots` -> `mixing` -> `audit`; `voting` -> `ballots`, `mixing`, `processes`;
`panel_rounds` -> `panel_sessions` -> `draws`; `recommendations` -> `panel_rounds`;
`handovers`, `premises` -> `bookings`.
"""
