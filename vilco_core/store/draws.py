"""The draws repository: a draw by lot is published (lottery, pool, quotas), then drawn once."""

from __future__ import annotations

import datetime as dt
import json
from typing import Final

from sqlalchemy import select, update

from vilco_core.model import PanelDraw
from vilco_core.store.rows import Repository, columns_of, inserted_id, value_of
from vilco_core.store.tables import DrawRow

# What `add` leaves out: the id (the database gives it) and what `record_draw` writes once the
# seed is known; a draw is published without its seed and its panel.
_NOT_PUBLISHED: Final = frozenset(
    {"id", "seed", "panel", "alternates", "witnesses", "drawn_at", "drawn_by"}
)


class DrawRepository(Repository):
    """Draws by lot. The seed is written once: `record_draw` only updates a draw without one."""

    def add(self, draw: PanelDraw) -> int:
        published = columns_of(draw, skip=_NOT_PUBLISHED)
        row = DrawRow(**published, panel="[]", alternates="[]", witnesses="[]")
        return inserted_id(self.session, row)

    def get(self, draw_id: int) -> PanelDraw | None:
        row = self.session.get(DrawRow, draw_id)
        return None if row is None else _draw_value(row)

    def list(self, process_id: int | None = None) -> list[PanelDraw]:
        query = select(DrawRow).order_by(DrawRow.published_at.desc(), DrawRow.id.desc())
        if process_id is not None:
            query = query.where(DrawRow.process_id == process_id)
        return [_draw_value(r) for r in self.session.scalars(query)]

    def record_draw(self, draw: PanelDraw) -> bool:
        """Store the seed and its panel; False when the draw already had a seed (or is gone)."""
        result = self.session.execute(
            update(DrawRow)
            .where(DrawRow.id == draw.id, DrawRow.seed.is_(None))
            .values(
                seed=draw.seed,
                panel=json.dumps(list(draw.panel)),
                alternates=json.dumps(list(draw.alternates)),
                witnesses=json.dumps(list(draw.witnesses), ensure_ascii=False),
                drawn_at=draw.drawn_at,
                drawn_by=draw.drawn_by,
            )
        )
        return bool(getattr(result, "rowcount", 0) == 1)


def _draw_value(r: DrawRow) -> PanelDraw:
    return value_of(
        PanelDraw,
        r,
        lottery=bytes(r.lottery),
        published_at=_utc(r.published_at),
        panel=tuple(json.loads(r.panel)),
        alternates=tuple(json.loads(r.alternates)),
        witnesses=tuple(json.loads(r.witnesses)),
        drawn_at=None if r.drawn_at is None else _utc(r.drawn_at),
    )


def _utc(moment: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes: they were stored in UTC."""
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)
