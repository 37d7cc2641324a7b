"""The real Application in webhook mode: the local Bot API POSTs updates to our own server
(through `webhook_fan_out`, standing in for the reverse proxy), which handles each one before
it answers."""

from __future__ import annotations

import json
import logging
import socket
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest

from bot.app import ALLOWED_UPDATES, build_application
from bot.clock import FakeClock
from bot.config import Settings, WebhookSettings
from bot.context import BotApplication
from bot.db import Database
from bot.lifecycle import shutdown
from bot.local_api import LocalBotApi, SimulatedUser
from bot.ratelimit import SlidingWindow
from bot.runtime import runtime_of
from bot.webhook import SECRET_HEADER, WebhookServer, start_webhook
from tests.e2e.conftest import SETTLE_TIMEOUT, pair_up, quiet
from tests.e2e.test_exchanges import check_in

WEBHOOK_URL = "https://bot.example.org/tg/updates"
SECRET = "e2e-Webhook_secret-0123456789"
WRONG = "not-the-Secret_987654321"

Instance = tuple[BotApplication, WebhookServer]
StartInstance = Callable[[], Awaitable[Instance]]


@pytest.fixture
async def start_instance(
    api: LocalBotApi, db: Database, clock: FakeClock
) -> AsyncIterator[StartInstance]:
    """Starts a bot instance in webhook mode and adds its address to the proxy's list."""
    running: list[Instance] = []
    settings = Settings(
        token=api.token,
        database_url=db.url,
        api_base_url=api.base_url,
        api_base_file_url=api.base_file_url,
        telegram_chat_rate_limit=0,  # scripted users read fast; pacing has its own tests
        tick_seconds=0,
        mode="webhook",
        webhook=WebhookSettings(url=WEBHOOK_URL, secret=SECRET, listen="127.0.0.1", port=0),
    )

    async def start() -> Instance:
        application = build_application(settings, database=db, clock=clock)
        assert application.updater is None
        runtime = runtime_of(application)
        runtime.flood = SlidingWindow(100_000, timedelta(seconds=10))
        runtime.relays = SlidingWindow(100_000, timedelta(minutes=10))
        assert settings.webhook is not None
        server = await start_webhook(application, settings.webhook)
        api.webhook_fan_out.append(server.base_url)
        running.append((application, server))
        return application, server

    yield start
    for application, server in running:
        if application.running:
            await shutdown(application, server)


@pytest.fixture
async def instance(start_instance: StartInstance) -> Instance:
    return await start_instance()


def delivered_once(api: LocalBotApi) -> tuple[int, int]:
    """(updates delivered with a 2xx, updates delivered with a 2xx more than once)."""
    counts = Counter(d.update_id for d in api.webhook_deliveries if d.ok)
    return len(counts), sum(1 for n in counts.values() if n > 1)


async def quiet_behind_the_proxy(api: LocalBotApi, *people: SimulatedUser) -> None:
    """`quiet()` whichever instance got each update: every queued update was answered with a
    2xx, and an instance answers only once it has handled the update, so the bot is done and
    nothing more is coming for these people."""
    await api.wait_webhook_delivered(timeout=SETTLE_TIMEOUT)
    for person in people:
        person.assert_no_unread()


async def couple_checks_in(api: LocalBotApi, ann: SimulatedUser, jonas: SimulatedUser) -> None:
    await pair_up(api, ann, jonas)
    await check_in(ann, "🙂", "first answer by Ann", "a walk with Jonas")
    assert "Jonas" in (await ann.next_message()).entities_text  # saved until Jonas answers
    await quiet_behind_the_proxy(api, jonas)  # nothing of Ann's answer reached Jonas
    await check_in(jonas, "😕", "second answer by Jonas", None)
    for reveal in (await ann.wait_for("Your check-in"), await jonas.wait_for("Euer Check-in")):
        assert "first answer by Ann" in reveal.entities_text
        assert "second answer by Jonas" in reveal.entities_text


async def test_pairing_and_a_checkin_reveal_work_as_with_polling(
    api: LocalBotApi, instance: Instance, clock: FakeClock
) -> None:
    clock.set(datetime(2026, 6, 8, 8, 0, tzinfo=UTC))
    ann, jonas = api.user(1001, "Ann"), api.user(1002, "Jonas", language_code="de")
    await couple_checks_in(api, ann, jonas)
    await api.wait_webhook_delivered()

    set_webhook = api.calls_to("setWebhook")
    assert len(set_webhook) == 1 and set_webhook[0].ok
    assert set_webhook[0].params == {
        "url": WEBHOOK_URL,
        "secret_token": SECRET,
        "allowed_updates": ALLOWED_UPDATES,
        "drop_pending_updates": False,
    }
    assert api.calls_to("getUpdates") == []
    delivered, duplicated = delivered_once(api)
    assert delivered == api.state.last_update_id - 100_000 + 1 and duplicated == 0
    assert all(d.ok for d in api.webhook_deliveries)  # each answered 200 at the first attempt
    assert {d.url for d in api.webhook_deliveries} == {instance[1].base_url + "/tg/updates"}


async def test_two_instances_behind_a_round_robin_proxy(
    api: LocalBotApi, start_instance: StartInstance, clock: FakeClock
) -> None:
    """State lives in the database: consecutive updates of one couple go to different
    instances, and the reveal still happens exactly once."""
    (first, _), (second, _) = await start_instance(), await start_instance()
    clock.set(datetime(2026, 6, 8, 8, 0, tzinfo=UTC))
    ann, jonas = api.user(1001, "Ann"), api.user(1002, "Jonas", language_code="de")
    await couple_checks_in(api, ann, jonas)
    await quiet_behind_the_proxy(api, ann)
    assert sum("Your check-in" in m.entities_text for m in ann.messages) == 1
    delivered, duplicated = delivered_once(api)
    assert duplicated == 0
    handled = [runtime_of(app).handled for app in (first, second)]
    per_instance = [
        sum(1 for d in api.webhook_deliveries if d.update_id in seen) for seen in handled
    ]
    assert sum(per_instance) == delivered and min(per_instance) >= delivered // 2


async def test_a_wrong_or_missing_secret_gets_403_and_no_secret_in_the_log(
    api: LocalBotApi, instance: Instance, caplog: pytest.LogCaptureFixture
) -> None:
    _, server = instance
    ann = api.user(1001, "Ann")
    await ann.send("/start")  # Ann has written to the bot, so it may answer her
    await ann.next_message()
    update = {
        "update_id": 999_001,
        "message": {
            "message_id": 1,
            "date": 1_780_000_000,
            "chat": {"id": ann.id, "type": "private", "first_name": "Ann"},
            "from": ann.to_json(),
            "text": "/help",
            "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
        },
    }
    url = server.base_url + "/tg/updates"
    caplog.set_level(logging.INFO)
    async with aiohttp.ClientSession() as http:
        for headers in ({SECRET_HEADER: WRONG}, {}, {SECRET_HEADER: SECRET[:-1]}):
            caplog.clear()
            async with http.post(url, json=update, headers=headers) as response:
                assert response.status == 403
            refusals = [r for r in caplog.records if r.name == "bot.webhook"]
            assert len(refusals) == 1 and refusals[0].levelno == logging.WARNING
            line = refusals[0].getMessage()
            assert "403" in line
            assert ("missing" in line) if not headers else ("wrong" in line)
            for value in (SECRET, WRONG, SECRET[:-1], "/help"):
                assert value not in caplog.text
        # The right secret, but a body that is not an update.
        async with http.post(url, data=b"{not json", headers={SECRET_HEADER: SECRET}) as response:
            assert response.status == 400
        async with http.post(url, json=[1, 2], headers={SECRET_HEADER: SECRET}) as response:
            assert response.status == 400
        # Only POST on the webhook's path is served.
        async with http.get(url, headers={SECRET_HEADER: SECRET}) as response:
            assert response.status == 405
        async with http.post(
            server.base_url + "/other", json=update, headers={SECRET_HEADER: SECRET}
        ) as response:
            assert response.status == 404
    await quiet(api, instance[0], ann)  # none of these was handled
    assert 999_001 not in runtime_of(instance[0]).handled

    # The right secret: handled before the answer comes.
    async with (
        aiohttp.ClientSession() as http,
        http.post(url, data=json.dumps(update), headers={SECRET_HEADER: SECRET}) as response,
    ):
        assert response.status == 200
        assert 999_001 in runtime_of(instance[0]).handled
    assert "/start" in (await ann.next_message()).entities_text  # the /help answer


async def test_a_lost_answer_is_delivered_again_and_handled_once(
    api: LocalBotApi, instance: Instance
) -> None:
    ann = api.user(1001, "Ann")
    api.lose_next_webhook_responses(1)  # the bot handles /pair, its 200 is lost on the way
    await ann.send("/pair")
    await api.wait_webhook_delivered()
    attempts = [d for d in api.webhook_deliveries if d.update_id == api.state.last_update_id]
    assert [d.ok for d in attempts] == [False, True]  # delivered twice ...
    invite = await ann.wait_for("t.me/")
    await quiet(api, instance[0], ann)  # ... handled once: one invite
    assert sum("t.me/" in m.entities_text for m in ann.messages) == 1
    info = await instance[0].bot.get_webhook_info()
    assert info.pending_update_count == 0 and info.last_error_message == "Read timeout expired"
    code = invite.entities_text.split("?start=", 1)[1].split()[0]
    ben = api.user(1002, "Ben")
    await ben.send(f"/join {code}")  # the first (only) invite still works
    assert "paired with Ann" in (await ben.next_message()).entities_text


async def test_a_delivery_to_a_dead_instance_is_retried_on_another(
    api: LocalBotApi, instance: Instance
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}"
    api.webhook_fan_out.insert(0, dead)  # the proxy's next pick is an instance that is down
    ann = api.user(1001, "Ann")
    await ann.send("/help")
    await api.wait_webhook_delivered()
    assert [(d.ok, d.error) for d in api.webhook_deliveries] == [
        (False, "Connection refused"),
        (True, None),
    ]
    assert "/start" in (await ann.next_message()).entities_text
    await quiet(api, instance[0], ann)


async def test_a_handler_crash_is_answered_200_and_not_delivered_again(
    api: LocalBotApi, instance: Instance, caplog: pytest.LogCaptureFixture
) -> None:
    ann = api.user(1001, "Ann")
    api.fail_next("sendMessage", error_code=400, description="Bad Request: boom", times=2)
    await ann.send("/help")
    await api.wait_webhook_delivered()
    assert [d.status for d in api.webhook_deliveries] == [200]
    assert any(r.name == "handlers.fallback" for r in caplog.records)  # the error handler ran
