"""The support form in each mode of a call (support card, e-mail link through a real SMTP sink,
unverified), its rate limit, the staff's review (strike, logged), and the process form's mode,
through AppTest on the demo (process 2 is the call; APP-02 its second project)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import ROOT, open_link, texts
from tests.app.test_onsite_pages import support_cards
from tests.smtp_sink import Sink
from vilco_core.model import Role, StaffUser
from vilco_core.services import processes, support, voting
from vilco_core.signatures import Signature, SignatureMode
from vilco_core.store import SqlUnitOfWork, make_engine
from vilco_ui.support_view import forwarded_address

ADMIN = StaffUser(username="admin", name="A", role=Role.ADMIN)


def _set_mode(url: str, mode: SignatureMode) -> None:
    engine = make_engine(url)
    try:
        uow = SqlUnitOfWork(engine)
        call = processes.get_process(uow, 2)
        processes.save_process(uow, ADMIN, replace(call, signature_mode=mode))
    finally:
        engine.dispose()


def _counts(url: str) -> support.SupportCount:
    engine = make_engine(url)
    try:
        counts = support.support_counts(SqlUnitOfWork(engine), 2)
        return counts[1]  # APP-02
    finally:
        engine.dispose()


def _sign_page(lang: str = "fr", **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages/sign.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.session_state["vilco_language"] = lang
    at.run()
    at.selectbox[0].select_index(1).run()  # APP-02
    return at


def _fill(at: AppTest, name: str, email: str = "", code: str | None = None) -> AppTest:
    """Type into the form: [code,] name, postcode, e-mail (the code only in `code` mode)."""
    first = 1 if any(ti.key == "sign-code" for ti in at.text_input) else 0
    if code is not None:
        at.text_input(key="sign-code").input(code)
    at.text_input[first].input(name)
    at.text_input[first + 1].input("1030")
    at.text_input[first + 2].input(email)
    return at.button[0].click().run()


def test_sign_modes_code_from_a_card_link(demo_db: str) -> None:
    [card] = support_cards(demo_db, 1)
    at = _sign_page("en", code=card)
    assert at.text_input(key="sign-code").value == card  # the card's QR fills it in
    assert "support code" in at.info[0].value
    at = _fill(at, "Ana Lopes")
    assert [s.value for s in at.success] == ["Thank you! Your support is counted."]
    at = _fill(at, "Bob", code="ZZZZ-ZZZZ-ZZZZ-ZZZZ")
    assert [e.value for e in at.error] == [
        "This support code is unknown. Check the letters on your card (a voting code cannot sign)."
    ]
    assert _counts(demo_db).signatures == 1


def test_sign_modes_email_link_from_the_mail_counts(
    demo_db: str, smtp_sink: Sink, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in smtp_sink.env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("VILCO_PUBLIC_URL", "https://vilco.example")
    _set_mode(demo_db, "email")
    at = _sign_page("en")
    assert not [ti for ti in at.text_input if ti.key == "sign-code"]
    at = _fill(at, "Ana Lopes")  # no e-mail: refused
    assert [e.value for e in at.error] == [
        "Give an e-mail address: the confirmation link goes there."
    ]
    at = _fill(at, "Ana Lopes", email="ana@example.org")
    assert at.success[0].value.startswith("Almost done: follow the link")
    assert _counts(demo_db).signatures == 0
    [link] = smtp_sink.links()
    assert link.startswith("https://vilco.example/sign?confirm=")
    confirmed = open_link("pages/sign.py", lang="nl", confirm=link.split("confirm=")[1])
    assert not confirmed.exception
    assert confirmed.success[0].value == "Bedankt! Uw steun is bevestigd en geteld."
    assert _counts(demo_db).signatures == 1
    bad = open_link("pages/sign.py", lang="fr", confirm="not-a-real-token-at-all")
    assert [e.value for e in bad.error] == ["Ce lien de confirmation n'est pas valable."]


def test_sign_modes_email_without_mail_settings_is_refused_kindly(demo_db: str) -> None:
    _set_mode(demo_db, "email")
    at = _fill(_sign_page("fr"), "Ana", email="ana@example.org")
    assert [e.value for e in at.error] == [
        "La confirmation par e-mail n'est pas disponible pour le moment. Réessayez plus tard."
    ]


def test_sign_modes_unverified_is_shown_as_such_and_rate_limited(demo_db: str) -> None:
    _set_mode(demo_db, "unverified")
    at = _sign_page("nl")
    assert "niet geverifieerd" in at.info[0].value
    for i in range(5):
        at = _fill(at, f"Buur {i}")
        assert at.success[0].value.startswith("Bedankt! Uw steun is geregistreerd als niet")
    assert "5 niet geverifieerde handtekening(en), niet geteld" in [c.value for c in at.caption]
    at = _fill(at, "Buur 5")  # a sixth in ten minutes from this session
    assert [e.value for e in at.error] == [
        "Te veel pogingen van hieruit. Probeer opnieuw over 10 minuten."
    ]
    count = _counts(demo_db)
    assert (count.signatures, count.unverified) == (0, 5)


def test_sign_modes_staff_strike_a_signature(demo_db: str) -> None:
    cards = support_cards(demo_db, 2)
    at = _sign_page("fr")
    signed = _fill(at, "Mickey Mouse", code=cards[0])
    assert [s.value for s in signed.success] == ["Merci ! Votre soutien est compté."], signed.error
    staff = AppTest.from_file(str(ROOT / "pages/signatures.py"), default_timeout=60)
    staff.session_state["authentication_status"] = True
    staff.session_state["username"] = (
        "admin"  # the demo's facilitator is Saint-Gilles'; the call Schaerbeek's
    )
    staff.session_state["vilco_process_id"] = 2
    staff.session_state["vilco_language"] = "fr"
    staff.run()
    assert not staff.exception
    assert "par code de soutien" in staff.caption[0].value
    review = staff.dataframe[1].value
    assert review["Nom et prénom"].tolist() == ["Mickey Mouse"]
    assert review["État"].tolist() == ["valable"]
    staff.button[0].click().run()  # no reason: refused
    assert [e.value for e in staff.error] == ["Indiquez le motif (au plus 200 caractères)."]
    staff.text_input[0].input("nom de dessin animé")
    staff.button[0].click().run()
    assert staff.success[0].value == "Signature rayée ; elle ne compte plus."
    assert staff.dataframe[1].value["État"].tolist() == ["rayée"]
    assert _counts(demo_db).struck == 1 and _counts(demo_db).signatures == 0
    engine = make_engine(demo_db)
    try:
        uow = SqlUnitOfWork(engine)
        with uow:
            [entry] = [e for e in uow.audit.entries() if e.kind == "staff.signature_struck"]
    finally:
        engine.dispose()
    payload = json.loads(entry.payload)
    assert payload["actor"] == "admin" and payload["after"]["reason"] == "nom de dessin animé"


def test_sign_modes_process_form_refuses_email_without_smtp(
    demo_db: str, monkeypatch: pytest.MonkeyPatch, smtp_sink: Sink
) -> None:
    def save_with_email() -> AppTest:
        at = AppTest.from_file(str(ROOT / "pages/processes.py"), default_timeout=60)
        at.session_state["authentication_status"] = True
        at.session_state["username"] = "admin"
        at.session_state["vilco_language"] = "en"
        at.run()
        at.selectbox[0].select(2).run()  # edit the call
        [mode] = [s for s in at.selectbox if s.label == "How signatures are confirmed"]
        assert mode.value == "code"
        mode.select("email")
        return at.button[0].click().run()

    at = save_with_email()
    assert at.error[0].value.startswith("Confirmation by e-mail needs the mail server settings")
    engine = make_engine(demo_db)
    try:
        assert processes.get_process(SqlUnitOfWork(engine), 2).signature_mode == "code"
        for name, value in smtp_sink.env().items():
            monkeypatch.setenv(name, value)
        at = save_with_email()
        assert not at.error and not at.exception
        assert processes.get_process(SqlUnitOfWork(engine), 2).signature_mode == "email"
    finally:
        engine.dispose()


def test_sign_modes_forwarded_address_trusts_only_the_proxy_entry() -> None:
    assert forwarded_address("203.0.113.5, 10.0.0.2") == "10.0.0.2"
    assert forwarded_address(" 198.51.100.1 ") == "198.51.100.1"
    assert forwarded_address("") is None


@pytest.mark.parametrize("mode", ["code", "email", "unverified"])
def test_sign_modes_pages_render_translated_in_each_mode(demo_db: str, mode: SignatureMode) -> None:
    _set_mode(demo_db, mode)
    engine = make_engine(demo_db)
    try:  # a signature in each state: valid, pending, struck
        uow = SqlUnitOfWork(engine)
        project = processes.list_projects(uow, 2)[1].id or 0
        with uow:
            for name, state in (("Ana", "valid"), ("Bob", "pending"), ("Cy", "struck")):
                signature = Signature(project_id=project, name=name, postcode="1030")
                uow.signatures.add(2, signature, name.lower(), dt.date.today(), mode=mode,
                                   state=state)  # fmt: skip
            uow.commit()
    finally:
        engine.dispose()
    for lang in ("fr", "nl", "en"):
        public = _sign_page(lang)
        staff = AppTest.from_file(str(ROOT / "pages/signatures.py"), default_timeout=60)
        staff.session_state["authentication_status"] = True
        staff.session_state["username"] = "admin"
        staff.session_state["vilco_process_id"] = 2
        staff.session_state["vilco_language"] = lang
        staff.run()
        for at in (public, staff):
            assert not at.exception
            assert not [text for text in texts(at) if "⟦" in text]
        for frame in (staff.dataframe[0].value, staff.dataframe[1].value):
            cells = [*frame.columns, *frame.to_numpy().ravel()]
            assert not [cell for cell in cells if "⟦" in str(cell)]
        assert len(staff.dataframe[1].value) == 3


def test_sign_modes_codes_page_issues_support_cards_for_the_call(demo_db: str) -> None:
    at = AppTest.from_file(str(ROOT / "pages/codes.py"), default_timeout=60)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = "admin"
    at.session_state["vilco_process_id"] = 2
    at.session_state["vilco_language"] = "fr"
    at.run()
    at.number_input[0].set_value(3)
    at.radio[0].set_value("support")
    at = at.button[0].click().run()
    assert not at.exception and "3 codes émis" in at.warning[0].value
    assert at.dataframe[0].value.iloc[0].tolist()[1] == "soutenir des projets"
    engine = make_engine(demo_db)
    try:
        [listed] = voting.list_code_batches(SqlUnitOfWork(engine), 2)
        assert (listed.purpose, listed.unused) == ("support", 3)
    finally:
        engine.dispose()
