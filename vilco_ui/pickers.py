"""Pickers that read what the signed-in staff member may act on (`vilco_core.services.access`
decides, through the use cases): the process selector of the staff pages."""

from __future__ import annotations

from vilco_core.model import Process, StaffUser
from vilco_core.services import processes
from vilco_ui import db
from vilco_ui.widgets import pick_process


def pick_managed_process(user: StaffUser | None, key: str) -> Process | None:
    """`pick_process` over the processes `user` manages; None when there is none."""
    managed = processes.list_managed_processes(db.uow(), user)
    chosen = pick_process(managed, key=key)
    return next((p for p in managed if p.id == chosen), None)
