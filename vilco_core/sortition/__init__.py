"""Draws by lot for citizen panels: pools and quotas, LEXIMIN lotteries, seeded replayable draws.

Typical use (the draw page and `python -m vilco_core draw` do exactly this):

    instance = load_instance(people_csv, quotas_csv, size)           # ValidationErrors lists all
    lottery = compute_lottery(instance, "leximin", progress=..., cancelled=...)
    published = lottery_bytes(lottery); digest = lottery_sha256(lottery)   # publish first
    draw = draw_panel(read_lottery(published, expected_sha256=digest), seed, alternates=5)
"""

from vilco_core.sortition.draw import (
    METHODS,
    Draw,
    Method,
    QuotaCount,
    compute_lottery,
    draw_panel,
    quota_counts,
    replacement_for,
)
from vilco_core.sortition.lottery import (
    TICKETS,
    Lottery,
    LotteryPanel,
    lottery_bytes,
    lottery_sha256,
    person_probabilities,
    read_lottery,
)
from vilco_core.sortition.pool import (
    Instance,
    Person,
    Pool,
    Quota,
    parse_pool,
    parse_quotas,
    parse_register,
    pool_sha256,
    quotas_sha256,
)
from vilco_core.sortition.progress import CancelCheck, Progress, ProgressCallback
from vilco_core.sortition.validation import load_instance, validate_instance

__all__ = [
    "METHODS",
    "TICKETS",
    "CancelCheck",
    "Draw",
    "Instance",
    "Lottery",
    "LotteryPanel",
    "Method",
    "Person",
    "Pool",
    "Progress",
    "ProgressCallback",
    "Quota",
    "QuotaCount",
    "compute_lottery",
    "draw_panel",
    "load_instance",
    "lottery_bytes",
    "lottery_sha256",
    "parse_pool",
    "parse_quotas",
    "parse_register",
    "person_probabilities",
    "pool_sha256",
    "quota_counts",
    "quotas_sha256",
    "read_lottery",
    "replacement_for",
    "validate_instance",
]
