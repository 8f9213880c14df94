"""Printable posters (one per site) and sheets of personal voting cards, as PDF (fpdf2).

QR codes come from segno and are drawn as vector squares, so they stay sharp at any print
size (Decidim's 480 px PNG poster was too small to print, its issue #14456). A poster shows
the project in French and Dutch side by side, its cost, a map thumbnail (the region's outline
and the project's place, drawn as vectors: no tile server), the dates, and a QR code to the
vote or the support form. Texts use DejaVu Sans when the system has it (any Unicode), else the
PDF core fonts in Windows-1252 (French and Dutch fit; other characters become "?").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal
from urllib.parse import urlsplit

import segno
from fpdf import FPDF

from vilco_core.communes import BRUSSELS_OUTLINE, COMMUNES
from vilco_core.errors import VilcoError
from vilco_core.i18n import translate
from vilco_core.model import Process, Project, Site

Paper = Literal["A4", "A3"]
PAPERS: Final[dict[str, tuple[float, float]]] = {"A4": (210.0, 297.0), "A3": (297.0, 420.0)}
Target = Literal["vote", "sign"]
GREEN: Final = (11, 110, 79)
DARK: Final = (30, 30, 30)
FONT_DIRS: Final = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))


LOCAL_HOSTS: Final = frozenset({"localhost", "127.0.0.1", "::1", "0.0.0.0"})


def is_local(base_url: str) -> bool:
    """True when `base_url` names this machine: a QR code to it leads nowhere on a phone."""
    host = (urlsplit(base_url).hostname or "").lower()
    return host in LOCAL_HOSTS or host.endswith(".localhost") or host.startswith("127.")


def printable_base(base_url: str, allow_local: bool = False) -> str:
    """`base_url` for printing into QR codes; a local address is refused
    (`errors.public_url_local`, naming `VILCO_PUBLIC_URL`) unless `allow_local` (a try-out)."""
    if is_local(base_url) and not allow_local:
        raise VilcoError("errors.public_url_local", url=base_url)
    return base_url


@dataclass(frozen=True, slots=True, kw_only=True)
class PosterContent:
    process: Process
    project: Project | None
    site: Site
    url: str
    target: Target
    starts_on: dt.date | None
    ends_on: dt.date | None


def _bilingual(key: str, **params: object) -> tuple[str, str]:
    return translate(key, "fr", **params), translate(key, "nl", **params)


class _Sheet(FPDF):
    """An FPDF with our fonts: `sans`, `sans` bold and `mono` bold."""

    def __init__(self, paper: Paper) -> None:
        super().__init__(orientation="P", unit="mm", format=paper)
        self.set_auto_page_break(False)
        self.set_creator("vilco")
        self.unicode = self._add_fonts()

    def _add_fonts(self) -> bool:
        for folder in FONT_DIRS:
            files = {("sans", ""): "DejaVuSans.ttf", ("sans", "B"): "DejaVuSans-Bold.ttf",
                     ("mono", "B"): "DejaVuSansMono-Bold.ttf"}  # fmt: skip
            if all((folder / name).is_file() for name in files.values()):
                for (family, style), name in files.items():
                    self.add_font(family, style, str(folder / name))
                return True
        return False

    def font(self, family: str, style: str, size: float) -> None:
        if self.unicode:
            self.set_font(family, style, size)
        else:
            self.set_font("courier" if family == "mono" else "helvetica", style, size)

    def text_of(self, text: str) -> str:
        if self.unicode:
            return text
        return text.encode("cp1252", "replace").decode("cp1252")

    def write_cell(self, w: float, h: float, text: str, align: str = "L") -> None:
        self.cell(w, h, self.text_of(text), align=align)

    def write_block(self, w: float, h: float, text: str, align: str = "L") -> None:
        self.multi_cell(w, h, self.text_of(text), align=align)


def draw_qr(pdf: FPDF, data: str, x: float, y: float, size: float, error: str = "m") -> None:
    """A QR code as filled squares (runs of dark modules merged), quiet zone included."""
    code = segno.make_qr(data, error=error)
    matrix = [list(row) for row in code.matrix]
    border = 4
    module = size / (len(matrix) + 2 * border)
    pdf.set_fill_color(255, 255, 255)
    pdf.rect(x, y, size, size, style="F")
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(matrix):
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                pdf.rect(x + (border + start) * module, y + (border + r) * module,
                         (c - start) * module + 0.01, module + 0.01, style="F")  # fmt: skip
            else:
                c += 1


def _draw_map(pdf: _Sheet, project: Project | Site, x: float, y: float, w: float, h: float) -> None:
    """The Brussels region's outline, the communes as dots, the project as a red marker."""
    lons = [p[0] for p in BRUSSELS_OUTLINE]
    lats = [p[1] for p in BRUSSELS_OUTLINE]
    scale = min(w / ((max(lons) - min(lons)) * 0.63), h / (max(lats) - min(lats))) * 0.92
    cx, cy = (max(lons) + min(lons)) / 2, (max(lats) + min(lats)) / 2

    def at(lon: float, lat: float) -> tuple[float, float]:
        return (x + w / 2 + (lon - cx) * 0.63 * scale, y + h / 2 - (lat - cy) * scale)

    pdf.set_draw_color(*GREEN)
    pdf.set_fill_color(235, 242, 238)
    pdf.set_line_width(0.4)
    pdf.polygon([at(lon, lat) for lon, lat in BRUSSELS_OUTLINE], style="DF")
    pdf.set_fill_color(150, 150, 150)
    for commune in COMMUNES:
        px, py = at(commune.lon, commune.lat)
        pdf.circle(px - 0.6, py - 0.6, 0.6, style="F")
    px, py = at(project.lon, project.lat)
    radius = max(1.8, w / 40)
    pdf.set_fill_color(200, 40, 40)
    pdf.set_draw_color(255, 255, 255)
    pdf.circle(px - radius, py - radius, radius, style="DF")
    pdf.set_draw_color(*DARK)
    pdf.set_line_width(0.2)
    pdf.rect(x, y, w, h)


def _euros(cents: int) -> str:
    whole, rest = divmod(cents, 100)
    text = f"{whole:,}".replace(",", "\u202f")
    return f"{text},{rest:02d} €" if rest else f"{text} €"


def poster_pdf(content: PosterContent, paper: Paper = "A4") -> bytes:
    """One poster for one site: French and Dutch side by side, the QR code to `content.url`."""
    width, height = PAPERS[paper]
    k = width / 210.0  # everything scales with the paper
    pdf = _Sheet(paper)
    pdf.add_page()
    margin, gap = 14 * k, 8 * k
    col = (width - 2 * margin - gap) / 2
    pdf.set_fill_color(*GREEN)
    pdf.rect(0, 0, width, 30 * k, style="F")
    pdf.set_text_color(255, 255, 255)
    heading = _bilingual(f"poster.heading_{content.target}")
    for i, text in enumerate(heading):
        pdf.set_xy(margin + i * (col + gap), 6 * k)
        pdf.font("sans", "B", 17 * k)
        pdf.write_cell(col, 9 * k, text)
        pdf.set_xy(margin + i * (col + gap), 16 * k)
        pdf.font("sans", "", 9.5 * k)
        pdf.write_block(col, 4.5 * k, content.process.name.exact(("fr", "nl")[i]))
    pdf.set_text_color(*DARK)
    top = 38 * k
    bottom = top
    for i, lang in enumerate(("fr", "nl")):
        x = margin + i * (col + gap)
        pdf.set_xy(x, top)
        pdf.font("sans", "B", 15 * k)
        title = content.project.title.get(lang) if content.project else content.site.name
        pdf.write_block(col, 7 * k, title)
        pdf.set_x(x)
        pdf.font("sans", "", 10 * k)
        if content.project:
            pdf.ln(2 * k)
            pdf.set_x(x)
            pdf.write_block(col, 5 * k, content.project.description.get(lang))
        bottom = max(bottom, pdf.get_y())
    y = bottom + 5 * k
    pdf.set_draw_color(*GREEN)
    pdf.set_line_width(0.5 * k)
    pdf.line(margin, y, width - margin, y)
    y += 4 * k
    facts = []
    if content.project:
        facts.append(_bilingual("poster.cost", cost=_euros(content.project.cost_cents)))
    if content.starts_on and content.ends_on:
        dates = {"start": content.starts_on.strftime("%d/%m/%Y"),
                 "end": content.ends_on.strftime("%d/%m/%Y")}  # fmt: skip
        facts.append(_bilingual(f"poster.dates_{content.target}", **dates))
    for fr, nl in facts:
        pdf.font("sans", "B", 11 * k)
        pdf.set_xy(margin, y)
        pdf.write_cell(col, 6 * k, fr)
        pdf.set_xy(margin + col + gap, y)
        pdf.write_cell(col, 6 * k, nl)
        y += 7 * k
    pdf.font("sans", "", 11 * k)
    pdf.set_xy(margin, y)
    pdf.write_cell(width - 2 * margin, 6 * k, content.site.address or content.site.name)
    y += 7 * k
    qr_size = min(118 * k, height - y - 42 * k)
    y += 3 * k
    map_w = width - 2 * margin - qr_size - gap
    map_h = min(qr_size, map_w * 0.85)
    _draw_map(pdf, content.project or content.site, margin, y + (qr_size - map_h) / 2,
              map_w, map_h)  # fmt: skip
    qx = width - margin - qr_size
    draw_qr(pdf, content.url, qx, y, qr_size, error="q")
    y += qr_size + 2 * k
    pdf.font("sans", "B", 14 * k)
    pdf.set_xy(margin, y)
    scan = _bilingual(f"poster.scan_{content.target}")
    pdf.write_cell(width - 2 * margin, 8 * k, f"{scan[0]}  ·  {scan[1]}", align="C")
    pdf.font("mono", "B", 10 * k)
    pdf.set_xy(margin, y + 9 * k)
    pdf.write_cell(width - 2 * margin, 6 * k, content.url, align="C")
    pdf.font("sans", "", 8.5 * k)
    pdf.set_xy(margin, height - 14 * k)
    footer = _bilingual(f"poster.footer_{content.target}")
    pdf.write_block(width - 2 * margin, 4 * k, f"{footer[0]}\n{footer[1]}", align="C")
    return bytes(pdf.output())


CARD_W: Final = 85.0
CARD_H: Final = 54.0


def cards_pdf(codes: Sequence[str], urls: Sequence[str], process: Process,
              paper: Paper = "A4", purpose: str = "vote") -> bytes:  # fmt: skip
    """Sheets of personal voting (or support) cards to cut out: a QR code and the code in
    letters."""
    width, height = PAPERS[paper]
    cols, rows = int(width // CARD_W), int(height // CARD_H)
    left, top = (width - cols * CARD_W) / 2, (height - rows * CARD_H) / 2
    pdf = _Sheet(paper)
    per_page = cols * rows
    for index, (code, url) in enumerate(zip(codes, urls, strict=True)):
        if index % per_page == 0:
            pdf.add_page()
        slot = index % per_page
        x = left + (slot % cols) * CARD_W
        y = top + (slot // cols) * CARD_H
        _card(pdf, process, code, url, x, y, purpose)
    if not codes:
        pdf.add_page()
    return bytes(pdf.output())


def _card(pdf: _Sheet, process: Process, code: str, url: str, x: float, y: float,
          purpose: str = "vote") -> None:  # fmt: skip
    card = "card." if purpose == "vote" else "card.support_"
    pdf.set_draw_color(160, 160, 160)
    pdf.set_line_width(0.2)
    pdf.set_dash_pattern(dash=1.5, gap=1.5)
    pdf.rect(x, y, CARD_W, CARD_H)
    pdf.set_dash_pattern()
    pdf.set_fill_color(*GREEN)
    pdf.rect(x, y, CARD_W, 9, style="F")
    pdf.set_text_color(255, 255, 255)
    pdf.font("sans", "B", 8.5)
    pdf.set_xy(x + 3, y + 1.3)
    fr, nl = _bilingual(f"{card}title")
    pdf.write_cell(CARD_W - 6, 3.4, fr)
    pdf.set_xy(x + 3, y + 4.7)
    pdf.write_cell(CARD_W - 6, 3.4, nl)
    pdf.set_text_color(*DARK)
    draw_qr(pdf, url, x + 2, y + 10, 39, error="m")
    pdf.font("sans", "", 5.5)
    right = x + 43
    pdf.set_xy(right, y + 11)
    pdf.write_cell(CARD_W - 45, 2.6, _fit(pdf, process.name.exact("fr"), CARD_W - 45))
    pdf.set_xy(right, y + 13.8)
    pdf.write_cell(CARD_W - 45, 2.6, _fit(pdf, process.name.exact("nl"), CARD_W - 45))
    pdf.font("mono", "B", 12)
    groups = code.split("-")
    for line in range(2):
        pdf.set_xy(right, y + 19 + line * 6)
        pdf.write_cell(CARD_W - 45, 5.5, "-".join(groups[2 * line : 2 * line + 2]))
    pdf.font("sans", "", 6)
    pdf.set_xy(right, y + 33)
    howto = _bilingual(f"{card}howto")
    pdf.write_block(CARD_W - 45, 2.7, f"{howto[0]}\n{howto[1]}")
    pdf.font("mono", "B", 5.5)
    pdf.set_xy(x + 2, y + CARD_H - 5)
    pdf.write_cell(CARD_W - 4, 3, url.split("?")[0].split("://")[-1], align="L")


def _fit(pdf: _Sheet, text: str, width: float) -> str:
    """`text` cut (with an ellipsis) to fit `width` in the current font."""
    if pdf.get_string_width(pdf.text_of(text)) <= width:
        return text
    while text and pdf.get_string_width(pdf.text_of(text + "…")) > width:
        text = text[:-1]
    return text.rstrip() + "…"
