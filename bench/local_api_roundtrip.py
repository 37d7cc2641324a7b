"""Round-trip latency of the local Bot API server driven by a real ``telegram.Bot``.

Run from the repository root::

    .venv/bin/python bench/local_api_roundtrip.py [--messages 500] [--polls 200]

Measures sequential ``sendMessage`` calls, ``getUpdates`` calls that find an update already
pending, and long polls woken by an update arriving while they wait. A response written in
several pieces would show up here as ~40 ms (delayed-ACK) outliers.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _report(label: str, samples_s: list[float]) -> None:
    ms = sorted(sample * 1000 for sample in samples_s)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    total = sum(samples_s)
    print(
        f"{label:<28} n={len(ms):<4} mean={statistics.fmean(ms):6.3f} ms  "
        f"p50={statistics.median(ms):6.3f} ms  p95={p95:6.3f} ms  max={ms[-1]:7.3f} ms  "
        f"{len(ms) / total:8.0f} calls/s"
    )


async def run(messages: int, polls: int) -> None:
    from telegram import Bot

    from bot.local_api import LocalBotApi

    async with LocalBotApi() as api:
        bot = Bot(api.token, base_url=api.base_url, base_file_url=api.base_file_url)
        await bot.initialize()
        user = api.user(1001, "Bench")
        await user.send("/start")
        updates = await bot.get_updates(timeout=0)
        offset = updates[-1].update_id + 1

        for _ in range(20):  # warm-up (connection setup, imports, caches)
            await bot.send_message(user.id, "warm-up")

        send_samples: list[float] = []
        for i in range(messages):
            start = time.perf_counter()
            await bot.send_message(user.id, f"message <b>{i}</b>", parse_mode="HTML")
            send_samples.append(time.perf_counter() - start)

        pending_samples: list[float] = []
        for i in range(polls):
            await user.send(f"ping {i}")
            start = time.perf_counter()
            updates = await bot.get_updates(offset=offset, timeout=10)
            pending_samples.append(time.perf_counter() - start)
            assert updates, "expected a pending update"
            offset = updates[-1].update_id + 1

        wake_samples: list[float] = []
        for i in range(polls):
            poll = asyncio.create_task(bot.get_updates(offset=offset, timeout=10))
            await asyncio.sleep(0.001)  # let the request reach the server and start waiting
            start = time.perf_counter()
            await user.send(f"pong {i}")
            updates = await poll
            wake_samples.append(time.perf_counter() - start)
            assert updates, "expected the long poll to return the update"
            offset = updates[-1].update_id + 1

        await bot.shutdown()

    print(f"local Bot API round trips (python-telegram-bot Bot -> aiohttp on {api.host})")
    _report("sendMessage", send_samples)
    _report("getUpdates (update pending)", pending_samples)
    _report("getUpdates (long-poll wake)", wake_samples)
    all_calls = send_samples + pending_samples
    _report("all sequential calls", all_calls)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=500)
    parser.add_argument("--polls", type=int, default=200)
    args = parser.parse_args()
    asyncio.run(run(args.messages, args.polls))


if __name__ == "__main__":
    main()
