"""Sign: a resident supports a citizen project (from a poster's QR, a support card's QR, an
e-mail confirmation link, or typed in at a stand), the way the call confirms signatures."""

import streamlit as st

from vilco_core.errors import VilcoError
from vilco_core.services import processes, support
from vilco_core.signatures import Signature
from vilco_ui import db, mail
from vilco_ui.i18n import t
from vilco_ui.onsite import today, url_params
from vilco_ui.page import setup
from vilco_ui.support_view import (
    client_address,
    confirm_link,
    mode_notice,
    now,
    requester_session,
    show_outcome,
    support_progress,
)
from vilco_ui.widgets import euros, inert_markdown, show_error

ctx = setup("sign")
params = url_params(["site", "project", "code", "confirm"])
st.title(t("sign.title"))
confirmed = confirm_link(params["confirm"]) if "confirm" in params else None
targets = {x.project.id: x for x in support.support_targets(db.reading(), today())}
wanted = confirmed or processes.parse_id(params.get("project"))
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
mode = target.process.signature_mode
st.subheader(inert_markdown(target.project.title.get(ctx.language)))
st.markdown(inert_markdown(target.project.description.get(ctx.language)))
st.caption(f"{t('field.cost')} {euros(target.project.cost_cents)}")
counter = st.empty()
mode_notice(mode)
with st.form("sign", clear_on_submit=True):
    code = st.text_input(t("sign.code"), params.get("code", "")[:64], max_chars=64,
                         key="sign-code") if mode == "code" else ""  # fmt: skip
    name = st.text_input(t("sign.name"), max_chars=120)
    postcode = st.text_input(t("sign.postcode"), max_chars=4)
    email = st.text_input(t("sign.email_required" if mode == "email" else "sign.email"),
                          max_chars=200)  # fmt: skip
    stand = ctx.user is not None and st.checkbox(t("signatures.stand"), value=True)
    submitted = st.form_submit_button(t("sign.submit"), type="primary")
answer = st.empty()  # the outcome, right under the button the resident just pressed
st.caption(t("sign.privacy"))
counted = target.support
if submitted:
    signature = Signature(project_id=project_id, name=name, postcode=postcode, email=email,
                          channel="stand" if stand else "qr",
                          site_id=processes.parse_id(params.get("site")))  # fmt: skip
    request = support.SignRequest(signature=signature, code=code, session=requester_session(),
                                  address=client_address(), staff=ctx.user if stand else None,
                                  language=ctx.language)  # fmt: skip
    with answer.container():
        try:
            outcome = support.sign_support(db.uow(), request, now(), mail.confirmation_mail())
        except VilcoError as error:
            show_error(error)
        else:
            counted = outcome.support
            show_outcome(outcome)
with counter.container():
    support_progress(counted)
