"""Posters and code cards: real PDFs, rasterised (poppler) and decoded (zbar) like a phone would.

Needs Debian's poppler-utils and zbar-tools (`make browser` installs them; `make test` runs it).
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from vilco_core import codes, qr
from vilco_core.model import LocalText, Process, ProcessKind, Project, Site

BASE = "https://vote.example.brussels"
PROCESS = Process(
    id=1,
    name=LocalText(fr="Budget « Quartiers vivants » 2027", nl="Burgerbegroting ‘Wijken’ 2027"),
    kind=ProcessKind.BUDGET,
    commune_codes=("21013",),
    envelope_cents=15_000_000,
    year=2027,
)
PROJECT = Project(
    id=7,
    process_id=1,
    ref="SG-01",
    cost_cents=480_000,
    lat=50.8291,
    lon=4.3429,
    title=LocalText(fr="Bacs potagers partagés", nl="Gedeelde moestuinbakken"),
    description=LocalText(fr="Six bacs en bois près de l'école.", nl="Zes houten bakken."),
)
SITE = Site(
    id=3,
    process_id=1,
    project_id=7,
    name="Rue de la Victoire 70",
    address="Rue de la Victoire 70, 1060 Saint-Gilles",
    lat=50.8291,
    lon=4.3429,
)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing: run `make browser` (poppler-utils, zbar-tools)")
    return path


def _decode(pdf: bytes, tmp: Path, dpi: int, page: int = 1) -> list[str]:
    (tmp / "in.pdf").write_bytes(pdf)
    subprocess.run(
        [
            _tool("pdftoppm"),
            "-r",
            str(dpi),
            "-f",
            str(page),
            "-l",
            str(page),
            "-png",
            "-singlefile",
            str(tmp / "in.pdf"),
            str(tmp / "page"),
        ],
        check=True,
    )
    found = subprocess.run(
        [_tool("zbarimg"), "-q", "--raw", str(tmp / "page.png")], capture_output=True, text=True
    )
    return sorted(found.stdout.split())


def _text(pdf: bytes, tmp: Path) -> str:
    (tmp / "t.pdf").write_bytes(pdf)
    out = subprocess.run(
        [_tool("pdftotext"), "-layout", str(tmp / "t.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout


def _page_size_mm(pdf: bytes, tmp: Path) -> tuple[int, int]:
    (tmp / "s.pdf").write_bytes(pdf)
    info = subprocess.run([_tool("pdfinfo"), str(tmp / "s.pdf")], capture_output=True, text=True)
    line = next(x for x in info.stdout.splitlines() if x.startswith("Page size:"))
    w, h = (float(v) for v in line.split()[2:5:2])
    return round(w * 25.4 / 72), round(h * 25.4 / 72)


@pytest.mark.parametrize(("paper", "size"), [("A4", (210, 297)), ("A3", (297, 420))])
def test_posters_qr_decodes_to_the_site_url_with_both_languages(
    paper: qr.Paper, size: tuple[int, int], tmp_path: Path
) -> None:
    url = codes.vote_url(BASE, site_id=3, lang="nl")
    content = qr.PosterContent(
        process=PROCESS,
        project=PROJECT,
        site=SITE,
        url=url,
        target="vote",
        starts_on=dt.date(2027, 3, 1),
        ends_on=dt.date(2027, 3, 28),
    )
    pdf = qr.poster_pdf(content, paper)
    assert pdf.startswith(b"%PDF")
    assert _page_size_mm(pdf, tmp_path) == size
    assert _decode(pdf, tmp_path, dpi=72) == [url]  # even rasterised coarsely: vector modules
    text = " ".join(_text(pdf, tmp_path).split())
    for expected in (
        "Bacs potagers partagés",
        "Gedeelde moestuinbakken",
        "Coût : 4 800 €",
        "Kostprijs: 4 800 €",
        "Vote du 01/03/2027 au 28/03/2027",
        "Stemming van 01/03/2027 tot 28/03/2027",
        "Scannez pour voter",
    ):
        assert expected in text.replace("\u202f", " ")


def test_posters_sign_target_points_to_the_support_form(tmp_path: Path) -> None:
    url = codes.sign_url(BASE, site_id=3, lang="fr")
    content = qr.PosterContent(
        process=PROCESS,
        project=None,
        site=SITE,
        url=url,
        target="sign",
        starts_on=None,
        ends_on=None,
    )
    pdf = qr.poster_pdf(content, "A4")
    assert _decode(pdf, tmp_path, dpi=100) == [url]
    assert "Soutenez ce projet citoyen" in _text(pdf, tmp_path)


def test_posters_card_sheets_carry_each_code_as_qr_and_letters(tmp_path: Path) -> None:
    # Fixed codes: a decoding failure must be reproducible, not depend on the codes drawn.
    rng = random.Random(2027)
    drawn = [
        codes.format_code("".join(rng.choice(codes.ALPHABET) for _ in range(codes.CODE_LENGTH)))
        for _ in range(12)
    ]
    urls = [codes.vote_url(BASE, c) for c in drawn]
    pdf = qr.cards_pdf(drawn, urls, PROCESS, "A4")
    first_page = _decode(pdf, tmp_path, dpi=150, page=1)
    assert first_page == sorted(urls[:10])  # ten cards on an A4 sheet
    assert _decode(pdf, tmp_path, dpi=150, page=2) == sorted(urls[10:])
    text = _text(pdf, tmp_path)
    for code in drawn:
        first, second = code[:9], code[10:]
        assert first in text and second in text
    a3 = qr.cards_pdf(drawn, urls, PROCESS, "A3")
    assert _page_size_mm(a3, tmp_path) == (297, 420)
    assert _decode(a3, tmp_path, dpi=150) == sorted(urls)  # 21 fit on an A3 sheet


def test_posters_support_cards_say_support_and_lead_to_the_form(tmp_path: Path) -> None:
    drawn = [codes.format_code("0123456789ABCDEF"), codes.format_code("GHJKMNPQRSTVWXYZ")]
    urls = [codes.sign_url(BASE, code=c) for c in drawn]
    pdf = qr.cards_pdf(drawn, urls, PROCESS, "A4", purpose="support")
    assert _decode(pdf, tmp_path, dpi=150) == sorted(urls)
    text = " ".join(_text(pdf, tmp_path).split())
    assert "code de soutien personnel" in text and "persoonlijke steuncode" in text
    assert "code de vote" not in text
