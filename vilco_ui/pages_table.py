"""Every page, declared once: its script, URL path, title, icon, who may open it and where the
sidebar lists it. The router (`vilco_ui.router`) builds the navigation and the sidebar from
this table, in its order; the guard (`vilco_ui.page.setup`) takes each page's title, layout
and roles from it. Adding a page = its script in `pages/` (first line `ctx = setup("name")`),
one row here and its `nav.<name>` title in the catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from vilco_core.model import Role, StaffUser
from vilco_core.services import access

# Absolute paths: a page run on its own (a deep link, AppTest) resolves relative paths against
# its own folder, where `pages/home.py` does not exist.
PAGES_DIR = Path(__file__).resolve().parent.parent / "pages"
Section = Literal["public", "staff"]
# The sidebar's groups, in order, with their translated captions.
SECTIONS: dict[Section, str] = {"public": "nav.section_public", "staff": "nav.section_staff"}
ADMINS = frozenset({Role.ADMIN, Role.FACILITATOR})
TALLY_STAFF = frozenset({Role.ADMIN, Role.FACILITATOR, Role.POLL_OFFICER})  # not agents
RESOURCE_STAFF = frozenset(access.RESOURCE_MANAGERS)  # shared resources: admins and agents


@dataclass(frozen=True, slots=True, kw_only=True)
class PageSpec:
    name: str  # the URL path (`/vote`) and what the page passes to `setup`
    icon: str
    section: Section
    roles: frozenset[Role] | None = None  # who may open it; None: anyone (a public page)
    # Who sees it in the sidebar, when that differs from `roles` (the projector is public for
    # the screen in the room, but only staff find it in the menu).
    listed_for: frozenset[Role] | None = None
    layout: Literal["wide", "centered"] = "wide"
    default: bool = False  # the page `/` opens
    signed_in_title_key: str | None = None  # its sidebar label once a staff user is logged in
    script: Path | None = None  # default: pages/<name>.py

    @property
    def path(self) -> Path:
        return self.script if self.script is not None else PAGES_DIR / f"{self.name}.py"

    @property
    def title_key(self) -> str:
        return f"nav.{self.name}"

    def listed(self, user: StaffUser | None) -> bool:
        """Whether the sidebar shows this page to `user` (None: anonymous)."""
        allowed = self.listed_for if self.listed_for is not None else self.roles
        return allowed is None or (user is not None and user.role in allowed)


# In sidebar order within each section.
PAGES: tuple[PageSpec, ...] = (
    PageSpec(name="home", icon=":material/home:", section="public", default=True),
    PageSpec(name="map", icon=":material/map:", section="public"),
    PageSpec(name="results", icon=":material/how_to_vote:", section="public"),
    PageSpec(name="recommendation", icon=":material/recommend:", section="public"),
    PageSpec(name="receipt", icon=":material/receipt_long:", section="public", layout="centered"),
    PageSpec(name="verify", icon=":material/verified:", section="public"),
    PageSpec(name="vote", icon=":material/how_to_vote:", section="public", layout="centered"),
    PageSpec(name="sign", icon=":material/draw:", section="public", layout="centered"),
    PageSpec(name="panel", icon=":material/groups:", section="public", layout="centered"),
    PageSpec(name="evaluate", icon=":material/rate_review:", section="public", layout="centered"),
    PageSpec(name="spaces", icon=":material/meeting_room:", section="public"),
    PageSpec(
        name="booking", icon=":material/event_available:", section="public", layout="centered"
    ),
    PageSpec(name="processes", icon=":material/folder_open:", section="staff", roles=ADMINS),
    PageSpec(name="projects", icon=":material/list_alt:", section="staff", roles=ADMINS),
    PageSpec(name="draw", icon=":material/casino:", section="staff", roles=ADMINS),
    PageSpec(name="codes", icon=":material/qr_code:", section="staff", roles=ADMINS),
    PageSpec(name="posters", icon=":material/print:", section="staff", roles=ADMINS),
    PageSpec(name="signatures", icon=":material/how_to_reg:", section="staff", roles=ADMINS),
    PageSpec(name="sessions", icon=":material/forum:", section="staff", roles=ADMINS),
    PageSpec(name="projector", icon=":material/tv:", section="staff", listed_for=ADMINS),
    PageSpec(name="evaluations", icon=":material/insights:", section="staff", roles=ADMINS),
    PageSpec(name="tallies", icon=":material/ballot:", section="staff", roles=TALLY_STAFF),
    PageSpec(name="bookings_desk", icon=":material/key:", section="staff", roles=RESOURCE_STAFF),
    PageSpec(
        name="manage_resources",
        icon=":material/meeting_room:",
        section="staff",
        roles=RESOURCE_STAFF,
    ),
    PageSpec(
        name="resource_scores", icon=":material/star_rate:", section="staff", roles=RESOURCE_STAFF
    ),
    PageSpec(
        name="login",
        icon=":material/key:",
        section="staff",
        layout="centered",
        signed_in_title_key="nav.account",
    ),
)


def page_named(name: str) -> PageSpec:
    """The row of page `name`; a script path (`__file__`) names its page by its file name."""
    key = Path(name).stem if name.endswith(".py") else name
    for spec in PAGES:
        if spec.name == key:
            return spec
    raise KeyError(f"no page {key!r} in vilco_ui/pages_table.py")
