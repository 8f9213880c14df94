"""One app replica's caches, without a browser: what the projector and the results page read.

Run as `python -m tests.integration.replica_probe PROCESS_ID` with `VILCO_DATABASE_URL` set. It
reads through the app's own cached paths (`results_cache`, the projector's `_vote_state`), so the
caches live in this process exactly as in a `streamlit run` replica; it prints one JSON line per
read and obeys lines on stdin: `read` (read again now) and `cast CODE REF` (cast a phone ballot
through this replica, then read). `tests/integration/test_replicas.py` runs two of them.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys

from vilco_core.ballots import Ballot
from vilco_core.services import voting
from vilco_ui import db, projector_view, results_cache


def snapshot(process_id: int) -> dict[str, object]:
    """What this replica's screens would show now, through its caches."""
    today = dt.date.today()
    version = results_cache.ballot_count(process_id)
    results = results_cache.process_results(process_id, version, today)
    board = projector_view._vote_state(process_id)  # the projector's own read
    return {
        "results": None if results is None else results.ballot_count,
        "projector": board["results"].ballot_count if board["results"] is not None else None,
        "live": board["tally"].ballots,
    }


def main() -> int:
    logging.disable(logging.WARNING)  # Streamlit's "no runtime" notes: not the probe's output
    process_id = int(sys.argv[1])
    print(json.dumps(snapshot(process_id)), flush=True)
    for line in sys.stdin:
        words = line.split()
        if words and words[0] == "cast":
            code, ref = words[1], words[2]
            ballot = Ballot(kind="approval", project_ids=(ref,))
            voting.cast_ballot(db.uow(), code, ballot, "phone", None, dt.date.today())
        print(json.dumps(snapshot(process_id)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
