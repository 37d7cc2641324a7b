"""The playground's clock: real time plus an offset that only ever grows.

It keeps ticking like a wall clock (so long polling, typing and timeouts behave normally), and
"+1 day" or "skip to the next ritual" just add to the offset.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class OffsetClock:
    """A :class:`bot.clock.Clock` that runs ``offset`` ahead of the system clock."""

    def __init__(self, offset: timedelta = timedelta(0)) -> None:
        self._offset = offset

    @property
    def offset(self) -> timedelta:
        return self._offset

    def now(self) -> datetime:
        return datetime.now(UTC) + self._offset

    def advance(self, delta: timedelta) -> datetime:
        """Move forward by ``delta`` (negative deltas are refused: the bot's data would lie)."""
        if delta < timedelta(0):
            raise ValueError("the playground clock only moves forward")
        self._offset += delta
        return self.now()

    def jump_to(self, moment: datetime) -> datetime:
        """Move forward to ``moment``; a moment in the past leaves the clock alone."""
        if moment.tzinfo is None:
            raise ValueError("jump_to needs an aware datetime")
        gap = moment - self.now()
        if gap > timedelta(0):
            self._offset += gap
        return self.now()
