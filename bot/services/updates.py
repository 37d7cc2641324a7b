"""Remembering which Telegram updates were handled, so a redelivery changes nothing twice.

An update's id is recorded in the same transaction as the first change its handler makes:
`bot.services.work.begin` calls `record_handling` just before it commits a unit of work that
wrote something, while an update is being handled (the update processor says which one). So a
process that dies in the middle of a handler leaves no record, and Telegram's redelivery of
that update runs the handler again; an update whose changes were committed is recorded with
them, and its redelivery changes nothing. When two processes handle
the same update at once (a webhook retried while the first delivery is still being handled),
exactly one commits: the other's transaction meets the recorded id and is rolled back
(`AlreadyHandled`)."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, event, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import ORMExecuteState, Session

from bot.db import Database
from bot.models import ProcessedUpdate


@dataclass(slots=True)
class HandlingUpdate:
    """The update the current task is handling."""

    update_id: int
    arrived_at: datetime
    recorded: bool = False  # its id is committed (by an earlier transaction of this update)


# Set by the update processor around each update's handlers (a task-local value, so updates
# handled concurrently never see each other's).
handling: ContextVar[HandlingUpdate | None] = ContextVar("handling", default=None)


class AlreadyHandled(Exception):
    """Another delivery of this update was handled (committed) first; this one changes
    nothing and is dropped quietly."""


WROTE = "wrote"  # key in Session.info: this transaction changed something


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _context: object) -> None:
    # Here the session still shows what it flushed. A row is "dirty" after any assignment,
    # also of the value it already had (a user's unchanged name): that writes nothing.
    if (
        session.new
        or session.deleted
        or any(session.is_modified(row, include_collections=False) for row in session.dirty)
    ):
        session.info[WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _executed(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[WROTE] = True


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _ended(session: Session) -> None:
    session.info.pop(WROTE, None)


async def record_handling(session: AsyncSession) -> HandlingUpdate | None:
    """Before a handler's transaction commits: if it wrote something, record the update being
    handled with it, unless an earlier transaction of the update did. Raises AlreadyHandled
    when another delivery recorded it first (the transaction then rolls back). Returns the
    update to mark `recorded` once this transaction committed."""
    current = handling.get()
    if current is None or current.recorded:
        return None
    if session.new or session.dirty or session.deleted:
        await session.flush()
    if not session.info.get(WROTE):
        return None
    session.add(ProcessedUpdate(update_id=current.update_id, processed_at=current.arrived_at))
    try:
        await session.flush()
    except IntegrityError as exc:
        raise AlreadyHandled(current.update_id) from exc
    return current


_HANDLED = (
    select(ProcessedUpdate.update_id).where(ProcessedUpdate.update_id == bindparam("id")).limit(1)
)


async def was_handled(db: Database, update_id: int) -> bool:
    """True when a delivery of this update was already handled (its changes committed).

    It runs before every update, so it is one read outside any transaction (autocommit):
    no write lock, no place in the line of SQLite's writers, no ORM session. A delivery
    committed a moment after this read is still caught, when this one records its changes
    (`record_handling` raises AlreadyHandled)."""
    async with db.engine.connect() as connection:
        reader = await connection.execution_options(isolation_level="AUTOCOMMIT")
        found = await reader.execute(_HANDLED, {"id": update_id})
        return found.first() is not None
