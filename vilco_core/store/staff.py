"""The staff repository: accounts, their communes, password hashes and login lockout."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import and_, case, or_, select, update

from vilco_core.model import Role, StaffUser
from vilco_core.store.rows import Repository
from vilco_core.store.tables import StaffUserCommuneRow, StaffUserRow


def _staff_user(row: StaffUserRow, commune_codes: Iterable[str]) -> StaffUser:
    return StaffUser(
        username=row.username,
        name=row.name,
        role=Role(row.role),
        commune_codes=tuple(sorted(commune_codes)),
        disabled_at=row.disabled_at,
    )


class StaffRepository(Repository):
    """Staff accounts. Password hashes and lockout state never leave this repository except
    through `credentials`, which feeds the login widget."""

    def add(self, user: StaffUser, password_hash: str) -> None:
        self.session.add(
            StaffUserRow(
                username=user.username,
                name=user.name,
                role=user.role.value,
                password_hash=password_hash,
            )
        )
        self.session.flush()
        self.session.add_all(
            StaffUserCommuneRow(username=user.username, commune_code=c) for c in user.commune_codes
        )

    def set_password(self, username: str, password_hash: str) -> None:
        self.session.execute(
            update(StaffUserRow)
            .where(StaffUserRow.username == username)
            .values(password_hash=password_hash, failed_logins=0, locked_until=None)
        )

    def set_disabled(self, username: str, disabled_at: dt.datetime | None) -> None:
        self.session.execute(
            update(StaffUserRow)
            .where(StaffUserRow.username == username)
            .values(disabled_at=disabled_at)
        )

    def get(self, username: str) -> StaffUser | None:
        row = self.session.get(StaffUserRow, username)
        if row is None:
            return None
        codes = self.session.scalars(
            select(StaffUserCommuneRow.commune_code).where(StaffUserCommuneRow.username == username)
        )
        return _staff_user(row, codes)

    def credentials(self) -> list[tuple[StaffUser, str, int, dt.datetime | None]]:
        """(user, password hash, failed logins, locked until) for every account."""
        rows = list(self.session.scalars(select(StaffUserRow).order_by(StaffUserRow.username)))
        communes: dict[str, list[str]] = {}
        for username, code in self.session.execute(
            select(StaffUserCommuneRow.username, StaffUserCommuneRow.commune_code)
        ):
            communes.setdefault(username, []).append(code)
        return [
            (
                _staff_user(r, communes.get(r.username, ())),
                r.password_hash,
                r.failed_logins,
                r.locked_until,
            )
            for r in rows
        ]

    def count_attempt(
        self, username: str, now: dt.datetime
    ) -> tuple[int, dt.datetime | None] | None:
        # One UPDATE ... RETURNING: parallel attempts each get their own number, so no more
        # than the limit can be checked however many arrive at once.
        row = StaffUserRow
        expired = and_(row.locked_until.is_not(None), row.locked_until <= now)
        found = self.session.execute(
            update(row)
            .where(row.username == username)
            .values(
                failed_logins=case((expired, 1), else_=row.failed_logins + 1),
                locked_until=case((expired, None), else_=row.locked_until),
            )
            .returning(row.failed_logins, row.locked_until)
        ).one_or_none()
        return None if found is None else (found[0], found[1])

    def lock(self, username: str, until: dt.datetime) -> bool:
        locked = self.session.execute(
            update(StaffUserRow)
            .where(StaffUserRow.username == username, StaffUserRow.locked_until.is_(None))
            .values(locked_until=until)
            .returning(StaffUserRow.username)
        ).one_or_none()
        return locked is not None

    def clear_attempts(self, username: str, now: dt.datetime, attempt: int) -> bool:
        row = StaffUserRow
        unlocked = and_(
            row.username == username, or_(row.locked_until.is_(None), row.locked_until <= now)
        )
        found = self.session.execute(
            update(row)
            .where(unlocked)
            .values(
                failed_logins=case((row.failed_logins == attempt, 0), else_=row.failed_logins),
                locked_until=None,
            )
            .returning(row.username)
        ).one_or_none()
        return found is not None

    def count(self) -> int:
        return len(list(self.session.scalars(select(StaffUserRow.username))))
