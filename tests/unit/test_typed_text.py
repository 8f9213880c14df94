"""Bidi controls are dropped from every value built from typed text ("gnp\u202e.exe" must not
display as "exe.png"), whichever way it comes in: a form, the project CSV import, the store."""

from __future__ import annotations

import datetime as dt

import pytest

from vilco_core.deliberation import Evaluation, PanelMember, PanelSession
from vilco_core.model import LocalText, Project, Site
from vilco_core.project_csv import parse_projects_csv
from vilco_core.signatures import Signature
from vilco_core.typed_text import BIDI_CONTROLS, strip_bidi

CONTROLS = sorted(BIDI_CONTROLS)


def _attack(control: str) -> str:
    return f"gnp{control}.exe"


@pytest.mark.parametrize("control", CONTROLS, ids=[f"U+{ord(c):04X}" for c in CONTROLS])
def test_typed_text_every_value_drops_bidi_controls(control: str) -> None:
    text = _attack(control)
    local = LocalText(fr=text, nl=text)
    project = Project(id=None, process_id=1, ref=text, title=local, description=local,
                      cost_cents=1, lat=50.8, lon=4.3, district=text)  # fmt: skip
    site = Site(id=None, process_id=1, project_id=None, name=text, address=text, lat=0, lon=0)
    signature = Signature(project_id=1, name=text, postcode="1060", email=text)
    session = PanelSession(id=1, process_id=1, title=text, created_on=dt.date(2027, 1, 1),
                           created_by="f")  # fmt: skip
    member = PanelMember(id=1, session_id=1, label=text, joined=False)
    evaluation = Evaluation(process_id=1, scope="s", respondent="r", language="fr", answers=(),
                            comment=text)  # fmt: skip
    shown = [local.get("fr"), local.get("nl"), project.ref, project.title.get("fr"),
             project.district, site.name, site.address, signature.name, signature.email,
             session.title, member.label, evaluation.comment]  # fmt: skip
    assert shown == ["gnp.exe"] * len(shown)


def test_typed_text_project_csv_import_drops_bidi_controls() -> None:
    title = _attack("\u202e")
    data = ("id,title_fr,title_nl,description_fr,description_nl,cost,lat,lon\n"
            f"X-1,{title},{title},{title},d,500,50.83,4.34\n").encode()  # fmt: skip
    [project] = parse_projects_csv(data, 1, set())
    assert project.title.get("fr") == project.title.get("nl") == "gnp.exe"
    assert project.description.get("fr") == "gnp.exe"


def test_typed_text_strip_bidi_keeps_other_text() -> None:
    assert strip_bidi("Ixelles – Elsene \u200f عربي") == "Ixelles – Elsene \u200f عربي"
