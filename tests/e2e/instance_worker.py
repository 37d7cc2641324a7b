"""A bot instance for the two-instance test: the whole application (database, outbox,
Telegram client), whose clock the test moves. Each line on stdin is a moment (ISO 8601): the
instance sets its clock to it, runs one tick and prints "ticked <sent>". It prints "ready"
once it can tick, and stops at the end of its input.

python -m tests.e2e.instance_worker DATABASE_URL API_BASE_URL API_FILE_URL TOKEN NAME
"""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime

from bot.app import build_application
from bot.clock import FakeClock
from bot.config import Settings
from scheduler.jobs import tick


async def main(database_url: str, base: str, files: str, token: str, name: str) -> None:
    settings = Settings(
        token=token,
        database_url=database_url,
        api_base_url=base,
        api_base_file_url=files,
        tick_seconds=0,
    )
    clock = FakeClock(datetime(2000, 1, 1, tzinfo=UTC))
    application = build_application(settings, clock=clock)
    await application.initialize()
    print("ready", flush=True)
    loop = asyncio.get_running_loop()
    while line := await loop.run_in_executor(None, sys.stdin.readline):
        clock.set(datetime.fromisoformat(line.strip()))
        report = await tick(application)
        print(f"ticked {report.sent}", flush=True)
    await application.shutdown()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:6]))
