"""A bot instance for the two-instance tests: the whole application (database, outbox,
Telegram client), whose clock the test moves — the one clock every instance shares.

python -m tests.e2e.instance_worker DATABASE_URL API_BASE_URL API_FILE_URL TOKEN MODE

MODE "ticks": the instance only runs ticks. MODE "webhook": it also serves updates in
webhook mode (WEBHOOK_URL below, on a free local port) like a production instance behind a
proxy. It prints "ready <address>" (the address the proxy forwards to; "-" without webhook)
once it can work. Each line on stdin is a moment (ISO 8601): the instance sets its clock to it,
runs one tick and prints "ticked <sent>". It stops at the end of its input.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime, timedelta

from bot.app import build_application
from bot.clock import FakeClock
from bot.config import Settings, WebhookSettings
from bot.lifecycle import shutdown
from bot.ratelimit import SlidingWindow
from bot.runtime import runtime_of
from bot.webhook import WebhookServer, start_webhook
from scheduler.jobs import tick

WEBHOOK_URL = "https://bot.example.org/tg/updates"
SECRET = "two-instances-Secret_0123456789"


async def main(database_url: str, base: str, files: str, token: str, mode: str) -> None:
    webhook = WebhookSettings(url=WEBHOOK_URL, secret=SECRET, listen="127.0.0.1", port=0)
    settings = Settings(
        token=token,
        database_url=database_url,
        api_base_url=base,
        api_base_file_url=files,
        tick_seconds=0,
        telegram_chat_rate_limit=0,  # scripted users read fast; pacing has its own tests
        mode="webhook" if mode == "webhook" else "polling",
        webhook=webhook if mode == "webhook" else None,
    )
    clock = FakeClock(datetime(2000, 1, 1, tzinfo=UTC))
    application = build_application(settings, clock=clock)
    server: WebhookServer | None = None
    if mode == "webhook":
        runtime = runtime_of(application)  # scripted users type far faster than people
        runtime.flood = SlidingWindow(100_000, timedelta(seconds=10))
        runtime.relays = SlidingWindow(100_000, timedelta(minutes=10))
        server = await start_webhook(application, webhook)
        print(f"ready {server.base_url}", flush=True)
    else:
        await application.initialize()
        print("ready -", flush=True)
    loop = asyncio.get_running_loop()
    while line := await loop.run_in_executor(None, sys.stdin.readline):
        clock.set(datetime.fromisoformat(line.strip()))
        report = await tick(application)
        print(f"ticked {report.sent}", flush=True)
    if server is not None:
        await shutdown(application, server)
    else:
        await application.shutdown()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:6]))
