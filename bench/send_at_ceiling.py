"""10,000 prompts due at once, sent at the configured ceiling, and one user's replies meanwhile.

    .venv/bin/python bench/send_at_ceiling.py                 # 10,000 prompts, 100 a second
    .venv/bin/python bench/send_at_ceiling.py --rate 30       # Telegram's free limit
    .venv/bin/python bench/send_at_ceiling.py --quick         # 300 prompts (CI)

The bot runs in its own process with its tick (every second) and the given
TELEGRAM_RATE_LIMIT (per chat: one a second after a burst of 3), against the local Bot API
server, which enforces the same limits: it counts what it accepts per second, overall and per
chat, and answers 429 past a limit. Meanwhile one more user, whose own prompts are not due,
sends a command every 1.5 seconds (slower than the per-chat pace); each reply's latency is
measured (target p95 <= 1 s: replies do not wait behind the bulk prompts). Draining stops
after `--window` seconds at most, so a full-size run stays within minutes whatever the bot
achieves.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.tick_bench import seed  # noqa: E402
from bot.db import Database, upgrade_database  # noqa: E402
from bot.local_api import LocalBotApi, SendLimits  # noqa: E402

PROBE_EVERY = 1.5  # seconds between the probe user's commands


async def run(prompts: int, rate: float, window: float) -> None:
    couples = prompts // 2 + 1  # the last couple's users are not due: one of them is the probe
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'ceiling.sqlite3'}"
        await asyncio.to_thread(upgrade_database, url)
        db = Database(url)
        await seed(db, couples, now=datetime.now(UTC), due_share=100)
        async with db.transaction() as s:  # the probe couple's check-ins are not due
            from sqlalchemy import text

            await s.execute(
                text("UPDATE ritual_schedules SET next_fire_at = '2999-01-01' WHERE user_id > :n"),
                {"n": prompts},
            )
        await db.dispose()

        limits = SendLimits(per_second=rate, per_chat=1, chat_burst=3)
        async with LocalBotApi(limits=limits) as api:
            for uid in range(1, 2 * couples + 1):
                api.user(uid, f"User {uid}")
                api.state.chats[uid].started = True  # they wrote to the bot long ago
            probe = api.user(2 * couples, f"User {2 * couples}")
            command = [sys.executable, str(ROOT / "bench" / "throughput.py"), "--serve", "bot"]
            command += ["--base-url", api.base_url, "--token", api.token, "--database-url", url]
            command += ["--rate", str(rate), "--chat-rate", "1", "--tick", "1"]
            child = await asyncio.create_subprocess_exec(*command, cwd=ROOT)
            latencies: list[float] = []
            try:
                await api.wait_for_long_poll(timeout=120)
                started = time.perf_counter()
                delivered = 0
                while time.perf_counter() - started < window:
                    asked = time.perf_counter()
                    await probe.send("/help")
                    await probe.next_message(timeout=60)
                    latencies.append(time.perf_counter() - asked)
                    delivered = sum(
                        len(api.user(uid, "").messages) for uid in range(1, prompts + 1)
                    )
                    if delivered >= prompts:
                        break
                    await asyncio.sleep(max(0.0, PROBE_EVERY - (time.perf_counter() - asked)))
                elapsed = time.perf_counter() - started
            finally:
                child.send_signal(signal.SIGTERM)
                await child.wait()

    seconds = sorted(limits.per_second.items())
    busy = [count for second, count in seconds if count]
    steady = busy[1:-1] or busy  # whole seconds only: the first and last are partial
    ms = sorted(x * 1000 for x in latencies)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    print(f"{prompts} prompts due at once; ceiling {rate:g}/s overall, 1/s per chat (burst 3)")
    print(
        f"delivered {delivered} in {elapsed:.1f}s: {delivered / elapsed:.1f}/s on average, "
        f"{sum(steady) / max(len(steady), 1):.1f}/s in whole seconds "
        f"({sum(steady) / max(len(steady), 1) / rate:.0%} of the ceiling), "
        f"busiest second {max(busy, default=0)}"
    )
    print(
        f"largest per-chat burst in one second: {limits.busiest_chat_second}; "
        f"429 answers: {limits.refused}"
    )
    print(
        f"the probe's replies meanwhile: n={len(ms)}, p50 {ms[len(ms) // 2]:.0f} ms, "
        f"p95 {p95:.0f} ms, max {ms[-1]:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="300 prompts (CI)")
    parser.add_argument("--prompts", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=100.0, help="TELEGRAM_RATE_LIMIT")
    parser.add_argument("--window", type=float, default=150.0, help="longest drain, seconds")
    args = parser.parse_args()
    if args.quick:
        asyncio.run(run(300, args.rate, window=60.0))
    else:
        asyncio.run(run(args.prompts, args.rate, args.window))


if __name__ == "__main__":
    main()
