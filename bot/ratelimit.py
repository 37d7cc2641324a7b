"""Limits kept in memory: a sliding window per user (flood protection), and the pace of what
the bot sends (overall and per chat, in PTB's rate limiter).

Flood counters live in memory only: they are short-lived by nature, vanish on restart, and are
dropped when a user erases their data. (A hand-written dozen lines instead of a library:
aiolimiter, already installed through PTB, paces callers by waiting, whereas here the bot
must refuse at once and answer calmly. The per-chat pace is hand-written for a like reason:
each caller gets its slot the moment it asks, so one chat's messages keep their order, and
the same bookkeeping answers "is a slot free now?" for the local Bot API server's 429s.)"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from datetime import datetime, timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter


class SlidingWindow:
    def __init__(self, limit: int, window: timedelta) -> None:
        self.limit = limit
        self.window = window
        self._hits: dict[int, deque[datetime]] = {}

    def hit(self, key: int, now: datetime) -> bool:
        """Record one event; False when the key is over its limit (the event is not counted)."""
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if len(hits) >= self.limit:
            return False
        hits.append(now)
        return True

    def prune(self, now: datetime) -> None:
        """Drop keys whose hits all left the window (keeps memory flat)."""
        for key in [
            k for k, hits in self._hits.items() if not hits or hits[-1] <= now - self.window
        ]:
            del self._hits[key]

    def forget(self, key: int) -> None:
        self._hits.pop(key, None)

    def __len__(self) -> int:
        return len(self._hits)


# ---------------------------------------------------------------------- pacing what the bot sends

CHAT_BURST = 3  # messages a chat may get at once before the per-chat pace applies


class Pacer:
    """A pace per key (a chat): `rate` events a second, up to `burst` at once (the generic
    cell rate algorithm: one "theoretical arrival time" per key, nothing else). Each caller is
    given its own slot when it asks, so callers for one key go in the order they asked, and a
    key that has been quiet long enough is forgotten (a fresh key is allowed its burst)."""

    PRUNE_ABOVE = 4096  # keys kept before quiet ones are dropped

    def __init__(
        self,
        rate: float,
        burst: int = CHAT_BURST,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("a pace needs a positive rate and a burst of at least 1")
        self.rate = rate
        self.burst = burst
        self._interval = 1.0 / rate
        self._tolerance = (burst - 1) * self._interval
        self._clock = clock
        self._sleep = sleep
        self._due: dict[int, float] = {}  # key -> its theoretical arrival time

    def reserve(self, key: int) -> float:
        """Take the key's next slot; how many seconds the caller must wait for it."""
        now = self._clock()
        if len(self._due) > self.PRUNE_ABOVE:
            self._due = {k: due for k, due in self._due.items() if due > now}
        due = max(self._due.get(key, now), now)
        self._due[key] = due + self._interval
        return max(0.0, due - self._tolerance - now)

    def delay(self, key: int) -> float:
        """How many seconds the key's next slot is away (0: free now); nothing is taken."""
        now = self._clock()
        return max(0.0, max(self._due.get(key, now), now) - self._tolerance - now)

    async def wait(self, key: int) -> None:
        delay = self.reserve(key)
        if delay > 0:
            await self._sleep(delay)

    def __len__(self) -> int:
        return len(self._due)


# Bot API methods that put a message into a chat or change one: the per-chat pace applies.
# (answerCallbackQuery, getUpdates, sendChatAction and the like are not messages.)
PACED_PREFIXES = ("send", "edit", "copymessage", "forwardmessage")
NOT_PACED = frozenset({"sendchataction"})


def is_paced(endpoint: str) -> bool:
    name = endpoint.lower()
    return name.startswith(PACED_PREFIXES) and name not in NOT_PACED


class PacedRateLimiter(AIORateLimiter):
    """PTB's AIORateLimiter (the whole bot's pace: `overall_per_second`, 0 for none) plus one
    pace per chat (`chat_pacer`, None for none) for every message and edit the bot sends:
    replies, relays and scheduled prompts alike, since every Bot API call passes through here.
    The chat's slot is waited for before the overall one, so a message waiting for its chat
    never holds a share of the overall pace. Every 429 answer (retries included) is reported
    to `on_429`."""

    def __init__(
        self,
        *,
        overall_per_second: float,
        chat_pacer: Pacer | None,
        on_429: Callable[[], None] = lambda: None,
        max_retries: int = 3,
    ) -> None:
        super().__init__(
            overall_max_rate=overall_per_second,
            overall_time_period=1 if overall_per_second else 0,
            max_retries=max_retries,
        )
        self.chat_pacer = chat_pacer
        self._on_429 = on_429

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        chat_id = data.get("chat_id")
        if self.chat_pacer is not None and isinstance(chat_id, int) and is_paced(endpoint):
            await self.chat_pacer.wait(chat_id)

        async def counted(*call_args: Any, **call_kwargs: Any) -> Any:
            try:
                return await callback(*call_args, **call_kwargs)
            except RetryAfter:
                self._on_429()
                raise

        return await super().process_request(counted, args, kwargs, endpoint, data, rate_limit_args)
