"""Replies per second of this bot against a bare python-telegram-bot echo bot, in one run.

    .venv/bin/python bench/throughput.py            # full size: 100 users x 10 commands, 25 couples
    .venv/bin/python bench/throughput.py --quick    # a few users (CI proves it still runs)

Both bots run in a process of their own, polling the local Bot API server
(`bot.local_api`), which runs in this process together with the simulated users (the load
generator); the runs alternate (echo, bot, echo, bot, ...) so both see the same machine.

Workloads:
- commands: every user sends a command, waits for the reply, and sends the next one;
- check-in: every couple does a whole check-in at once (the command, a mood tap, an answer,
  Skip for the need, and the reveal); the echo bot answers each of the same steps (a text or
  a tap) with one message carrying a button.
With both of the bot's caps lifted (TELEGRAM_RATE_LIMIT=0, TELEGRAM_CHAT_RATE_LIMIT=0), and
then the commands once more at the default caps against a server that enforces Telegram's
limits (30 a second, one a second per chat after a burst of 3) and answers 429 past them.

Printed per run: replies (or round trips) per second, p50/p99 latency from a user's action to
the bot's answer, CPU seconds per reply of the bot's process, and the CPU seconds this process
(server and load generator) took; then the ratio bot / echo.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.local_api import LocalBotApi, SendLimits, SimulatedUser  # noqa: E402

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
USER_BASE = 100_000
COUPLE_BASE = 500_000
STEP_TIMEOUT = 120.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


# ---------------------------------------------------------------------- the bots (child side)


async def serve_echo(base_url: str, token: str) -> None:
    from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
    from telegram.ext import ApplicationBuilder, CallbackQueryHandler, ContextTypes, MessageHandler
    from telegram.ext import filters as f

    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("tap", callback_data="tap")]])

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        await update.message.reply_text(update.message.text or "?", reply_markup=keyboard)

    async def tap(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None and query.message is not None
        await query.answer()
        await context.bot.send_message(query.message.chat.id, "tapped", reply_markup=keyboard)

    application = (
        ApplicationBuilder().token(token).base_url(base_url).base_file_url(base_url).build()
    )
    application.add_handler(MessageHandler(f.TEXT, echo))
    application.add_handler(CallbackQueryHandler(tap))
    await run_until_stopped(application)


async def serve_bot(
    base_url: str, token: str, database_url: str, rate: float, chat: float, tick: float = 0
) -> None:
    from bot.app import build_application
    from bot.config import Settings

    settings = Settings(
        token=token,
        database_url=database_url,
        api_base_url=base_url,
        api_base_file_url=base_url,
        tick_seconds=tick,
        telegram_rate_limit=rate,
        telegram_chat_rate_limit=chat,
        log_level="WARNING",
    )
    logging.getLogger("apscheduler").setLevel(logging.ERROR)  # "tick skipped: still running"
    await run_until_stopped(build_application(settings))


async def run_until_stopped(application: object) -> None:
    from bot.app import start_application, stop_application

    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await start_application(application, poll_timeout=5)  # type: ignore[arg-type]
    profile = os.environ.get("BENCH_PROFILE")  # where to write a profile of the run (text)
    if profile:
        from pyinstrument import Profiler

        profiler = Profiler(async_mode="disabled")
        profiler.start()
    await stop.wait()
    if profile:
        profiler.stop()
        report = profiler.output_text(show_all=False)
        await asyncio.to_thread(Path(profile).write_text, report)
    await stop_application(application)  # type: ignore[arg-type]


# ---------------------------------------------------------------------- the load (this side)


@dataclass
class Run:
    label: str
    answers: int = 0
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0
    bot_cpu: float = 0.0
    here_cpu: float = 0.0
    refused: int = 0
    busiest_chat_second: int = 0

    @property
    def rate(self) -> float:
        return self.answers / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        ms = sorted(x * 1000 for x in self.latencies) or [0.0]
        p99 = ms[min(len(ms) - 1, round(0.99 * (len(ms) - 1)))]
        return (
            f"{self.label:<34} {self.rate:8.1f}/s  p50 {statistics.median(ms):7.1f} ms  "
            f"p99 {p99:7.1f} ms  bot CPU {self.bot_cpu / max(self.answers, 1) * 1000:5.2f} ms"
            f"/answer  server+load CPU {self.here_cpu:5.1f}s over {self.seconds:5.1f}s"
            + (f"  429s {self.refused}" if self.refused else "")
        )


async def round_trip(run: Run, act: object) -> None:
    started = time.perf_counter()
    await act  # type: ignore[misc]
    run.latencies.append(time.perf_counter() - started)
    run.answers += 1


async def commands(user: SimulatedUser, count: int, run: Run) -> None:
    for _ in range(count):

        async def ask() -> None:
            await user.send("/help")
            await user.next_message(timeout=STEP_TIMEOUT)

        await round_trip(run, ask())


async def echo_checkin(user: SimulatedUser, run: Run) -> None:
    async def say(text: str) -> None:
        await user.send(text)
        await user.next_message(timeout=STEP_TIMEOUT)

    async def tap() -> None:
        message = user.last_message
        assert message is not None
        await user.press("tap", message)
        await user.next_message(timeout=STEP_TIMEOUT)

    for step in (say("/checkin"), tap(), say("a calm day, thanks"), tap()):
        await round_trip(run, step)


async def bot_checkin(user: SimulatedUser, run: Run) -> None:
    async def start() -> None:
        await user.send("/checkin")
        await user.next_message(timeout=STEP_TIMEOUT)

    async def mood() -> None:
        message = user.last_message
        assert message is not None and len(message.buttons[0]) == 5, message
        await user.press(message.buttons[0][2], message)
        await user.next_message(timeout=STEP_TIMEOUT)  # the day's question

    async def answer() -> None:
        await user.send("a calm day, thanks")
        await user.next_message(timeout=STEP_TIMEOUT)  # anything you need?

    async def skip() -> None:
        message = user.last_message
        assert message is not None and message.buttons, message
        await user.press(message.buttons[0][0], message)
        await user.next_message(timeout=STEP_TIMEOUT)  # "saved" or the reveal

    for step in (start(), mood(), answer(), skip()):
        await round_trip(run, step)


async def bot_couple(a: SimulatedUser, b: SimulatedUser, run: Run) -> None:
    await asyncio.gather(bot_checkin(a, run), bot_checkin(b, run))
    for person in (a, b):  # both see the reveal (one of them may have it already)
        if not any("Your check-in" in m.entities_text for m in person.messages):
            await person.wait_for("Your check-in", timeout=STEP_TIMEOUT)


async def seed_couples(database_url: str, ids: list[tuple[int, int]]) -> None:
    from bot.db import Database
    from bot.services import pairing, users
    from bot.services.users import TelegramProfile

    db = Database(database_url)
    now = datetime.now(UTC)
    async with db.transaction() as s:
        for a, b in ids:
            first = await users.ensure_user(s, TelegramProfile(a, a, f"A{a}", "en"), now)
            second = await users.ensure_user(s, TelegramProfile(b, b, f"B{b}", "en"), now)
            code = (await pairing.create_invite(s, first, now)).code
            await pairing.join(s, second, code, now)
    await db.dispose()


@dataclass
class Plan:
    users: int
    commands: int
    couples: int
    rounds: int
    capped_users: int
    capped_commands: int


async def one_run(
    kind: str,
    workload: str,
    plan: Plan,
    tmp: Path,
    serial: int,
    *,
    capped: bool = False,
) -> Run:
    limits = SendLimits(per_second=30, per_chat=1) if capped else None
    label = f"{kind} {workload}" + (" (default caps)" if capped else " (caps lifted)")
    run = Run(label)
    database_url = ""
    async with LocalBotApi(limits=limits) as api:
        base = USER_BASE + serial * 10_000
        if workload == "check-in":
            ids = [(base + 2 * i + 1, base + 2 * i + 2) for i in range(plan.couples)]
            people = [(api.user(a, f"A{a}"), api.user(b, f"B{b}")) for a, b in ids]
        else:
            count = plan.capped_users if capped else plan.users
            singles = [api.user(base + i + 1, f"U{i}") for i in range(count)]
        command = [sys.executable, __file__, "--serve", kind, "--base-url", api.base_url]
        command += ["--token", api.token]
        if kind == "bot":
            database_url = f"sqlite+aiosqlite:///{tmp / f'run{serial}.sqlite3'}"
            from bot.db import upgrade_database

            await asyncio.to_thread(upgrade_database, database_url)
            if workload == "check-in":
                await seed_couples(database_url, ids)
            command += ["--database-url", database_url]
            command += ["--rate", "30" if capped else "0", "--chat-rate", "1" if capped else "0"]
        child = await asyncio.create_subprocess_exec(*command, cwd=ROOT)
        try:
            await api.wait_for_long_poll(timeout=120)
            bot_cpu, here_cpu = cpu_seconds(child.pid), time.process_time()
            started = time.perf_counter()
            if workload == "check-in":
                await asyncio.gather(
                    *(
                        bot_couple(a, b, run) if kind == "bot" else both_echo(a, b, run)
                        for a, b in people
                    )
                )
            else:
                n = plan.capped_commands if capped else plan.commands
                await asyncio.gather(*(commands(user, n, run) for user in singles))
            run.seconds = time.perf_counter() - started
            run.bot_cpu = cpu_seconds(child.pid) - bot_cpu
            run.here_cpu = time.process_time() - here_cpu
            if limits is not None:
                run.refused = limits.refused
                run.busiest_chat_second = limits.busiest_chat_second
        finally:
            child.send_signal(signal.SIGTERM)
            await child.wait()
    return run


async def both_echo(a: SimulatedUser, b: SimulatedUser, run: Run) -> None:
    await asyncio.gather(echo_checkin(a, run), echo_checkin(b, run))


async def bench(plan: Plan) -> None:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        serial = 0
        results: dict[str, list[Run]] = {}
        for _ in range(plan.rounds):
            for workload in ("commands", "check-in"):
                for kind in ("echo", "bot"):
                    serial += 1
                    run = await one_run(kind, workload, plan, tmp, serial)
                    print(run.line(), flush=True)
                    results.setdefault(f"{kind} {workload}", []).append(run)
        serial += 1
        capped = await one_run("bot", "commands", plan, tmp, serial, capped=True)
        print(capped.line(), flush=True)

    print()
    print(f"{'workload':<10} {'echo /s':>9} {'bot /s':>9} {'ratio':>7}   (best of {plan.rounds})")
    for workload in ("commands", "check-in"):
        echo = max(r.rate for r in results[f"echo {workload}"])
        ours = max(r.rate for r in results[f"bot {workload}"])
        print(f"{workload:<10} {echo:9.1f} {ours:9.1f} {ours / echo:6.2f}x")
    print(
        f"default caps: {capped.rate:.1f} replies/s of 30 ({capped.rate / 30:.0%}), "
        f"{capped.refused} 429s, busiest chat second {capped.busiest_chat_second} messages"
    )


async def profile_bot(path: str) -> None:
    """The bot alone, both workloads, with its process profiled into `path` (and .checkin)."""
    plan = Plan(users=50, commands=10, couples=25, rounds=1, capped_users=0, capped_commands=0)
    with tempfile.TemporaryDirectory() as tmp:
        for serial, (workload, suffix) in enumerate((("commands", ""), ("check-in", ".checkin"))):
            os.environ["BENCH_PROFILE"] = path + suffix
            print((await one_run("bot", workload, plan, Path(tmp), serial + 1)).line())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few users, one round")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--profile", metavar="FILE", help="profile the bot alone (pyinstrument)")
    parser.add_argument("--serve", choices=("bot", "echo"), help=argparse.SUPPRESS)
    parser.add_argument("--base-url", help=argparse.SUPPRESS)
    parser.add_argument("--token", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--rate", type=float, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--chat-rate", type=float, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--tick", type=float, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve == "echo":
        asyncio.run(serve_echo(args.base_url, args.token))
    elif args.serve == "bot":
        asyncio.run(
            serve_bot(
                args.base_url,
                args.token,
                args.database_url,
                args.rate,
                args.chat_rate,
                args.tick,
            )
        )
    elif args.profile:
        asyncio.run(profile_bot(args.profile))
    elif args.quick:
        asyncio.run(
            bench(Plan(users=5, commands=3, couples=3, rounds=1, capped_users=5, capped_commands=3))
        )
    else:
        asyncio.run(
            bench(
                Plan(
                    users=100,
                    commands=10,
                    couples=25,
                    rounds=args.rounds,
                    capped_users=100,
                    capped_commands=10,
                )
            )
        )


if __name__ == "__main__":
    main()
