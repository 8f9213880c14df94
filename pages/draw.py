"""Draw by lot (staff): import the pool, publish the lottery, the public seed, the panel."""

import streamlit as st

from vilco_core import worker
from vilco_core.errors import VilcoError
from vilco_core.services import draws
from vilco_ui import db, draw_view
from vilco_ui.config import demo_mode
from vilco_ui.i18n import t
from vilco_ui.page import setup
from vilco_ui.pickers import pick_managed_process
from vilco_ui.widgets import flash, show_error, show_flash

ctx = setup("draw")
assert ctx.user is not None
draw_view.projector_mode()
st.title(t("draw.title"))
process = pick_managed_process(ctx.user, key="draw-process")
if process is None:
    st.stop()
process_id = process.id
show_flash()
draw_id = draw_view.pick_draw(draws.list_draws(db.uow(), process_id))

if draw_id is None:
    inputs = draw_view.pool_inputs(demo=demo_mode())
    lottery = draw_view.lottery_step(inputs) if inputs is not None else None
    if inputs is not None and lottery is not None:
        st.caption(t("draw.publish_help"))
        if st.button(t("draw.publish"), type="primary"):
            try:
                new_id = draws.publish_lottery(
                    db.uow(),
                    ctx.user,
                    process_id,
                    title=inputs.title,
                    pool_csv=inputs.pool_csv,
                    quotas_csv=inputs.quotas_csv,
                    lottery=lottery,
                    alternates=inputs.alternates,
                    run=worker.run,
                )
            except VilcoError as error:
                show_error(error)
            else:
                draw_view.remember_draw(new_id)
                flash(t("draw.published"))
    st.stop()

draw = draws.get_draw(db.uow(), draw_id)
draw_view.ceremony_board(draw, process.name.get(ctx.language))
if draw.drawn:
    draw_view.panel_results(draw)
    st.stop()
st.info(t("draw.ceremony_help"))
entered = draw_view.seed_form()
if entered is not None:
    try:
        draws.perform_draw(db.uow(), ctx.user, draw.id or 0, seed=entered[0],
                           witnesses=entered[1], run=worker.run)  # fmt: skip
    except VilcoError as error:
        show_error(error)
    else:
        flash(t("draw.drawn"))
