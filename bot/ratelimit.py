"""A small in-process sliding-window limiter (per user), for flood protection.

Counters live in memory only: they are short-lived by nature, vanish on restart, and are
dropped when a user erases their data. (A hand-written dozen lines instead of a library:
aiolimiter, already installed through PTB, paces callers by waiting, whereas here the bot
must refuse at once and answer calmly.)"""

from __future__ import annotations

from collections import deque
from datetime import datetime, timedelta


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
