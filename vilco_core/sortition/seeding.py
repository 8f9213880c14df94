"""From a public seed to uniform integers through SHA-256, without modulo bias.

The seed (dice rolled by witnesses, say) is normalised (Unicode NFC, outer spaces removed) and
hashed with a context (the lottery's SHA-256) and a counter: block `i` is
`SHA-256("vilco-seed/1\\n" + context + "\\n" + seed + "\\n" + str(i))` read as a 256-bit big-endian
integer. `uniform_below(stream, m)` keeps the top `bit_length(m - 1)` bits of the next block and
rejects values `>= m` (rejection sampling), so every integer below `m` is exactly equally likely.
Anyone can replay this in a few lines of any language.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterator, Sequence
from typing import TypeVar

from vilco_core.errors import VilcoError

T = TypeVar("T")
BLOCK_BITS = 256


def normalise_seed(seed: str) -> str:
    """The seed as hashed: NFC, stripped; an empty seed is refused."""
    text = unicodedata.normalize("NFC", seed).strip()
    if not text:
        raise VilcoError("sortition.empty_seed")
    return text


def hash_stream(seed: str, context: str) -> Iterator[int]:
    """Endless 256-bit integers derived from `seed` and `context` by SHA-256."""
    prefix = f"vilco-seed/1\n{context}\n{normalise_seed(seed)}\n"
    counter = 0
    while True:
        digest = hashlib.sha256(f"{prefix}{counter}".encode()).digest()
        yield int.from_bytes(digest, "big")
        counter += 1


def uniform_below(stream: Iterator[int], bound: int) -> int:
    """An integer uniform on `[0, bound)`; `bound == 1` consumes nothing."""
    if not 1 <= bound <= 1 << BLOCK_BITS:
        raise ValueError(f"bound out of range: {bound}")
    bits = (bound - 1).bit_length()
    while bits:
        candidate = next(stream) >> (BLOCK_BITS - bits)
        if candidate < bound:
            return candidate
    return 0


def sample(stream: Iterator[int], items: Sequence[T], count: int) -> list[T]:
    """`count` of `items` without replacement, in drawn order (a partial Fisher–Yates shuffle)."""
    pool = list(items)
    for i in range(count):
        j = i + uniform_below(stream, len(pool) - i)
        pool[i], pool[j] = pool[j], pool[i]
    return pool[:count]
