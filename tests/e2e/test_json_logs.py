"""A whole session logged with LOG_FORMAT=json at DEBUG: every line is one JSON object, and the
token (which PTB and httpx put in request URLs) never appears."""

from __future__ import annotations

import io
import json
import logging
from datetime import UTC, datetime

import pytest
from telegram.ext import Application

from bot.clock import FakeClock
from bot.local_api import LocalBotApi
from bot.logging_setup import log_handler
from scheduler.jobs import tick
from tests.e2e.conftest import pair_up


async def test_a_session_in_json_lines_without_the_token(
    api: LocalBotApi, bot: Application, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    stream = io.StringIO()
    handler = log_handler("json", (api.token,), stream=stream)
    root = logging.getLogger()
    root.addHandler(handler)
    caplog.set_level(logging.DEBUG)
    try:
        ann, ben = api.user(1001, "Ann"), api.user(1002, "Ben")
        clock.set(datetime(2026, 6, 8, 8, 0, tzinfo=UTC))
        await pair_up(api, ann, ben)
        await ann.send("/timezone Berlin")  # the noon appreciation: 10:30 UTC
        await ann.next_message()
        api.fail_next("sendMessage", error_code=429, retry_after=1, chat_id=ann.chat_id)
        clock.set(datetime(2026, 6, 8, 10, 30, tzinfo=UTC))
        await tick(bot)
        await ann.next_message()
    finally:
        root.removeHandler(handler)
    lines = stream.getvalue().splitlines()
    assert len(lines) > 20  # PTB and httpx did log at DEBUG
    records = [json.loads(line) for line in lines]
    assert all({"ts", "level", "logger", "message"} <= set(r) for r in records)
    assert any(r["logger"].startswith("httpx") for r in records)
    assert any("Rate limit hit" in r["message"] for r in records)  # the 429
    assert api.token.split(":", 1)[1] not in stream.getvalue()
