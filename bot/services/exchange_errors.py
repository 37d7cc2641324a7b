"""Why a tap or an answer on an exchange was not taken."""

from __future__ import annotations

import enum


class Stale(enum.Enum):
    NOT_YOURS = "not_yours"  # another couple's exchange, or the pairing has ended
    CLOSED = "closed"  # the exchange is over
    ALREADY = "already"  # pressed twice / answered already
    WRONG_STEP = "wrong_step"  # an old button from an earlier step


class ExchangeError(Exception):
    def __init__(self, reason: Stale) -> None:
        super().__init__(reason.value)
        self.reason = reason
