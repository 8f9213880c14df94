"""Posters: one printable PDF per site (A4 or A3), its QR code to the vote or the support form."""

import streamlit as st

from vilco_core import qr
from vilco_core.services import processes, voting
from vilco_ui import db
from vilco_ui.i18n import labeller, t
from vilco_ui.onsite import local_address_warning
from vilco_ui.page import setup
from vilco_ui.pickers import pick_managed_process

ctx = setup("posters")
assert ctx.user is not None
st.title(t("codes.posters"))
process = pick_managed_process(ctx.user, key="posters-process")
if process is None:
    st.stop()
process_id = process.id
sites = {s.id: s for s in processes.list_sites(db.uow(), process_id)}
if not sites:
    st.info(t("codes.no_sites"))
    st.stop()
site_id = st.selectbox(t("codes.site"), list(sites), format_func=lambda i: sites[i].name)
c1, c2 = st.columns(2)
paper = c1.radio(t("codes.paper"), list(qr.PAPERS), horizontal=True)
target = c2.radio(t("codes.target"), ["vote", "sign"], horizontal=True,
                  format_func=labeller("codes.target_", ["vote", "sign"]))  # fmt: skip
content = voting.poster_for_site(db.uow(), site_id, target, voting.public_url(), ctx.language)
st.caption(content.url)
local_address_warning()
st.download_button(
    t("codes.download_poster"),
    qr.poster_pdf(content, paper),
    f"poster-site{site_id}-{target}-{paper}.pdf",
    "application/pdf",
)
