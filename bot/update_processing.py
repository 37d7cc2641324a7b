"""How updates are processed: different users' updates at the same time, each user's own in
the order they came, with an event after each update is fully handled — whatever the
handlers did, including stopping early.

While one update waits (for the database, or for Telegram to take a reply), others go on:
processed strictly one at a time, the bot spent most of its time waiting on one update's
HTTP call. A user's updates stay in order (a tap after the message that asked for it).
Two partners' updates may run at once, as they may on two instances in webhook mode: what
they share is guarded by the couple's lock in the database (bot/services), not by the order
of updates.

Tests wait on `HandledUpdates` for a positive signal that the bot finished with every update
sent so far before they assert that nothing (more) happened; it is also where per-update
timing belongs."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.clock import Clock, SystemClock
from bot.services import updates

# Updates handled at once. Far more than the bot's database connections: most of them wait
# for Telegram, not for the database.
MAX_CONCURRENT_UPDATES = 64


class HandledUpdates:
    """The ids of updates the bot has finished handling (the newest ones), and of those it is
    handling now, with waiting."""

    KEEP = 10_000

    def __init__(self) -> None:
        self._ids: dict[int, None] = {}
        self._running: set[int] = set()
        self._changed = asyncio.Condition()

    def __contains__(self, update_id: int) -> bool:
        return update_id in self._ids

    def start(self, update_id: int) -> None:
        self._running.add(update_id)

    async def mark(self, update_id: int) -> None:
        async with self._changed:
            self._running.discard(update_id)
            self._ids[update_id] = None
            if len(self._ids) > self.KEEP:
                del self._ids[next(iter(self._ids))]
            self._changed.notify_all()

    def all_done_up_to(self, update_id: int) -> bool:
        """`update_id` was handled and no earlier update is still being handled."""
        return update_id in self._ids and not any(i < update_id for i in self._running)

    async def wait_for(self, update_id: int, timeout: float) -> None:  # noqa: ASYNC109
        """Return once `update_id` and every update before it (that the bot received) were
        handled; TimeoutError after `timeout` seconds. Updates reach the processor in order,
        so an earlier one is either handled or being handled by then."""
        async with asyncio.timeout(timeout), self._changed:
            await self._changed.wait_for(lambda: self.all_done_up_to(update_id))


def _order_key(update: object) -> object:
    """Updates with the same key are handled one after another: a user's own updates."""
    if isinstance(update, Update):
        user = update.effective_user
        return ("user", user.id) if user is not None else ("update", update.update_id)
    return ("other", id(update))


class NotifyingUpdateProcessor(BaseUpdateProcessor):
    """Up to `concurrency` updates at once, each user's in order; `handled` learns of each
    one when it is done, and `observe` (if given) first hears how long that took since the
    update arrived here (waiting behind the same user's earlier updates included)."""

    def __init__(
        self,
        handled: HandledUpdates,
        observe: Callable[[float], None] | None = None,
        clock: Clock | None = None,
        *,
        concurrency: int = MAX_CONCURRENT_UPDATES,
    ) -> None:
        super().__init__(max_concurrent_updates=concurrency)
        self.handled = handled
        self.observe = observe
        self.clock = clock or SystemClock()
        # key -> the newest update of that key: done when it was handled
        self._last: dict[object, asyncio.Future[None]] = {}

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        # Updates come here in the order they arrived (PTB starts one task per update, in
        # order, and the semaphore before this serves them first come, first served); the
        # place in the key's line is taken before the first await, so it keeps that order.
        arrived = time.perf_counter()
        update_id = update.update_id if isinstance(update, Update) else None
        if update_id is not None:
            self.handled.start(update_id)
        key = _order_key(update)
        before = self._last.get(key)
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._last[key] = done
        # The handlers' first unit of work that changes something records the update's id
        # with those changes (`bot.services.updates`). Each update runs in its own task, so
        # this value is the update's own.
        being_handled = updates.handling.set(
            updates.HandlingUpdate(update_id, self.clock.now()) if update_id is not None else None
        )
        try:
            if before is not None:
                try:
                    await before
                except BaseException:  # cancelled (the bot is stopping) before its turn
                    if asyncio.iscoroutine(coroutine):
                        coroutine.close()
                    raise
            await coroutine
        finally:
            updates.handling.reset(being_handled)
            done.set_result(None)
            if self._last.get(key) is done:
                del self._last[key]
            if self.observe is not None:  # before `handled` is told: a waiter sees it too
                self.observe(time.perf_counter() - arrived)
            if update_id is not None:
                await self.handled.mark(update_id)
