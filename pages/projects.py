"""Projects: list, create, edit and import from CSV; once the vote opened, withdraw one from
the ballot with a reason (staff)."""

import datetime as dt

import streamlit as st

from vilco_core import worker
from vilco_core.errors import VilcoError
from vilco_core.model import ProjectStatus
from vilco_core.project_csv import OPTIONAL, REQUIRED
from vilco_core.services import processes
from vilco_ui import db
from vilco_ui.forms import project_form, withdrawal_form
from vilco_ui.i18n import labeller, t
from vilco_ui.page import setup
from vilco_ui.pickers import pick_managed_process
from vilco_ui.widgets import flash, project_table, show_error, show_flash

ctx = setup("projects")
assert ctx.user is not None
st.title(t("projects.title"))
process = pick_managed_process(ctx.user, key="projects-process")
if process is None:
    st.stop()
process_id = process.id
projects = processes.list_projects(db.uow(), process_id)
locked = processes.is_locked(db.uow(), process_id, dt.date.today())
show_flash()
st.dataframe(project_table(projects), hide_index=True, width="stretch")
titles = [t("projects.create"), t("projects.edit"), t("projects.import")]
create, edit, upload, *more = st.tabs(titles + [t("projects.withdraw_title")] * locked)
with create:
    submitted = project_form(process_id, None, locked)
with edit:
    by_id = {p.id: p for p in projects}
    chosen = (
        st.selectbox(
            t("projects.edit_which"),
            list(by_id),
            format_func=lambda i: by_id[i].ref + " — " + by_id[i].title.get(ctx.language),
        )
        if by_id
        else None
    )
    edited = project_form(process_id, by_id[chosen], locked) if chosen is not None else None
withdrawal = None
for tab in more:
    with tab:
        withdrawal = withdrawal_form(projects)
with upload:
    st.caption(
        t("projects.import_help", required=", ".join(REQUIRED), optional=", ".join(OPTIONAL))
    )
    st.download_button(
        t("projects.template"), ",".join(REQUIRED + OPTIONAL) + "\n", "projects.csv", "text/csv"
    )
    file = st.file_uploader(t("projects.csv_file"), type=["csv"], key="projects-csv")
    import_status = st.radio(
        t("projects.import_status"),
        [ProjectStatus.ELIGIBLE.value, ProjectStatus.PROPOSED.value],
        format_func=labeller("projects.import_status_", ["eligible", "proposed"]),
        key="projects-import-status",
    )
    do_import = st.button(t("projects.import_button"), disabled=file is None)
for value in (submitted, edited):
    if value is not None:
        try:
            processes.save_project(db.uow(), ctx.user, value)
        except VilcoError as error:
            show_error(error)
        else:
            flash(t("projects.saved", title=value.title.get(ctx.language)))
if withdrawal is not None:
    try:
        gone = processes.withdraw_project(db.uow(), ctx.user, *withdrawal, dt.date.today())
    except VilcoError as error:
        show_error(error)
    else:
        flash(t("projects.withdrawn", title=gone.title.get(ctx.language)))
if do_import and file is not None:
    try:
        count = processes.import_projects(
            db.uow(),
            ctx.user,
            process_id,
            file.getvalue(),
            dt.date.today(),
            run=worker.run,
            status=ProjectStatus(import_status),
        )
    except VilcoError as error:
        show_error(error)
    else:
        flash(t("projects.imported", count=count))
