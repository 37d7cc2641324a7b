"""Error and latency injection: make the next N calls of a method fail, stall, or wait in the
server until the test lets them go."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from bot.local_api.errors import ApiError


@dataclass
class FaultRule:
    method: str  # lower-cased Bot API method name
    remaining: int
    chat_id: int | None = None
    error_code: int | None = None
    description: str | None = None
    retry_after: int | None = None
    delay: float = 0.0
    hold: HeldCall | None = None

    def matches(self, method: str, params: dict[str, Any]) -> bool:
        if self.remaining <= 0 or self.method != method:
            return False
        return self.chat_id is None or params.get("chat_id") == self.chat_id


class HeldCall:
    """A call that :meth:`FaultInjector.hold_next` keeps waiting in the server: the test knows
    when it got there (:meth:`wait_arrived`) and decides when it goes on (:meth:`release`),
    so "while the bot is in the middle of this call" needs no guess at how long that is."""

    def __init__(self, method: str) -> None:
        self.method = method
        self._arrived = asyncio.Event()
        self._released = asyncio.Event()

    @property
    def arrived(self) -> bool:
        """The call reached the server and is being held (or was, before :meth:`release`)."""
        return self._arrived.is_set()

    async def wait_arrived(self, timeout: float = 30.0) -> None:  # noqa: ASYNC109
        """Return once the call is held in the server; ``TimeoutError`` after ``timeout``."""
        async with asyncio.timeout(timeout):
            await self._arrived.wait()

    def release(self) -> None:
        """Let the call go on (and be answered as usual); also before it arrived."""
        self._released.set()

    async def hold(self) -> None:
        """Called by the server for the held call."""
        self._arrived.set()
        await self._released.wait()


@dataclass(frozen=True)
class Fault:
    """What to do with one matching call: wait until ``hold`` is released, wait ``delay``
    seconds, then maybe raise ``error``."""

    delay: float = 0.0
    error: ApiError | None = None
    hold: HeldCall | None = None


class FaultInjector:
    """Rules are consumed in the order they were added; each rule fires ``times`` times."""

    def __init__(self) -> None:
        self._rules: list[FaultRule] = []
        self._holds: list[HeldCall] = []

    def fail_next(
        self,
        method: str,
        *,
        error_code: int,
        description: str | None = None,
        retry_after: int | None = None,
        chat_id: int | None = None,
        times: int = 1,
    ) -> None:
        if error_code == 429 and retry_after is None:
            retry_after = 1
        self._rules.append(
            FaultRule(
                method=method.lower(),
                remaining=times,
                chat_id=chat_id,
                error_code=error_code,
                description=description,
                retry_after=retry_after,
            )
        )

    def delay_next(
        self, method: str, seconds: float, *, chat_id: int | None = None, times: int = 1
    ) -> None:
        self._rules.append(
            FaultRule(method=method.lower(), remaining=times, chat_id=chat_id, delay=seconds)
        )

    def hold_next(self, method: str, *, chat_id: int | None = None) -> HeldCall:
        """The next call of ``method`` waits in the server until the returned handle's
        ``release()`` (or until the server stops)."""
        held = HeldCall(method)
        self._rules.append(
            FaultRule(method=method.lower(), remaining=1, chat_id=chat_id, hold=held)
        )
        self._holds.append(held)
        return held

    def release_all(self) -> None:
        """Let every held call go on (the server is stopping)."""
        for held in self._holds:
            held.release()

    def take(self, method: str, params: dict[str, Any]) -> Fault | None:
        """Consume the first rule matching this call, if any."""
        method = method.lower()
        for rule in self._rules:
            if rule.matches(method, params):
                rule.remaining -= 1
                if rule.remaining <= 0:
                    self._rules.remove(rule)
                error = None
                if rule.error_code is not None:
                    error = ApiError(
                        rule.error_code,
                        rule.description,
                        retry_after=rule.retry_after if rule.error_code == 429 else None,
                    )
                return Fault(delay=rule.delay, error=error, hold=rule.hold)
        return None

    def clear(self) -> None:
        self._rules.clear()

    @property
    def pending(self) -> list[FaultRule]:
        return list(self._rules)
