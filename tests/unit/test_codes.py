"""One-time codes: 80 bits from `secrets`, grouped for typing, normalised, hashed; junk refused."""

from __future__ import annotations

import re

import pytest

from vilco_core import codes


def test_codes_have_80_bits_in_four_groups_without_ambiguous_letters() -> None:
    drawn = {codes.generate_code() for _ in range(2000)}
    assert len(drawn) == 2000
    assert len(codes.ALPHABET) == 32 and codes.CODE_LENGTH * 5 >= 80
    assert not set("ILOU") & set(codes.ALPHABET)
    assert all(re.fullmatch(r"([0-9A-HJKMNP-TV-Z]{4}-){3}[0-9A-HJKMNP-TV-Z]{4}", c) for c in drawn)
    # every symbol is used at every position (no fixed prefix eating entropy)
    assert {c[0] for c in drawn} == set(codes.ALPHABET)


@pytest.mark.parametrize(
    "typed",
    ["7k3m-q9tx-4hbr-2wzp", "7K3M Q9TX 4HBR 2WZP", " 7K3MQ9TX4HBR2WZP ", "7K3M-Q9TX-4HBR-2WZP"],
)
def test_codes_normalise_what_people_type(typed: str) -> None:
    assert codes.normalise_code(typed) == "7K3MQ9TX4HBR2WZP"


def test_codes_read_o_as_zero_and_i_l_as_one() -> None:
    assert codes.normalise_code("OOOO-IIII-LLLL-0000") == "0000111111110000"


@pytest.mark.parametrize(
    "junk",
    [
        "",
        "A" * 10_240,
        "' OR 1=1 --",
        "<script>alert(1)</script>",
        "7K3M-Q9TX-4HBR-2WZ",
        "7K3M-Q9TX-4HBR-2WZPP",
        "7K3M-Q9TX-4HBR-2WZU",
        None,
        12345,
        "７K3M-Q9TX-4HBR-2WZP",
    ],
)
def test_codes_refuse_junk(junk: object) -> None:
    assert codes.normalise_code(junk) is None


def test_codes_hash_is_sha256_hex_and_differs_from_the_code() -> None:
    symbols = "7K3MQ9TX4HBR2WZP"
    digest = codes.hash_code(symbols)
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    assert digest == codes.hash_code(symbols) != codes.hash_code("7K3MQ9TX4HBR2WZQ")
    assert symbols not in digest


def test_codes_urls() -> None:
    base = "https://vote.example.brussels/"
    assert codes.vote_url(base, "AAAA-BBBB-CCCC-DDDD") == (
        "https://vote.example.brussels/vote?c=AAAA-BBBB-CCCC-DDDD"
    )
    assert codes.vote_url(base, site_id=3, lang="nl") == (
        "https://vote.example.brussels/vote?site=3&lang=nl"
    )
    assert codes.sign_url(base, site_id=5) == "https://vote.example.brussels/sign?site=5"
