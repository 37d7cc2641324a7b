"""Wiring the tick into PTB's JobQueue: one short repeating job for all couples (never one job
per couple; schedule state lives in our own tables, not in an APScheduler job store)."""

from __future__ import annotations

import logging
import time

from telegram import Bot

from bot.context import BotApplication, BotContext
from bot.logging_setup import class_chain, withheld
from bot.metrics import Metrics, metrics_of
from bot.models import OutboxStatus
from bot.outgoing import Dispatcher
from bot.runtime import Runtime, TickHook, runtime_of
from bot.services import outbox
from bot.services.retention import prune
from scheduler.delivery import TelegramSender
from scheduler.tick import TickReport, drain, run_tick

log = logging.getLogger(__name__)

TICK_JOB_NAME = "ritual-tick"


async def tick(application: BotApplication) -> TickReport:
    """Run one tick now (tests call this after moving the clock)."""
    return await run_ticks(application.bot, runtime_of(application), metrics_of(application))


async def run_ticks(bot: Bot, runtime: Runtime, metrics: Metrics | None = None) -> TickReport:
    """The repeating job's work: tick hooks first, then every due prompt (timed and counted
    into `metrics` when given)."""
    started, report = time.perf_counter(), None
    try:  # the figures, also of a tick that failed
        report = await _run_ticks(bot, runtime)
    finally:
        if metrics is not None:
            metrics.record_tick(report, time.perf_counter() - started)
    return report


async def _run_ticks(bot: Bot, runtime: Runtime) -> TickReport:
    # Housekeeping first (e.g. closing expired check-ins), so today's prompts start fresh.
    for hook in runtime.tick_hooks:
        try:
            await hook(bot, runtime)
        except Exception as exc:  # housekeeping must not stop rituals
            name = getattr(hook, "__name__", "hook")
            log.error("tick hook %s failed: %s", name, class_chain(exc), exc_info=withheld(exc))
    sender = TelegramSender(
        bot, runtime.db, runtime.clock, runtime.compose, compose_batch=runtime.compose_batch
    )
    report = await run_tick(runtime.db, runtime.clock.now(), sender, grace=runtime.ritual_grace)
    if report.claimed:
        log.info(
            "tick: %d due, %d sent, %d failed, %d late-skipped, %d not sent (inactive/paused)",
            report.claimed,
            report.sent,
            report.failed,
            report.skipped_late,
            report.skipped_inactive,
        )
    return report


async def _tick_job(context: BotContext) -> None:
    await run_ticks(context.bot, context.runtime, metrics_of(context.application))


def install_tick(application: BotApplication, *, interval: float) -> None:
    job_queue = application.job_queue
    if job_queue is None:
        raise RuntimeError("python-telegram-bot[job-queue] is required for rituals")
    job_queue.run_repeating(
        _tick_job,
        interval=interval,
        first=1.0,
        name=TICK_JOB_NAME,
        job_kwargs={"max_instances": 1, "coalesce": True, "misfire_grace_time": None},
    )


FLOW_JOB_NAME = "guided-flows"
FLOW_EVERY = 1.0  # seconds: a timer's 3-2-1 and its edits every few seconds


def install_flow_driver(application: BotApplication, drive: TickHook) -> None:
    """One short repeating job drives every couple's guided flow (timers, ends, time-outs)
    from the flows' stored state: never a job per flow, so a restart loses nothing."""
    assert application.job_queue is not None

    async def job(context: BotContext) -> None:
        try:
            await drive(context.bot, context.runtime)
        except Exception as exc:  # the next pass tries again
            log.error("flow driver failed: %s", class_chain(exc), exc_info=withheld(exc))

    application.job_queue.run_repeating(
        job,
        interval=FLOW_EVERY,
        first=1.0,
        name=FLOW_JOB_NAME,
        job_kwargs={"max_instances": 1, "coalesce": True},
    )


HOUSEKEEPING_JOB_NAME = "housekeeping"
HOUSEKEEPING_EVERY = 6 * 3600  # seconds; retention is measured in days, so this is plenty


async def housekeeping(application: BotApplication) -> dict[str, int]:
    """Prune data past its retention and forget idle rate-limit counters."""
    return await prune_all(runtime_of(application))


async def prune_all(runtime: Runtime) -> dict[str, int]:
    now = runtime.clock.now()
    async with runtime.db.transaction() as session:
        counts = await prune(session, now, runtime.retention)
    for limiter in (runtime.flood, runtime.flood_warned, runtime.relays):
        limiter.prune(runtime.wall.now())
    if any(counts.values()):
        log.info("housekeeping pruned %s", {k: v for k, v in counts.items() if v})
    return counts


async def _housekeeping_job(context: BotContext) -> None:
    await prune_all(context.runtime)


def install_housekeeping(application: BotApplication) -> None:
    assert application.job_queue is not None
    application.job_queue.run_repeating(
        _housekeeping_job,
        interval=HOUSEKEEPING_EVERY,
        first=30.0,
        name=HOUSEKEEPING_JOB_NAME,
        job_kwargs={"max_instances": 1, "coalesce": True},
    )


def make_dispatcher(bot: Bot, runtime: Runtime) -> Dispatcher:
    """What handlers use to send the messages they put in the outbox at once. One attempt
    each: what cannot go now is retried by the tick, with backoff, within its grace window."""
    sender = TelegramSender(bot, runtime.db, runtime.clock, runtime.compose, attempts=1)

    async def dispatch(ids: list[int]) -> dict[int, bool]:
        report = TickReport()
        await drain(runtime.db, runtime.clock.now(), sender, report, ids=ids)
        async with runtime.db.transaction() as session:
            found = await outbox.statuses(session, ids)
        refused = (OutboxStatus.FAILED, OutboxStatus.MISSED)
        return {row_id: found.get(row_id) not in refused for row_id in ids}

    return dispatch
