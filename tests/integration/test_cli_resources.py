"""`python -m vilco_core resources | book | bookings --json` on the demo, on SQLite and
PostgreSQL: the JSON contract, a confirmed instant booking, exit 2 with the reason on a taken
slot (with the next free slots), on a closed slot and on too few garage items."""

from __future__ import annotations

import datetime as dt
import json

from tests.integration.test_cli import _cli


def _weekday_after(days: int) -> dt.date:
    day = dt.date.today() + dt.timedelta(days=days)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def test_cli_resources_book_and_bookings_json(database_url: str) -> None:
    assert _cli(database_url, "demo", "load", demo=True).returncode == 0
    listing = _cli(database_url, "resources", "--json")
    items = json.loads(listing.stdout)
    assert [set(i) for i in items] == [{"id", "kind", "name", "commune", "quantity", "instant"}] * 8
    assert [(i["kind"], i["quantity"]) for i in items if i["kind"] == "item"] == [
        ("item", 6), ("item", 20), ("item", 30), ("item", 500)
    ]  # fmt: skip
    assert {i["commune"] for i in items} == {"21013", "21015"}
    library = next(i for i in items if i["kind"] == "space" and i["instant"])
    day = _weekday_after(8).isoformat()
    book = ["book", "--resource", str(library["id"]), "--start", f"{day}T10:00",
            "--end", f"{day}T12:00", "--initiative", "Repair Café", "--email", "r@example.org",
            "--json"]  # fmt: skip
    done = _cli(database_url, *book)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert set(result) == {"booking", "status", "reference"}
    assert result["status"] == "confirmed" and result["reference"].startswith("BK-")
    taken = _cli(database_url, *book)
    assert taken.returncode == 2 and not taken.stdout
    assert "already booked" in taken.stderr and f"{day} 12:30–14:30" in taken.stderr
    closed = _cli(database_url, *[a.replace("T10:00", "T21:00").replace("T12:00", "T23:00")
                                  for a in book])  # fmt: skip
    assert closed.returncode == 2 and "Outside opening hours" in closed.stderr
    listed = json.loads(_cli(database_url, "bookings", "--resource", str(library["id"]),
                             "--json").stdout)  # fmt: skip
    mine = [b for b in listed if b["reference"] == result["reference"]]
    assert [(b["id"], b["status"], b["initiative"]) for b in mine] == [
        (result["booking"], "confirmed", "Repair Café")
    ]


def test_cli_book_fifteen_tables_when_ten_are_out_is_refused(database_url: str) -> None:
    assert _cli(database_url, "demo", "load", demo=True).returncode == 0
    items = json.loads(_cli(database_url, "resources", "--json").stdout)
    tables = next(i for i in items if i["kind"] == "item" and i["quantity"] == 20)
    out = json.loads(_cli(database_url, "bookings", "--resource", str(tables["id"]),
                          "--json").stdout)  # fmt: skip
    assert [(b["quantity"], b["status"]) for b in out] == [(10, "confirmed")]
    start = dt.datetime.fromisoformat(out[0]["start"]) + dt.timedelta(hours=1)
    end = start + dt.timedelta(hours=2)
    refused = _cli(database_url, "book", "--resource", str(tables["id"]),
                   "--start", start.isoformat(), "--end", end.isoformat(),
                   "--initiative", "Fête", "--email", "f@example.org", "--quantity", "15",
                   "--json")  # fmt: skip
    assert refused.returncode == 2 and "Only 10 left" in refused.stderr
