"""Posters: one printable PDF per site (A4 or A3), its QR code to the vote or the support form."""

import streamlit as st

from vilco_core import qr, services, voting
from vilco_ui import db
from vilco_ui.i18n import labeller, t
from vilco_ui.page import setup
from vilco_ui.widgets import pick_process

ctx = setup("posters")
assert ctx.user is not None
st.title(t("codes.posters"))
processes = [p for p in services.list_processes(db.uow()) if ctx.user.may_manage(p)]
process_id = pick_process(processes, key="posters-process")
if process_id is None:
    st.stop()
sites = {s.id: s for s in services.list_sites(db.uow(), process_id)}
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
st.download_button(
    t("codes.download_poster"),
    qr.poster_pdf(content, paper),
    f"poster-site{site_id}-{target}-{paper}.pdf",
    "application/pdf",
)
