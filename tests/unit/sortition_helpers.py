"""Shared loaders for the sortition tests (data lives in ../shared beside the checkout)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from vilco_core.sortition import Instance, Lottery, compute_lottery, load_instance

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
SORTITION = DATA / "sortition"


def instance_dir(name: str) -> Path:
    return SORTITION / name


def panel_size(name: str) -> int:
    return int(json.loads((instance_dir(name) / "meta.json").read_text())["k"])


@cache
def load(name: str) -> Instance:
    folder = instance_dir(name)
    people = (folder / "people.csv").read_text()
    return load_instance(people, (folder / "features.csv").read_text(), panel_size(name))


@cache
def lottery(name: str, method: str = "leximin") -> Lottery:
    return compute_lottery(load(name), method, legacy_runs=200)  # type: ignore[arg-type]
