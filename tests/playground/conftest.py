"""Fixtures for the playground: a running playground, an HTTP client, and a headless Chromium
page (Debian's /usr/bin/chromium driven by Playwright).

Browser tests skip when Chromium or Playwright is missing, unless REQUIRE_BROWSER=1 (CI), where
they fail instead. `.ci/browser-setup` installs both.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.playground import Playground

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def missing_browser() -> str | None:
    """Why browser tests cannot run here, or None."""
    if not CHROMIUM.exists():
        return f"Debian's chromium is not installed at {CHROMIUM} (run .ci/browser-setup)"
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is not installed (run .ci/browser-setup)"
    return None


@pytest.fixture
async def playground(database_url: str) -> AsyncIterator[Playground]:
    server = Playground(database_url=database_url, poll_timeout=1)
    await server.start("127.0.0.1", 0)
    yield server
    await server.stop()


@pytest.fixture
async def http(playground: Playground) -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(base_url=playground.url) as session:
        yield session


@pytest.fixture
async def page(playground: Playground) -> AsyncIterator[Any]:
    reason = missing_browser()
    if reason is not None:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    from playwright.async_api import async_playwright

    async with async_playwright() as driver:
        browser = await driver.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        context = await browser.new_context(
            viewport={"width": 1280, "height": 800}, locale="en-GB", timezone_id="UTC"
        )
        context.set_default_timeout(8000)
        tab = await context.new_page()
        errors: list[str] = []
        tab.on("pageerror", lambda error: errors.append(str(error)))
        yield tab
        await browser.close()
    assert not errors, f"JavaScript errors in the page: {errors}"


# ---------------------------------------------------------------------- helpers


async def wait_bot_text(playground: Playground, role: str, text: str, timeout: float = 5) -> str:  # noqa: ASYNC109
    """Wait until the bot has sent ``role`` a message containing ``text``; its visible text."""
    user = playground.participant(role).user
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        for message in reversed(user.messages):
            if text in message.entities_text:
                return message.entities_text
        if asyncio.get_running_loop().time() > deadline:
            seen = [m.entities_text[:60] for m in user.messages[-5:]]
            raise AssertionError(f"no bot message with {text!r} for {role}; last: {seen}")
        await asyncio.sleep(0.05)


async def pair_without_browser(playground: Playground) -> None:
    """Pair the two people by typing (no page involved), as a shortcut for clock tests."""
    await playground.send("a", "/pair")
    invite = await wait_bot_text(playground, "a", "?start=")
    code = re.search(r"\?start=([\w-]+)", invite)
    assert code is not None
    await playground.send("b", f"/start {code.group(1)}")
    await wait_bot_text(playground, "a", "accepted your invite")
