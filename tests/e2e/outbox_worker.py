"""A bot process for the crash test: runs one tick at a fixed moment and sends what is due.

python -m tests.e2e.outbox_worker DATABASE_URL API_BASE_URL API_FILE_URL TOKEN ISO_MOMENT
"""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime

from bot.app import build_application
from bot.clock import FakeClock
from bot.config import Settings
from scheduler.jobs import tick


async def main(database_url: str, base: str, files: str, token: str, moment: str) -> None:
    settings = Settings(
        token=token,
        database_url=database_url,
        api_base_url=base,
        api_base_file_url=files,
        tick_seconds=0,
    )
    application = build_application(settings, clock=FakeClock(datetime.fromisoformat(moment)))
    await application.initialize()
    print("ticking", flush=True)
    await tick(application)
    print("done", flush=True)
    await application.shutdown()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:6]))
