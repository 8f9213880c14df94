"""Sign: a resident supports a citizen project (from a poster's QR, or typed in at a stand)."""

import streamlit as st

from vilco_core.errors import VilcoError
from vilco_core.services import processes, support
from vilco_core.signatures import Signature
from vilco_ui import db
from vilco_ui.i18n import t
from vilco_ui.onsite import support_progress, today, url_params
from vilco_ui.page import setup
from vilco_ui.widgets import euros, inert_markdown, show_error

ctx = setup("sign")
params = url_params(["site", "project"])
st.title(t("sign.title"))
targets = {x.project.id: x for x in support.support_targets(db.reading(), today())}
wanted = processes.parse_id(params.get("project"))
if "site" in params:
    try:
        wanted = processes.find_site(db.reading(), params["site"]).project_id
    except VilcoError:
        st.error(t("sign.bad_link"))
if not targets:
    st.info(t("sign.none"))
    st.stop()
ids = list(targets)
project_id = st.selectbox(
    t("sign.project"),
    ids,
    index=ids.index(wanted) if wanted in ids else 0,
    format_func=lambda i: targets[i].project.title.get(ctx.language),
)
target = targets[project_id]
st.subheader(inert_markdown(target.project.title.get(ctx.language)))
st.markdown(inert_markdown(target.project.description.get(ctx.language)))
st.caption(f"{t('field.cost')} {euros(target.project.cost_cents)}")
counter = st.empty()
with st.form("sign", clear_on_submit=True):
    name = st.text_input(t("sign.name"), max_chars=120)
    postcode = st.text_input(t("sign.postcode"), max_chars=4)
    email = st.text_input(t("sign.email"), max_chars=200)
    stand = ctx.user is not None and st.checkbox(t("signatures.stand"), value=True)
    submitted = st.form_submit_button(t("sign.submit"), type="primary")
st.caption(t("sign.privacy"))
counted = target.support
if submitted:
    signature = Signature(project_id=project_id, name=name, postcode=postcode, email=email,
                          channel="stand" if stand else "qr",
                          site_id=processes.parse_id(params.get("site")))  # fmt: skip
    try:
        outcome = support.sign_support(db.uow(), signature, today())
    except VilcoError as error:
        show_error(error)
    else:
        counted = outcome.support
        st.success(t("sign.thanks") if outcome.counted else t("sign.duplicate"))
with counter.container():
    support_progress(counted)
