"""A unit of work: what a handler holds while services do one piece of the product's work.

A handler opens one (`begin`) and passes it, unopened, to the services it calls; everything
they do in it is committed together when the block ends, or rolled back if the block raises.
Only services look inside (`Work.session`); handlers see people and views, never rows.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import Database
from bot.services.updates import record_handling


class Work:
    """One database transaction, as services receive it."""

    __slots__ = ("_kept", "outbox", "session")

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._kept: list[object] = []
        # Outbox rows queued in this unit of work: committed with it, sent once it committed.
        self.outbox: list[int] = []

    def keep(self, row: object) -> None:
        """Hold `row` while the work lasts. The session holds its rows only weakly; a row that a
        service handed out as a view is found again, unchanged and without a query, when the
        view comes back (see `bot.services.people.row_of`)."""
        self._kept.append(row)


@asynccontextmanager
async def begin(db: Database) -> AsyncIterator[Work]:
    """A unit of work on `db`: committed on success, rolled back on error. While an update is
    being handled, its id is recorded in the first such unit of work that changes something,
    together with those changes (see `bot.services.updates`)."""
    async with db.transaction() as session:
        yield Work(session)
        handling = await record_handling(session)
    if handling is not None:
        handling.recorded = True
