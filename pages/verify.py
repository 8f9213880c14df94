"""Check a draw (public): replay a published draw from its lottery, the pool and the seed."""

import streamlit as st

from vilco_core import draws as draw_rules
from vilco_core.errors import VilcoError
from vilco_core.services import draws
from vilco_ui import db, draw_view
from vilco_ui.i18n import labeller, t
from vilco_ui.page import setup
from vilco_ui.widgets import show_error

ctx = setup("verify")
st.title(t("verify.title"))
st.markdown(t("verify.intro"))
sources = ["published", "file"]
source = st.radio(
    t("verify.source"), sources, format_func=labeller("verify.source_", sources), horizontal=True
)
published = {d.id: d for d in draws.list_draws(db.uow())}
draw, use_published = None, True
if source == "published":
    if not published:
        st.info(t("verify.none"))
        st.stop()
    labels = {i: f"#{i} · {d.title}" for i, d in published.items()}
    draw = published[st.selectbox(t("verify.pick"), list(labels), format_func=labels.__getitem__)]
    st.caption(t("verify.published_facts", sha=draw.lottery_sha256, seed=draw.seed or "—"))
    use_published = st.toggle(t("verify.use_published_pool"), value=True)
    pool = None if use_published else draw_view.read_upload(t("draw.pool_file"), "verify-pool")
    lottery, expected = draw.lottery, draw.lottery_sha256
else:
    upload = st.file_uploader(t("verify.lottery_file"), type=["json"], key="verify-lottery")
    lottery = upload.getvalue() if upload is not None else None
    expected = st.text_input(t("verify.expected_sha256")).strip()
    pool = draw_view.read_upload(t("draw.pool_file"), "verify-pool")
seed = st.text_input(t("verify.seed"), value=(draw.seed or "") if draw is not None else "")
if st.button(t("verify.check"), type="primary"):
    try:
        if source == "published" and not use_published and pool is None:
            raise VilcoError("verify.files_missing")
        if draw is not None:
            result = draws.check_published_draw(db.uow(), draw.id or 0, seed, pool)
        elif lottery is None or pool is None:
            raise VilcoError("verify.files_missing")
        else:
            result = draw_rules.verify_draw(pool, lottery, expected, seed)
    except VilcoError as error:
        show_error(error)
    else:
        draw_view.verification_result(result)
