"""What the bot writes to its logs during a whole session."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest
from telegram.ext import Application

from bot.clock import FakeClock
from bot.local_api import LocalBotApi
from bot.logging_setup import install_redaction
from scheduler.jobs import tick
from tests.e2e.conftest import pair_up


async def test_debug_logs_never_contain_the_token(
    api: LocalBotApi, bot: Application, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    install_redaction((api.token,), handler=caplog.handler)
    caplog.set_level(logging.DEBUG)
    ann, ben = api.user(1001, "Ann"), api.user(1002, "Ben")
    clock.set(datetime(2026, 6, 8, 8, 0, tzinfo=UTC))
    await pair_up(api, ann, ben)
    await ann.send("/timezone Berlin")
    await ann.next_message()
    api.fail_next("sendMessage", error_code=429, retry_after=1, chat_id=ann.chat_id)
    clock.set(datetime(2026, 6, 8, 10, 30, tzinfo=UTC))
    await tick(bot)
    await ann.next_message()
    await ann.send("/unpair")
    await ann.press("Yes, end it", await ann.next_message())
    await ben.next_message()
    assert len(caplog.records) > 20  # PTB and httpx did log at DEBUG
    text = caplog.text + "".join(str(r.args) for r in caplog.records)
    assert api.token not in text
    assert api.token.split(":", 1)[1] not in text
