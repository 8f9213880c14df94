"""The audit log on screen: the chain head as residents note it (receipt page), the staff action
that publishes a process's tally and the sizes of the mixing batches (results page). Figures come
from `vilco_core.audit`."""

from __future__ import annotations

import streamlit as st

from vilco_core import audit as chain
from vilco_core.errors import VilcoError
from vilco_core.model import Process, StaffUser
from vilco_core.services import access, audit, mixing
from vilco_core.store import database_url
from vilco_ui import db, last_good
from vilco_ui.i18n import t
from vilco_ui.widgets import show_error


def show_head(head: chain.ChainHead) -> None:
    """The hash in groups of four, in a copyable block, with its position for `--expect-head`."""
    st.code(f"{chain.group_hash(head.hash)}\n@{head.seq}", language=None, wrap_lines=True)


def head_note() -> None:
    """The current head of the chain, to compare with the one the commune publishes."""
    try:
        head = last_good.read(("audit-head", database_url()),
                              lambda: audit.chain_head(db.reading()), notice=False)  # fmt: skip
    except VilcoError:
        return  # the database is away and no head is known yet: the check above says so
    st.subheader(t("receipt.head_title"))
    if head.seq == 0:
        st.caption(t("receipt.head_empty"))
        return
    st.caption(t("receipt.head", seq=head.seq, day=head.day))
    show_head(head)


def publish_action(user: StaffUser | None, process: Process) -> None:
    """For staff who may publish this process's tally: record it in the chain, show the head."""
    if not access.may_publish(user, process):
        return
    with st.expander(t("results.publish_title"), icon=":material/verified:"):
        st.caption(t("results.publish_help"))
        if not st.button(t("results.publish"), key=f"publish-tally-{process.id}"):
            return
        try:
            seq = audit.publish_tally(db.uow(), user, process.id)
            head = audit.chain_head(db.uow(), at=seq)
        except VilcoError as error:
            show_error(error)
            return
        st.success(t("results.published", seq=head.seq, day=head.day))
        show_head(head)


def mix_note(process_id: int) -> None:
    """How many ballots each mixing batch held, and how many wait for the next one."""
    try:
        report = mixing.mix_report(db.uow(), process_id)
    except VilcoError:
        return  # the database is away: the results above already say so
    k = mixing.mix_batch()
    st.subheader(t("audit.mix_title"))
    if report.batches:
        sizes = ", ".join(str(n) for n in report.batches)
        st.caption(t("audit.mix_batches", k=k, sizes=sizes))
    else:
        st.caption(t("audit.mix_none", k=k))
    if report.pending:
        st.caption(t("audit.mix_pending", pending=report.pending))
