"""Why a tap or an answer on an exchange was not taken."""

from __future__ import annotations

import enum


class Stale(enum.Enum):
    NOT_YOURS = "not_yours"  # another couple's exchange, or the pairing has ended
    CLOSED = "closed"  # the exchange is over
    ALREADY = "already"  # pressed twice / answered already
    WRONG_STEP = "wrong_step"  # an old button from an earlier step
    ANSWERED = "answered"  # today's question has an answer already: it stays


class ExchangeError(Exception):
    def __init__(self, reason: Stale) -> None:
        super().__init__(reason.value)
        self.reason = reason


class TooLong(Exception):
    """Words longer than their step allows (the caller may keep them as a draft)."""

    def __init__(self, length: int, limit: int) -> None:
        super().__init__(f"{length} > {limit}")
        self.length = length
        self.limit = limit
