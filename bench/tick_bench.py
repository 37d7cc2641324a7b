"""What one scheduler tick costs per due prompt, at 1k / 10k / 100k couples with 10 % due.

    .venv/bin/python bench/tick_bench.py                       # SQLite in a temp dir
    .venv/bin/python bench/tick_bench.py --quick               # small sizes (CI)
    BENCH_DATABASE_URL=postgresql://... .venv/bin/python bench/tick_bench.py   # + PostgreSQL

For each size and database, per due prompt:
- claim: deciding what is due, recording it in the outbox, advancing the schedules;
- bookkeeping: the whole tick with a no-op sender (claim, plus each row's lease and outcome);
- with composing: the whole tick with a sender that composes each batch's prompts as the bot
  does (`compose_rituals`: the people, couples, the day's check-in, the prompt bank, in one
  transaction a batch) but sends nothing.
Telegram's own latency and rate limits are not part of these figures.

Then the bot's start-up time (until it polls) and idle memory (RSS) with the largest size
against 10 couples, and the naive design beside it: one python-telegram-bot `run_daily` job
per user (scheduling N jobs, the memory they take, and how long the due 10 % take to fire).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, insert, text  # noqa: E402

from bot.clock import FakeClock  # noqa: E402
from bot.config import normalize_database_url  # noqa: E402
from bot.db import Database, sync_url, upgrade_database  # noqa: E402
from bot.models import Couple, RitualSchedule, User  # noqa: E402
from scheduler.tick import DuePrompt, Outcome, SendResult, claim_due, run_tick  # noqa: E402

NOW = datetime(2026, 6, 8, 19, 0, tzinfo=UTC)
DUE_SHARE = 10  # per cent of couples due (both partners)
CHUNK = 20_000


async def seed(
    db: Database, couples: int, *, now: datetime = NOW, due_share: int = DUE_SHARE
) -> None:
    """Paired couples (users 1..2n, chat id = user id), each with four rituals; the check-in
    of the first `due_share` per cent of users is due at `now`."""
    users = 2 * couples
    due_users = users * due_share // 100
    later = now + timedelta(hours=6)
    async with db.transaction() as s:
        for start in range(0, couples, CHUNK):
            ids = range(start + 1, min(couples, start + CHUNK) + 1)
            await s.execute(insert(Couple), [{"id": i, "created_at": now} for i in ids])
        for start in range(0, users, CHUNK):
            ids = range(start + 1, min(users, start + CHUNK) + 1)
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
                        "created_at": now,
                    }
                    for uid in ids
                ],
            )
            rows = []
            for uid in ids:
                for ritual, at, weekday in (
                    ("checkin", "21:00", None),
                    ("appreciation", "12:30", None),
                    ("date", "18:00", 3),
                    ("recap", "19:00", 6),
                ):
                    due = ritual == "checkin" and uid <= due_users
                    rows.append(
                        {
                            "user_id": uid,
                            "ritual": ritual,
                            "enabled": True,
                            "local_time": at,
                            "weekday": weekday,
                            "next_fire_at": now - timedelta(seconds=5) if due else later,
                        }
                    )
            await s.execute(insert(RitualSchedule), rows)


async def make_due_again(db: Database, users: int) -> None:
    """Empty the outbox and today's check-ins; make the first `users` check-ins due again."""
    async with db.transaction() as s:
        for table in (
            "outbox",
            "held_texts",
            "open_steps",
            "prompts_shown",
            "checkin_answers",
            "checkins",
        ):
            await s.execute(text(f"DELETE FROM {table}"))
        await s.execute(
            text(
                "UPDATE ritual_schedules SET next_fire_at = :t "
                "WHERE ritual = 'checkin' AND user_id <= :n"
            ),
            {"t": NOW - timedelta(seconds=5), "n": users},
        )


async def noop_sender(prompt: DuePrompt) -> SendResult:
    return SendResult(Outcome.SENT)


class ComposingSender:
    """Composes each batch's prompts with the bot's own composers (as wired by the application
    factory: together, as the tick does), and sends nothing."""

    def __init__(self, db: Database) -> None:
        from bot.app import build_application
        from bot.config import Settings
        from bot.runtime import runtime_of

        settings = Settings(token="1:bench", database_url=db.url, tick_seconds=0)
        runtime = runtime_of(build_application(settings, database=db))
        assert runtime.compose_batch is not None
        self.compose_batch = runtime.compose_batch
        self.db = db
        self.clock = FakeClock(NOW)
        self.composed: dict[int, bool] = {}

    async def prepare(self, rows: Sequence[DuePrompt]) -> None:
        wanted = [(row.user_id, row.ritual) for row in rows if row.ritual is not None]
        composed = await self.compose_batch(self.db, self.clock, wanted)
        self.composed.update(
            (row.id, out is not None) for row, out in zip(rows, composed, strict=True)
        )

    async def __call__(self, prompt: DuePrompt) -> SendResult:
        return SendResult(Outcome.SENT if self.composed.pop(prompt.id) else Outcome.NOTHING)


def fresh_database(url: str) -> None:
    if url.startswith("postgresql"):
        engine = create_engine(sync_url(url))
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
    upgrade_database(url)


async def measure_size(url: str, couples: int, sample_size: int) -> dict[str, float]:
    fresh_database(url)
    db = Database(url)
    started = time.perf_counter()
    await seed(db, couples)
    seeded = time.perf_counter() - started
    grace = timedelta(minutes=120)

    started = time.perf_counter()
    report = await claim_due(db, NOW, grace, limit=10**9)
    claim = (time.perf_counter() - started) / max(report.claimed, 1)
    due = report.claimed

    # The whole tick on a sample of the due prompts (the cost per prompt does not depend on
    # how many are due; the sample keeps a full-size run within minutes).
    sample = min(due, sample_size)
    await make_due_again(db, sample)
    started = time.perf_counter()
    report = await run_tick(db, NOW, noop_sender, grace=grace, limit=10**9)
    bookkeeping = (time.perf_counter() - started) / max(report.sent, 1)

    await make_due_again(db, sample)
    started = time.perf_counter()
    report = await run_tick(db, NOW, ComposingSender(db), grace=grace, limit=10**9)
    composing = (time.perf_counter() - started) / max(report.sent, 1)
    assert report.sent == sample, (report, sample)
    await db.dispose()
    return {
        "due": due,
        "sample": sample,
        "seeded": seeded,
        "claim": claim * 1000,
        "bookkeeping": bookkeeping * 1000,
        "composing": composing * 1000,
    }


# ---------------------------------------------------------------------- start-up and memory


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def startup(url: str) -> tuple[float, float]:
    """Seconds from launching the bot until it polls, and its RSS (MB) once idle."""
    from bot.local_api import LocalBotApi

    async with LocalBotApi() as api:
        command = [sys.executable, str(ROOT / "bench" / "throughput.py"), "--serve", "bot"]
        command += ["--base-url", api.base_url, "--token", api.token, "--database-url", url]
        started = time.perf_counter()
        child = await asyncio.create_subprocess_exec(*command, cwd=ROOT)
        try:
            await api.wait_for_long_poll(timeout=120)
            seconds = time.perf_counter() - started
            await asyncio.sleep(1.0)  # idle: let start-up garbage settle
            memory = rss_mb(child.pid)
        finally:
            child.send_signal(signal.SIGTERM)
            await child.wait()
    return seconds, memory


# ---------------------------------------------------------------------- the naive design


async def naive(users: int) -> tuple[float, float, float]:
    """One PTB run_daily job per user, 10 % of them due at one moment: seconds to schedule
    them, MB of Python memory the jobs take, and ms per due job from that moment until every
    due one ran (a no-op job: composing and sending not included)."""
    import datetime as dt
    import tracemalloc

    from telegram.ext import ApplicationBuilder, ContextTypes

    application = ApplicationBuilder().token("1:naive").build()
    queue = application.job_queue
    assert queue is not None
    due_count = users * DUE_SHARE // 100
    fired = 0
    done = asyncio.Event()

    async def job(context: ContextTypes.DEFAULT_TYPE) -> None:
        nonlocal fired
        fired += 1
        if fired == due_count:
            done.set()

    await queue.start()  # only the job queue: the naive design needs no Bot API here
    now = dt.datetime.now(UTC)
    due_at = now + timedelta(seconds=5 + users / 1000)  # after scheduling is surely done
    later = (now + timedelta(hours=6)).timetz()
    tracemalloc.start()
    started = time.perf_counter()
    for uid in range(users):
        queue.run_daily(
            job,
            time=due_at.timetz() if uid < due_count else later,
            name=f"u{uid}",
            job_kwargs={"misfire_grace_time": None},
        )
    scheduling = time.perf_counter() - started
    memory = tracemalloc.get_traced_memory()[0] / 2**20
    tracemalloc.stop()
    await asyncio.wait_for(done.wait(), timeout=600)
    firing = max(0.0, (dt.datetime.now(UTC) - due_at).total_seconds()) / due_count
    await queue.stop()
    return scheduling, memory, firing * 1000


async def main(sizes: list[int], naive_sizes: list[int], small: int, sample: int) -> None:
    urls = [("SQLite", None)]
    if os.environ.get("BENCH_DATABASE_URL"):
        urls.append(("PostgreSQL", os.environ["BENCH_DATABASE_URL"]))
    print(
        f"one tick, {DUE_SHARE}% of couples due; ms per due prompt (no Telegram); the claim "
        f"over all due, the whole tick over {sample} of them"
    )
    header = ("database", "couples", "due", "claim", "+ outbox", "+ compose")
    print("{:<11} {:>8} {:>7} {:>7} {:>9} {:>10}".format(*header))
    with tempfile.TemporaryDirectory() as tmp:
        largest_url = ""
        for name, raw in urls:
            for couples in sizes:
                url = normalize_database_url(raw, data_dir=Path(tmp) / f"{name}{couples}")
                figures = await measure_size(url, couples, sample)
                print(
                    f"{name:<11} {couples:>8} {int(figures['due']):>7} {figures['claim']:>7.3f} "
                    f"{figures['bookkeeping']:>9.3f} {figures['composing']:>10.3f}",
                    flush=True,
                )
                if name == "SQLite" and couples == sizes[-1]:
                    largest_url = url
        small_url = normalize_database_url(None, data_dir=Path(tmp) / "small")
        fresh_database(small_url)
        small_db = Database(small_url)
        await seed(small_db, small)
        await small_db.dispose()
        print()
        print("bot start-up until it polls, and idle memory (SQLite)")
        base_s, base_mb = await startup(small_url)
        big_s, big_mb = await startup(largest_url)
        print(f"{small:>8} couples: {base_s:5.2f} s  {base_mb:6.1f} MB")
        print(
            f"{sizes[-1]:>8} couples: {big_s:5.2f} s  {big_mb:6.1f} MB  "
            f"({big_s / base_s:.2f}x time, {big_mb / base_mb:.2f}x memory)"
        )
    print()
    print("the naive design: one PTB run_daily job per user")
    for users in naive_sizes:
        scheduling, memory, firing = await naive(users)
        print(
            f"{users:>8} users: scheduling {scheduling:6.2f} s, {memory:6.1f} MB for the jobs, "
            f"{firing:6.3f} ms per due job to fire (a no-op job)",
            flush=True,
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (CI)")
    args = parser.parse_args()
    if args.quick:
        asyncio.run(main([100, 1000], [1000], small=10, sample=100))
    else:
        asyncio.run(main([1000, 10_000, 100_000], [1000, 10_000], small=10, sample=1000))
