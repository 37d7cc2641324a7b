"""Fixtures for the local Bot API tests: a started server, a real PTB Bot and raw HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
import pytest_asyncio
from telegram import Bot

from bot.local_api import LocalBotApi


@pytest_asyncio.fixture
async def api() -> AsyncIterator[LocalBotApi]:
    async with LocalBotApi() as server:
        yield server


@pytest_asyncio.fixture
async def bot(api: LocalBotApi) -> AsyncIterator[Bot]:
    telegram_bot = Bot(api.token, base_url=api.base_url, base_file_url=api.base_file_url)
    await telegram_bot.initialize()
    yield telegram_bot
    await telegram_bot.shutdown()


@pytest_asyncio.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def method_url(api: LocalBotApi) -> str:
    """URL prefix for raw calls: ``f"{method_url}/getMe"``."""
    return f"{api.base_url}{api.token}"
