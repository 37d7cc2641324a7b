"""Telegram's flood limits, optionally: messages per second overall and per chat. A message
past a limit is refused with 429 and a ``retry_after``, as Telegram does; every accepted
message is counted per second, overall and per chat, so a benchmark can show how close to
the limits the bot went."""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from bot.local_api.errors import ApiError
from bot.ratelimit import CHAT_BURST, Pacer, is_paced

OVERALL = 0  # the key of the whole bot's pace


class SendLimits:
    """``per_second``: the whole bot (a burst of as many); ``per_chat``: each chat (a burst of
    ``chat_burst``); None lifts a limit. A message up to ``slack`` seconds early is let
    through: requests leave the bot paced, but reach the server a little bunched."""

    def __init__(
        self,
        per_second: float | None = None,
        per_chat: float | None = None,
        *,
        chat_burst: int = CHAT_BURST,
        slack: float = 0.05,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._overall = (
            Pacer(per_second, max(1, int(per_second)), clock=clock) if per_second else None
        )
        self._chats = Pacer(per_chat, chat_burst, clock=clock) if per_chat else None
        self._slack = slack
        self._clock = clock
        self._started = clock()
        self.refused = 0  # 429 answers given
        self.per_second: Counter[int] = Counter()  # second since start -> messages accepted
        self.per_chat_second: Counter[tuple[int, int]] = Counter()  # (chat, second) -> count

    def check(self, method: str, params: dict[str, Any]) -> None:
        """Count a message to a chat, or raise a 429 ApiError when it passes a limit."""
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int) or not is_paced(method):
            return
        waits = [
            pacer.delay(key)
            for pacer, key in ((self._overall, OVERALL), (self._chats, chat_id))
            if pacer is not None
        ]
        wait = max(waits, default=0.0)
        if wait > self._slack:
            self.refused += 1
            raise ApiError(429, retry_after=max(1, math.ceil(wait)))
        if self._overall is not None:
            self._overall.reserve(OVERALL)
        if self._chats is not None:
            self._chats.reserve(chat_id)
        second = int(self._clock() - self._started)
        self.per_second[second] += 1
        self.per_chat_second[chat_id, second] += 1

    @property
    def busiest_second(self) -> int:
        """The most messages accepted in one second (counted from the start)."""
        return max(self.per_second.values(), default=0)

    @property
    def busiest_chat_second(self) -> int:
        """The most messages one chat got in one second."""
        return max(self.per_chat_second.values(), default=0)
