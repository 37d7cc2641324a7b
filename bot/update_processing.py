"""How updates are processed: one at a time (python-telegram-bot's default), with an event
after each update is fully handled — whatever the handlers did, including stopping early —
and the update's id at hand for the handlers' first transaction to record
(`bot.services.updates`).

Tests wait on it for a positive signal that the bot finished with an update before they
assert that nothing (more) happened; it is also where per-update timing belongs."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import SimpleUpdateProcessor

from bot.clock import Clock, SystemClock
from bot.services import updates


class HandledUpdates:
    """The ids of updates the bot has finished handling (the newest ones), with waiting."""

    KEEP = 10_000

    def __init__(self) -> None:
        self._ids: dict[int, None] = {}
        self._changed = asyncio.Condition()

    def __contains__(self, update_id: int) -> bool:
        return update_id in self._ids

    async def mark(self, update_id: int) -> None:
        async with self._changed:
            self._ids[update_id] = None
            if len(self._ids) > self.KEEP:
                del self._ids[next(iter(self._ids))]
            self._changed.notify_all()

    async def wait_for(self, update_id: int, timeout: float) -> None:  # noqa: ASYNC109
        """Return once `update_id` was handled; TimeoutError after `timeout` seconds."""
        async with asyncio.timeout(timeout), self._changed:
            await self._changed.wait_for(lambda: update_id in self._ids)


class NotifyingUpdateProcessor(SimpleUpdateProcessor):
    """Updates one at a time, in order; `handled` learns of each one when it is done, and
    `observe` (if given) first hears how long that took since the update arrived here."""

    def __init__(
        self,
        handled: HandledUpdates,
        observe: Callable[[float], None] | None = None,
        clock: Clock | None = None,
    ) -> None:
        super().__init__(max_concurrent_updates=1)
        self.handled = handled
        self.observe = observe
        self.clock = clock or SystemClock()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        # One update at a time: the processor's semaphore is never contended, so this is the
        # update's arrival here (waiting in PTB's update queue before it is not included).
        arrived = time.perf_counter()
        # The handlers' first unit of work records the update's id with their own changes.
        being_handled = updates.handling.set(
            updates.HandlingUpdate(update.update_id, self.clock.now())
            if isinstance(update, Update)
            else None
        )
        try:
            await coroutine
        finally:
            updates.handling.reset(being_handled)
            if self.observe is not None:  # before `handled` is told: a waiter sees it too
                self.observe(time.perf_counter() - arrived)
            if isinstance(update, Update):
                await self.handled.mark(update.update_id)
