"""setWebhook / deleteWebhook / getWebhookInfo, and updates POSTed to the webhook."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from telegram import Bot
from telegram.error import BadRequest, Conflict

from bot.local_api import LocalBotApi

pytestmark = pytest.mark.asyncio

SECRET = "hook-Secret_123"
WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)


@dataclass
class Received:
    path: str
    query: str
    secret: str | None
    update: dict[str, Any]


@dataclass
class Receiver:
    """A stand-in bot instance: records every POST and answers with `statuses` (then 200)."""

    name: str = "receiver"
    statuses: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    in_flight: int = 0
    most_in_flight: int = 0
    delay: float = 0.0
    url: str = ""
    runner: web.AppRunner | None = None

    async def handle(self, request: web.Request) -> web.Response:
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            body = json.loads(await request.read())
            self.received.append(
                Received(
                    request.path,
                    request.query_string,
                    request.headers.get("X-Telegram-Bot-Api-Secret-Token"),
                    body,
                )
            )
            await asyncio.sleep(self.delay)
            status = self.statuses.pop(0) if self.statuses else 200
            return web.Response(status=status)
        finally:
            self.in_flight -= 1

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/{tail:.*}", self.handle)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{self.runner.addresses[0][1]}"

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()

    @property
    def texts(self) -> list[str]:
        return [r.update["message"]["text"] for r in self.received]


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    server = Receiver()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def fast_api() -> AsyncIterator[LocalBotApi]:
    async with LocalBotApi(webhook_retry_delay=0.02, webhook_max_retry_delay=0.1) as server:
        yield server


@pytest.fixture
async def fast_bot(fast_api: LocalBotApi) -> AsyncIterator[Bot]:
    telegram_bot = Bot(fast_api.token, base_url=fast_api.base_url)
    await telegram_bot.initialize()
    yield telegram_bot
    await telegram_bot.shutdown()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_set_and_delete_webhook_and_info(api: LocalBotApi, bot: Bot) -> None:
    info = await bot.get_webhook_info()
    assert (info.url, info.has_custom_certificate, info.pending_update_count) == ("", False, 0)

    ann = api.user(1001, "Ann")
    await ann.send("queued before the webhook")
    assert await bot.set_webhook(
        "https://bot.example.org/hook",
        secret_token=SECRET,
        allowed_updates=["message", "callback_query"],
        max_connections=5,
    )
    info = await bot.get_webhook_info()
    assert info.url == "https://bot.example.org/hook"
    assert info.has_custom_certificate is False
    assert info.pending_update_count == 1  # example.org is not reachable here: still pending
    assert info.max_connections == 5
    assert info.allowed_updates == ("message", "callback_query")
    assert api.webhook is not None and api.webhook.secret_token == SECRET

    assert await bot.delete_webhook()
    info = await bot.get_webhook_info()
    assert (info.url, info.pending_update_count) == ("", 1)  # kept without drop_pending
    assert [u.message.text for u in await bot.get_updates()] == ["queued before the webhook"]

    await bot.set_webhook("https://bot.example.org/hook")
    assert await bot.delete_webhook(drop_pending_updates=True)
    assert (await bot.get_webhook_info()).pending_update_count == 0
    assert api.pending_updates == []


async def test_a_bad_secret_token_or_url_is_refused(api: LocalBotApi, bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)secret token contains unallowed characters"):
        await bot.set_webhook("https://bot.example.org/hook", secret_token="no spaces")
    with pytest.raises(BadRequest, match=r"(?i)https url must be provided"):
        await bot.set_webhook("ftp://bot.example.org/hook")
    assert api.webhook is None


async def test_get_updates_conflicts_while_a_webhook_is_set(api: LocalBotApi, bot: Bot) -> None:
    # A poll far longer than any wait here: if it ends, setWebhook ended it.
    waiting = asyncio.create_task(bot.get_updates(timeout=120))
    await api.wait_for_long_poll()  # parked before the webhook is set
    await bot.set_webhook("https://bot.example.org/hook")
    # The poll that was waiting ends, and every new one is refused, as Telegram does.
    with pytest.raises(Conflict) as ended:
        await asyncio.wait_for(waiting, 30)
    assert str(ended.value) == WEBHOOK_CONFLICT
    assert (api.long_polls_waiting, api.long_polls_parked) == (0, 1)
    with pytest.raises(Conflict):
        await bot.get_updates(timeout=0)
    call = api.calls_to("getUpdates")[-1]
    assert (call.status, call.error) == (409, WEBHOOK_CONFLICT)
    await bot.delete_webhook()
    assert await bot.get_updates(timeout=0) == ()


async def test_updates_are_posted_in_order_with_the_secret(
    fast_api: LocalBotApi, fast_bot: Bot, receiver: Receiver
) -> None:
    receiver.delay = 0.05  # overlapping deliveries would show up as more than one in flight
    ann = fast_api.user(1001, "Ann")
    await fast_bot.set_webhook(f"{receiver.url}/tg/hook", secret_token=SECRET)
    for i in range(5):
        await ann.send(f"m{i}")
    await fast_api.wait_webhook_delivered(timeout=10)
    assert receiver.texts == [f"m{i}" for i in range(5)]
    assert {(r.path, r.secret) for r in receiver.received} == {("/tg/hook", SECRET)}
    assert receiver.most_in_flight == 1
    ids = [r.update["update_id"] for r in receiver.received]
    assert ids == sorted(ids) and len(set(ids)) == 5
    info = await fast_bot.get_webhook_info()
    assert info.pending_update_count == 0 and info.last_error_date is None
    assert all(d.ok for d in fast_api.webhook_deliveries)
    # The delivery loop waited for these updates, but it is no getUpdates long poll.
    assert (fast_api.long_polls_waiting, fast_api.long_polls_parked) == (0, 0)


async def test_no_secret_header_without_a_secret(
    fast_api: LocalBotApi, fast_bot: Bot, receiver: Receiver
) -> None:
    await fast_bot.set_webhook(f"{receiver.url}/hook")
    await fast_api.user(1001, "Ann").send("hi")
    await fast_api.wait_webhook_delivered(timeout=10)
    assert [r.secret for r in receiver.received] == [None]


async def test_a_failed_delivery_is_retried_and_keeps_the_order(
    fast_api: LocalBotApi, fast_bot: Bot, receiver: Receiver
) -> None:
    receiver.statuses = [500, 502]
    ann = fast_api.user(1001, "Ann")
    await ann.send("first")
    await ann.send("second")
    await fast_bot.set_webhook(f"{receiver.url}/hook", secret_token=SECRET)
    await fast_api.wait_webhook_delivered(timeout=10)
    # "first" was tried until it got a 2xx; "second" never overtook it.
    assert receiver.texts == ["first", "first", "first", "second"]
    statuses = [d.status for d in fast_api.webhook_deliveries]
    assert statuses == [500, 502, 200, 200]
    info = await fast_bot.get_webhook_info()
    assert info.pending_update_count == 0
    assert info.last_error_date is not None
    assert info.last_error_message == "Wrong response from the webhook: 502 Bad Gateway"


async def test_an_unreachable_webhook_keeps_updates_queued(
    fast_api: LocalBotApi, fast_bot: Bot, receiver: Receiver
) -> None:
    ann = fast_api.user(1001, "Ann")
    await fast_bot.set_webhook(f"http://127.0.0.1:{closed_port()}/hook")
    await ann.send("waiting")
    await fast_api._webhooks.wait_until(lambda: len(fast_api.webhook_deliveries) >= 2, 10)
    info = await fast_bot.get_webhook_info()
    assert info.pending_update_count == 1
    assert info.last_error_message == "Connection refused"
    assert all(d.status is None for d in fast_api.webhook_deliveries)
    # The bot comes up (here: behind the proxy's address): the update is delivered.
    fast_api.webhook_fan_out = [receiver.url]
    await fast_api.wait_webhook_delivered(timeout=10)
    assert receiver.texts == ["waiting"]
    assert (await fast_bot.get_webhook_info()).pending_update_count == 0


async def test_a_lost_answer_means_delivering_again(
    fast_api: LocalBotApi, fast_bot: Bot, receiver: Receiver
) -> None:
    fast_api.lose_next_webhook_responses(1)
    await fast_bot.set_webhook(f"{receiver.url}/hook")
    await fast_api.user(1001, "Ann").send("twice")
    await fast_api.wait_webhook_delivered(timeout=10)
    assert receiver.texts == ["twice", "twice"]
    assert [d.ok for d in fast_api.webhook_deliveries] == [False, True]


async def test_fan_out_delivers_round_robin_to_instances() -> None:
    first, second = Receiver("first"), Receiver("second")
    await first.start()
    await second.start()
    try:
        async with LocalBotApi(
            webhook_fan_out=[first.url, second.url + "/"], webhook_retry_delay=0.02
        ) as api:
            bot = Bot(api.token, base_url=api.base_url)
            async with bot:
                await bot.set_webhook("https://bot.example.org/tg/hook?v=1", secret_token=SECRET)
                ann = api.user(1001, "Ann")
                for i in range(4):
                    await ann.send(f"m{i}")
                await api.wait_webhook_delivered(timeout=10)
                # An instance that is down: its turn fails and the retry goes to the next one.
                await first.stop()
                await ann.send("m4")
                await api.wait_webhook_delivered(timeout=10)
        assert first.texts == ["m0", "m2"]
        assert second.texts == ["m1", "m3", "m4"]
        assert {(r.path, r.query, r.secret) for r in first.received + second.received} == {
            ("/tg/hook", "v=1", SECRET)
        }
        assert [d.ok for d in api.webhook_deliveries] == [True] * 4 + [False, True]
    finally:
        await first.stop()
        await second.stop()


async def test_raw_set_webhook_over_http(
    api: LocalBotApi, http: aiohttp.ClientSession, method_url: str
) -> None:
    async with http.post(
        f"{method_url}/setWebhook",
        json={"url": "https://bot.example.org/x", "secret_token": SECRET, "max_connections": 3},
    ) as response:
        assert response.status == 200
        assert (await response.json()) == {"ok": True, "result": True}
    async with http.get(f"{method_url}/getUpdates") as response:
        assert response.status == 409
        assert (await response.json())["description"] == WEBHOOK_CONFLICT
    async with http.post(f"{method_url}/setWebhook", json={"url": ""}) as response:
        assert response.status == 200  # an empty url removes the webhook
    assert api.webhook is None
