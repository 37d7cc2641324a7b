"""Writing down a batch's deliveries in a few transactions instead of two per row.

- Rows about to be sent are marked `sending` together: a delivery asks, and waits; the ones
  that ask while a write is under way (or in the same turn of the event loop) join the next
  write (a group commit). A row is still marked just before its own HTTP call, never earlier,
  so a crash leaves unsent only the rows that were in flight. A group's prompts are then
  composed together (`on_started`), in one transaction, as each used to be after its mark.
- Outcomes are kept in memory and written together at the end of the batch (`flush`). A
  crash before that leaves a delivered row `sending`: it ends as `unknown` and is never
  resent, which is right for a row that did reach Telegram. A row to retry (provably not
  delivered; rare) is written at once, in a transaction of its own, so that no crash can
  turn it into `unknown`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import groupby

from bot.db import Database
from bot.models import OutboxStatus
from bot.services import outbox


@dataclass(frozen=True, slots=True)
class Recorded:
    """What became of one row."""

    row_id: int
    status: OutboxStatus
    reason: str | None = None


class Ledger:
    def __init__(
        self,
        db: Database,
        worker: str,
        now: datetime,
        on_started: Callable[[list[int]], Awaitable[None]] | None = None,
    ) -> None:
        self.db = db
        self.worker = worker
        self.now = now
        # Runs once a group of rows is marked `sending`, before any of them is sent (e.g.
        # composing their prompts together).
        self.on_started = on_started
        self._starting: dict[int, asyncio.Future[bool]] = {}
        self._outcomes: list[Recorded] = []
        self._writer: asyncio.Task[None] | None = None

    async def start(self, row_id: int) -> bool:
        """Mark the row `sending` (with whichever rows ask at the same time). False when the
        lease was lost: another process took the row over, and it must not be sent here."""
        future = asyncio.get_running_loop().create_future()
        self._starting[row_id] = future
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_while_asked())
        return await future

    def record(self, outcome: Recorded) -> None:
        self._outcomes.append(outcome)

    async def retry_later(self, row_id: int, reason: str, delay: timedelta | None) -> None:
        async with self.db.transaction() as session:
            await outbox.retry_later(session, row_id, self.now, reason, delay)

    async def flush(self) -> None:
        """Write every outcome recorded so far (the end of a batch)."""
        if self._writer is not None:
            await self._writer
        outcomes, self._outcomes = self._outcomes, []
        if not outcomes:
            return
        async with self.db.transaction() as session:
            for (status, reason), rows in groupby(sorted(outcomes, key=_key), key=_key):
                ids = [row.row_id for row in rows]
                await outbox.finish(session, ids, OutboxStatus(status), self.now, reason or None)

    async def _write_while_asked(self) -> None:
        await asyncio.sleep(0)  # the deliveries ready in this turn ask too
        while self._starting:
            starting, self._starting = self._starting, {}
            try:
                started = await self._write(list(starting))
                if self.on_started is not None and started:
                    await self.on_started([row_id for row_id in starting if row_id in started])
            except asyncio.CancelledError:
                for future in starting.values():
                    future.cancel()
                raise
            except Exception as exc:  # each delivery that asked fails with it
                for future in starting.values():
                    future.set_exception(exc)
                return
            for row_id, future in starting.items():
                future.set_result(row_id in started)

    async def _write(self, starting: list[int]) -> set[int]:
        async with self.db.transaction() as session:
            return await outbox.start_sending(session, starting, self.worker, self.now)


def _key(row: Recorded) -> tuple[str, str]:  # rows written by one statement
    return (row.status, row.reason or "")
