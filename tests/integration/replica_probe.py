"""One app replica's caches, without a browser: what the projector and the results page read.

Run as `python -m tests.integration.replica_probe PROCESS_ID SESSION_ID` with
`VILCO_DATABASE_URL` set. It reads through the app's own cached paths (`results_cache`, the
projector's `_vote_state` and `_panel_state`, the phones' `_round_marker`), so the caches live in
this process exactly as in a `streamlit run` replica; it prints one JSON line per read and obeys
lines on stdin: `read` (read again now), `cast CODE REF` (cast a phone ballot through this
replica), `open` (open the panel session's next round), `send CODE ROUND REF` (a panel member's
ballot), each followed by a read. `tests/integration/test_replicas.py` runs two of them.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys

from vilco_core.ballots import Ballot
from vilco_core.model import Role, StaffUser
from vilco_core.services import panel_rounds, voting
from vilco_core.store import database_url
from vilco_ui import db, panel_view, projector_view, results_cache

ADMIN = StaffUser(username="admin", name="Admin", role=Role.ADMIN)


def snapshot(process_id: int, session_id: int) -> dict[str, object]:
    """What this replica's screens would show now, through its caches."""
    today = dt.date.today()
    marker = panel_view._round_marker(database_url(), session_id)  # the phones' poll
    outcomes = projector_view._panel_state(session_id)["outcomes"]  # the panel's projector
    version = results_cache.ballot_count(process_id)
    results = results_cache.process_results(process_id, version, today)
    board = projector_view._vote_state(process_id)  # the projector's own read
    return {
        "results": None if not results else results[0].results.ballot_count,  # per envelope
        "projector": board["results"].ballot_count if board["results"] is not None else None,
        "live": board["tally"].ballots,
        "round": None if marker is None else marker[0],
        "round_ballots": outcomes[-1].results.ballot_count if outcomes else None,
    }


def main() -> int:
    logging.disable(logging.WARNING)  # Streamlit's "no runtime" notes: not the probe's output
    process_id, session_id = int(sys.argv[1]), int(sys.argv[2])
    print(json.dumps(snapshot(process_id, session_id)), flush=True)
    for line in sys.stdin:
        words = line.split()
        if words and words[0] == "cast":
            ballot = Ballot(kind="approval", project_ids=(words[2],))
            voting.cast_ballot(db.uow(), words[1], ballot, "phone", None, dt.date.today())
        elif words and words[0] == "open":
            now = dt.datetime.now(dt.UTC)
            panel_rounds.open_round(db.uow(), ADMIN, session_id, "approval", ["SG-01", "SG-02"],
                                    "greedy", now)  # fmt: skip
        elif words and words[0] == "send":
            ballot = Ballot(kind="approval", project_ids=(words[3],))
            panel_rounds.submit_ballot(db.uow(), words[1], int(words[2]), ballot)
        print(json.dumps(snapshot(process_id, session_id)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
