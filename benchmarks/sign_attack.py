"""Issue #13 §5 replayed against a real server: a script sends 30 anonymous signatures with fake
names to the demo's call (threshold 25), each from a fresh Streamlit session (`stclient.py`,
the protocol a browser speaks), once per signature mode. Prints, per mode, what the script got:
signatures stored, counted, the project's status, and the refusals by reason.

    python benchmarks/sign_attack.py            # SQLite, 30 signatures per mode
    python benchmarks/sign_attack.py --json

Before the fix, 30 signatures took 7 s and made the project eligible. Now: in `code` mode fake
codes store nothing; in `email` mode nothing counts until a link is followed; `unverified` never
counts; the limit per client address (20 per 10 minutes) stops the rest: the server runs as
behind a reverse proxy (`VILCO_CLIENT_IP_HEADER=X-Real-IP`) that reports one address for the
script (Streamlit reports no address for a connection from 127.0.0.1 itself). The e-mails go
to an SMTP sink on 127.0.0.1. Bounded: 127.0.0.1 only, at most 100 signatures per mode.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aiosmtpd.controller import Controller  # noqa: E402
from sqlalchemy import text  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: E402

from benchmarks.stclient import Session  # noqa: E402
from tests.e2e.conftest import start_server  # noqa: E402
from tests.smtp_sink import Sink, free_port  # noqa: E402
from vilco_core.model import Role, StaffUser  # noqa: E402
from vilco_core.services import processes, support  # noqa: E402
from vilco_core.signatures import SignatureMode  # noqa: E402
from vilco_core.store import SqlUnitOfWork, make_engine  # noqa: E402

ADMIN = StaffUser(username="admin", name="Admin", role=Role.ADMIN)
MODES: tuple[SignatureMode, ...] = ("code", "email", "unverified")
MAX_SIGNATURES = 100


async def _one(base: str, project_id: int, i: int) -> str:
    """One scripted signature from a fresh session: the text the page answered with."""
    proxy = {"X-Real-IP": "203.0.113.9"}  # the script's one address, as a reverse proxy reports it
    async with Session(base, "sign", f"project={project_id}&lang=fr", headers=proxy) as session:
        await session.open()
        values = {"Code de soutien (sur votre carte)": f"ZZZZ-ZZZZ-ZZZZ-{i:04d}",
                  "Nom et prénom": f"Faux Nom {i}", "Code postal": "1030",
                  "E-mail (un lien de confirmation y est envoyé)":
                      f"bot{i}@spam.example"}  # fmt: skip
        for shown in session.shown("text_input"):
            if shown.label in values:
                state = WidgetState(id=shown.proto.id, string_value=values[shown.label])
                session.widgets[shown.proto.id] = state
        await session.click("Je soutiens ce projet")
        alerts = [s.text for s in session.shown("alert")]
        return next((a for a in alerts if a.startswith(("Merci", "Presque", "Trop", "Ce code"))),
                    " | ".join(alerts))  # fmt: skip


def _reason(answer: str) -> str:
    for prefix, reason in (("Merci", "stored"), ("Presque", "pending"),
                           ("Trop de tentatives", "rate limit"),
                           ("Ce code de soutien est inconnu", "unknown code")):  # fmt: skip
        if answer.startswith(prefix):
            return reason
    return answer[:60]


def run(count: int) -> list[dict[str, object]]:
    sink = Sink(port=free_port())
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    controller.start()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        server = start_server(Path(tmp), {**sink.env(), "VILCO_CLIENT_IP_HEADER": "X-Real-IP"})
        engine = make_engine(server.database_url)
        uow = SqlUnitOfWork(engine)
        try:
            [project] = [p for p in processes.list_projects(uow, 2) if p.ref == "APP-02"]
            project_id = project.id or 0
            for mode in MODES:
                call = processes.get_process(uow, 2)
                processes.save_process(uow, ADMIN, replace(call, signature_mode=mode))
                with engine.begin() as c:  # each mode starts with a clean slate
                    c.execute(text("DELETE FROM signatures"))
                    c.execute(text("DELETE FROM rate_attempts"))
                    c.execute(text("UPDATE projects SET status='proposed' WHERE id=:i"),
                              {"i": project_id})  # fmt: skip
                sent = len(sink.messages)
                started = time.perf_counter()
                answers = [asyncio.run(_one(server.url, project_id, i)) for i in range(count)]
                seconds = time.perf_counter() - started
                [support_count] = [c for c in support.support_counts(uow, 2)
                                   if c.project_id == project_id]  # fmt: skip
                [after] = [p for p in processes.list_projects(uow, 2) if p.id == project_id]
                reasons: dict[str, int] = {}
                for answer in answers:
                    reasons[_reason(answer)] = reasons.get(_reason(answer), 0) + 1
                rows.append({
                    "mode": mode, "attempts": count, "seconds": round(seconds, 1),
                    "counted": support_count.signatures, "pending": support_count.pending,
                    "unverified": support_count.unverified, "threshold": support_count.threshold,
                    "status": after.status.value, "mails": len(sink.messages) - sent,
                    "answers": reasons,
                })  # fmt: skip
        finally:
            engine.dispose()
            server.stop()
            controller.stop()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signatures", type=int, default=30)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = run(max(1, min(args.signatures, MAX_SIGNATURES)))
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    for r in rows:
        print(
            f"{r['mode']:<10} {r['attempts']} attempts in {r['seconds']} s: counted "
            f"{r['counted']}/{r['threshold']}, pending {r['pending']}, unverified "
            f"{r['unverified']}, mails {r['mails']}, project {r['status']}; {r['answers']}"
        )
    eligible = [r["mode"] for r in rows if r["status"] != "proposed"]
    print("the script made the project eligible in:", eligible or "no mode")
    return 1 if eligible else 0


if __name__ == "__main__":
    raise SystemExit(main())
