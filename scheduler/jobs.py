"""Wiring the tick into PTB's JobQueue: one short repeating job for all couples (never one job
per couple; schedule state lives in our own tables, not in an APScheduler job store)."""

from __future__ import annotations

import logging

from telegram.ext import Application, ContextTypes

from bot.runtime import runtime_of
from scheduler.delivery import TelegramSender
from scheduler.tick import TickReport, run_tick

log = logging.getLogger(__name__)

TICK_JOB_NAME = "ritual-tick"


async def tick(application: Application) -> TickReport:  # type: ignore[type-arg]
    """Run one tick now (the repeating job calls this; tests call it after moving the clock)."""
    runtime = runtime_of(application)
    sender = TelegramSender(application.bot, runtime.db, runtime.clock, runtime.compose)
    report = await run_tick(runtime.db, runtime.clock.now(), sender, grace=runtime.ritual_grace)
    for hook in runtime.tick_hooks:
        try:
            await hook(application)
        except Exception:  # housekeeping must not stop rituals
            log.exception("tick hook %s failed", getattr(hook, "__name__", hook))
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


async def _tick_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    await tick(context.application)


def install_tick(application: Application, *, interval: float) -> None:  # type: ignore[type-arg]
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
