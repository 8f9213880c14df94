"""Shared resources (staff): the spaces and garage items the user manages; create, edit,
import from CSV; each one's staff calendar and feed URLs."""

import streamlit as st

from vilco_core.resources import ResourceKind
from vilco_core.services import resources
from vilco_ui import db, resources_view
from vilco_ui.i18n import labeller, t
from vilco_ui.page import setup
from vilco_ui.resource_form import resource_form
from vilco_ui.widgets import show_flash

ctx = setup("manage_resources")
user = ctx.user
assert user is not None
st.title(t("space.title"))
managed = resources.list_managed_resources(db.uow(), user)
show_flash()
if managed:
    st.dataframe(resources_view.resource_table(managed), hide_index=True, width="stretch")
else:
    st.info(t("space.none"))
create, edit, upload = st.tabs([t("space.create"), t("space.edit"), t("space.import")])
with create:
    kinds = [k.value for k in ResourceKind]
    kind = st.radio(t("space.col_kind"), kinds, horizontal=True, key="space-new-kind",
                    format_func=labeller("space.kind_", kinds))  # fmt: skip
    resources_view.save_edited(resource_form(None, ResourceKind(kind), user), user)
with edit:
    by_id = {r.id: r for r in managed}
    names = {i: f"{i} · {resources_view.resource_name(r)}" for i, r in by_id.items()}
    chosen = st.selectbox(
        t("space.edit_which"), list(by_id), format_func=names.__getitem__, key="space-edit-which"
    )
    if chosen is not None:
        resources_view.save_edited(resource_form(by_id[chosen], by_id[chosen].kind, user), user)
        with st.expander(t("space.calendars"), icon=":material/calendar_month:"):
            resources_view.calendar_section(by_id[chosen], user)
with upload:
    st.caption(t("space.import_help"))
    st.download_button(t("space.template"), resources_view.csv_template(), "resources.csv",
                       "text/csv")  # fmt: skip
    file = st.file_uploader(t("space.csv_file"), type=["csv"], key="space-csv")
    if st.button(t("space.import_button"), disabled=file is None) and file is not None:
        resources_view.import_csv(file.getvalue(), user)
