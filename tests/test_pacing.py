"""The pace of what the bot sends: per chat (a burst, then one a second) and through PTB's
rate limiter, on a fake clock (no test here waits in real time)."""

from __future__ import annotations

from typing import Any

import pytest

from bot.ratelimit import CHAT_BURST, PacedRateLimiter, Pacer, is_paced


class FakeTime:
    """A monotonic clock that moves only when something sleeps (or the test moves it)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_a_chat_gets_its_burst_then_one_a_second() -> None:
    clock = FakeTime()
    pacer = Pacer(1.0, clock=clock)
    assert CHAT_BURST == 3
    assert [pacer.reserve(7) for _ in range(6)] == [0, 0, 0, 1.0, 2.0, 3.0]


def test_chats_are_paced_apart_and_a_quiet_chat_recovers() -> None:
    clock = FakeTime()
    pacer = Pacer(1.0, burst=2, clock=clock)
    assert [pacer.reserve(7), pacer.reserve(7), pacer.reserve(7)] == [0, 0, 1.0]
    assert pacer.reserve(8) == 0  # another chat is not held back by chat 7
    clock.now += 3.0  # the slot taken at +1 s passed; two seconds of quiet refill the burst
    assert [pacer.reserve(7), pacer.reserve(7), pacer.reserve(7)] == [0, 0, 1.0]


def test_delay_looks_without_taking() -> None:
    clock = FakeTime()
    pacer = Pacer(2.0, burst=1, clock=clock)
    assert pacer.delay(5) == 0
    assert pacer.delay(5) == 0  # looking twice takes nothing
    pacer.reserve(5)
    assert pacer.delay(5) == pytest.approx(0.5)


def test_a_pace_across_ticks_is_one_pace() -> None:
    """The same pacer serves every caller: three messages now, three more a moment later
    (another tick, a reply), and the later ones wait for their slots."""
    clock = FakeTime()
    pacer = Pacer(1.0, clock=clock)
    first = [pacer.reserve(7) for _ in range(3)]
    clock.now += 0.5
    second = [pacer.reserve(7) for _ in range(3)]
    assert first == [0, 0, 0]
    assert second == [pytest.approx(0.5), pytest.approx(1.5), pytest.approx(2.5)]


def test_quiet_chats_are_forgotten() -> None:
    clock = FakeTime()
    pacer = Pacer(1.0, clock=clock)
    for chat in range(Pacer.PRUNE_ABOVE + 1):
        pacer.reserve(chat)
    clock.now += 10
    pacer.reserve(-1)
    assert len(pacer) == 1


@pytest.mark.parametrize(
    ("endpoint", "paced"),
    [
        ("sendMessage", True),
        ("sendPhoto", True),
        ("editMessageText", True),
        ("editMessageReplyMarkup", True),
        ("copyMessage", True),
        ("answerCallbackQuery", False),
        ("sendChatAction", False),
        ("getUpdates", False),
        ("setMyCommands", False),
    ],
)
def test_what_counts_as_a_message(endpoint: str, paced: bool) -> None:
    assert is_paced(endpoint) is paced


async def _through(limiter: PacedRateLimiter, endpoint: str, data: dict[str, Any]) -> None:
    async def call(*args: Any, **kwargs: Any) -> bool:
        return True

    await limiter.process_request(call, (), {}, endpoint, data, None)


async def test_the_rate_limiter_paces_messages_and_edits_per_chat() -> None:
    clock = FakeTime()
    limiter = PacedRateLimiter(
        overall_per_second=0, chat_pacer=Pacer(1.0, clock=clock, sleep=clock.sleep)
    )
    for _ in range(3):
        await _through(limiter, "sendMessage", {"chat_id": 7, "text": "hi"})
    assert clock.slept == []
    await _through(limiter, "editMessageText", {"chat_id": 7, "text": "edited"})
    assert clock.slept == [1.0]
    await _through(limiter, "sendMessage", {"chat_id": 8, "text": "another chat"})
    await _through(limiter, "answerCallbackQuery", {"callback_query_id": "1"})
    await _through(limiter, "sendChatAction", {"chat_id": 7, "action": "typing"})
    assert clock.slept == [1.0]  # none of these waited
    await _through(limiter, "sendMessage", {"chat_id": 7, "text": "again"})
    assert clock.slept == [1.0, 1.0]


async def test_without_a_chat_pacer_nothing_waits_for_its_chat() -> None:
    limiter = PacedRateLimiter(overall_per_second=0, chat_pacer=None)
    for _ in range(10):
        await _through(limiter, "sendMessage", {"chat_id": 7, "text": "hi"})
