"""On a phone (360x740) in a real browser: a call confirming signatures by e-mail. The resident
signs, the mail arrives at an SMTP sink on 127.0.0.1, the link from that mail opens in the
browser and the support counts; before the link nothing counts."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Server, shot, start_server
from tests.smtp_sink import Sink
from vilco_core.model import Role, StaffUser
from vilco_core.services import processes, support
from vilco_core.store import SqlUnitOfWork, make_engine

pytestmark = pytest.mark.e2e
ADMIN = StaffUser(username="admin", name="Admin", role=Role.ADMIN)


@pytest.fixture
def mail_server(tmp_path: Path, smtp_sink: Sink) -> Iterator[Server]:
    env = {**smtp_sink.env(), "VILCO_PUBLIC_URL": "https://vilco.commune.example"}
    running = start_server(tmp_path, env)
    engine = make_engine(running.database_url)
    try:
        uow = SqlUnitOfWork(engine)
        call = processes.get_process(uow, 2)
        processes.save_process(uow, ADMIN, replace(call, signature_mode="email"))
    finally:
        engine.dispose()
    yield running
    running.stop()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="fr-BE", is_mobile=True, has_touch=True
    )
    opened = context.new_page()
    opened.set_default_timeout(30_000)
    yield opened
    context.close()


def _app02(server: Server) -> support.SupportCount:
    engine = make_engine(server.database_url)
    try:
        uow = SqlUnitOfWork(engine)
        [project] = [p for p in processes.list_projects(uow, 2) if p.ref == "APP-02"]
        counts = {c.project_id: c for c in support.support_counts(uow, 2)}
        return counts[project.id or 0]
    finally:
        engine.dispose()


def test_sign_email_flow_link_from_the_mail_counts(
    mail_server: Server, smtp_sink: Sink, phone: Page
) -> None:
    project = _app02(mail_server).project_id
    phone.goto(f"{mail_server.url}/sign?project={project}")
    expect(phone.get_by_text("Frigo solidaire place Lehon").first).to_be_visible()
    phone.get_by_label("Nom et prénom").fill("Ana Lopes")
    phone.get_by_label("Code postal").fill("1030")
    phone.get_by_label("E-mail (un lien de confirmation y est envoyé)").fill("ana@example.org")
    phone.get_by_role("button", name="Je soutiens ce projet").click()
    expect(phone.get_by_text("Presque fini")).to_be_visible()
    shot(phone, "sign-email-pending")
    assert (_app02(mail_server).signatures, _app02(mail_server).pending) == (0, 1)
    [link] = smtp_sink.links()  # the mail really went through SMTP
    sent = urlsplit(link)
    assert sent.netloc == "vilco.commune.example" and sent.path == "/sign"
    phone.goto(f"{mail_server.url}{sent.path}?{sent.query}")  # the resident clicks the link
    expect(phone.get_by_text("Merci ! Votre soutien est confirmé et compté.")).to_be_visible()
    expect(phone.get_by_text("1 soutien(s)")).to_be_visible()  # the confirmed project is shown
    shot(phone, "sign-email-confirmed")
    assert (_app02(mail_server).signatures, _app02(mail_server).pending) == (1, 0)
