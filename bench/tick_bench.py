"""How long one scheduler tick takes with 10,000 users of whom 1,000 are due.

    .venv/bin/python bench/tick_bench.py                      # SQLite in a temp dir
    BENCH_DATABASE_URL=postgresql://... .venv/bin/python bench/tick_bench.py

Prints the claim time (decide, record deliveries, advance schedules) and the whole tick time
with a no-op sender (Telegram's own latency and rate limits are not part of the figure).
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, text

from bot.config import normalize_database_url
from bot.db import Database, sync_url, upgrade_database
from bot.models import Couple, RitualSchedule, User
from scheduler.tick import DuePrompt, Outcome, SendResult, claim_due, run_tick

USERS = int(os.environ.get("BENCH_USERS", "10000"))
DUE = int(os.environ.get("BENCH_DUE", "1000"))
NOW = datetime(2026, 6, 8, 19, 0, tzinfo=UTC)


async def seed(db: Database) -> None:
    later = NOW + timedelta(hours=6)
    async with db.transaction() as s:
        await s.execute(
            insert(Couple), [{"id": i + 1, "created_at": NOW} for i in range(USERS // 2)]
        )
        await s.execute(
            insert(User),
            [
                {
                    "id": uid,
                    "chat_id": uid,
                    "first_name": f"User {uid}",
                    "timezone": "Europe/Berlin",
                    "couple_id": (uid - 1) // 2 + 1,
                    "is_active": True,
                    "inactive_notice_sent": False,
                    "created_at": NOW,
                }
                for uid in range(1, USERS + 1)
            ],
        )
        rows = []
        for uid in range(1, USERS + 1):
            for ritual, at, weekday in (
                ("checkin", "21:00", None),
                ("appreciation", "12:30", None),
                ("date", "18:00", 3),
                ("recap", "19:00", 6),
            ):
                due = ritual == "checkin" and uid <= DUE
                rows.append(
                    {
                        "user_id": uid,
                        "ritual": ritual,
                        "enabled": True,
                        "local_time": at,
                        "weekday": weekday,
                        "next_fire_at": NOW - timedelta(seconds=5) if due else later,
                    }
                )
        await s.execute(insert(RitualSchedule), rows)


async def noop_sender(prompt: DuePrompt) -> SendResult:
    return SendResult(Outcome.SENT)


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = normalize_database_url(
            os.environ.get("BENCH_DATABASE_URL") or None, data_dir=Path(tmp)
        )
        if url.startswith("postgresql"):
            from sqlalchemy import create_engine

            engine = create_engine(sync_url(url))
            with engine.begin() as conn:
                conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public"))
            engine.dispose()
        upgrade_database(url)
        db = Database(url)
        started = time.perf_counter()
        await seed(db)
        print(
            f"database: {db.engine.dialect.name}; seeded {USERS} users, "
            f"{USERS * 4} schedules in {time.perf_counter() - started:.1f}s"
        )

        empty_started = time.perf_counter()
        report = await claim_due(db, NOW - timedelta(minutes=1), timedelta(minutes=120))
        empty = time.perf_counter() - empty_started
        print(f"tick with nothing due: {empty * 1000:.1f} ms (claimed {report.claimed})")

        started = time.perf_counter()
        report = await claim_due(db, NOW, timedelta(minutes=120))
        claim = time.perf_counter() - started
        print(
            f"claim of {report.claimed} due rows: {claim * 1000:.0f} ms "
            f"({claim / max(report.claimed, 1) * 1e6:.0f} µs per row)"
        )

        # Put them back and time the whole tick (claim + per-prompt outcome records).
        async with db.transaction() as s:
            await s.execute(text("DELETE FROM outbox"))
            await s.execute(
                text(
                    "UPDATE ritual_schedules SET next_fire_at = :t "
                    "WHERE ritual = 'checkin' AND user_id <= :n"
                ),
                {"t": NOW - timedelta(seconds=5), "n": DUE},
            )
        started = time.perf_counter()
        report = await run_tick(db, NOW, noop_sender, grace=timedelta(minutes=120))
        whole = time.perf_counter() - started
        print(f"whole tick, {report.sent} prompts with a no-op sender: {whole * 1000:.0f} ms")
        await db.dispose()


if __name__ == "__main__":
    asyncio.run(main())
