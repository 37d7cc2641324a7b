"""Error and latency injection: make the next N calls of a method fail or stall."""

from __future__ import annotations

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

    def matches(self, method: str, params: dict[str, Any]) -> bool:
        if self.remaining <= 0 or self.method != method:
            return False
        return self.chat_id is None or params.get("chat_id") == self.chat_id


@dataclass(frozen=True)
class Fault:
    """What to do with one matching call: wait ``delay`` seconds, then maybe raise ``error``."""

    delay: float = 0.0
    error: ApiError | None = None


class FaultInjector:
    """Rules are consumed in the order they were added; each rule fires ``times`` times."""

    def __init__(self) -> None:
        self._rules: list[FaultRule] = []

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
                return Fault(delay=rule.delay, error=error)
        return None

    def clear(self) -> None:
        self._rules.clear()

    @property
    def pending(self) -> list[FaultRule]:
        return list(self._rules)
