"""Running the bot until SIGTERM/SIGINT, and the graceful shutdown that follows.

Shutdown, in order:

1. take no new work: the webhook server stops listening and answers 503 to requests that still
   arrive (or the updater stops polling), and the JobQueue is paused, so no new tick starts;
2. let the work in flight finish: a request being handled, an update already fetched, a tick
   that is running, for at most `grace` seconds in all;
3. stop: whatever still runs after that is cancelled (and logged), the application stops, the
   database is closed.

With the default grace of 8 s the process exits within the 10 s that container runtimes
(docker stop, Kubernetes' default is 30 s) wait before they kill it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

from bot.app import start_application
from bot.config import Settings
from bot.context import BotApplication
from bot.webhook import WebhookServer, start_webhook

log = logging.getLogger(__name__)

SHUTDOWN_GRACE = 8.0  # seconds for work in flight; the whole shutdown stays well within 10 s


def pause_jobs(application: BotApplication) -> None:
    """No job (tick, housekeeping) starts from now on; jobs that are running go on."""
    job_queue = application.job_queue
    if job_queue is not None and job_queue.scheduler.running:
        job_queue.scheduler.pause()


async def shutdown(
    application: BotApplication,
    server: WebhookServer | None = None,
    *,
    grace: float = SHUTDOWN_GRACE,
) -> bool:
    """Stop the bot gracefully (see the module's docstring). True when everything in flight
    finished within `grace` seconds, False when something had to be cancelled."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + grace

    def left() -> float:  # past the deadline, a wait still sees what is already done
        return max(deadline - loop.time(), 0.001)

    # 1. No new work.
    if server is not None:
        await server.close_intake()
    updater = application.updater
    if updater is not None and updater.running:
        await updater.stop()  # updates it already fetched are handled below
    pause_jobs(application)

    # 2. Work in flight finishes, all within one deadline.
    finished = True
    if server is not None and not await server.wait_idle(left()):
        log.warning(
            "shutdown: %d webhook request(s) still running after %.1f s; cancelling them "
            "(Telegram delivers those updates again)",
            server.in_flight,
            grace,
        )
        finished = False
    if application.running:
        try:
            await asyncio.wait_for(application.update_queue.join(), left())
        except TimeoutError:
            log.warning("shutdown: fetched updates still being handled after %.1f s", grace)
            finished = False
    job_queue = application.job_queue
    if job_queue is not None and job_queue.scheduler.running:
        # JobQueue.stop(wait=True) waits for running jobs, then shuts the scheduler down. It
        # is shielded so that, past the deadline, shutting the scheduler down without waiting
        # cancels the jobs still running and lets it return.
        stopping = asyncio.ensure_future(job_queue.stop(wait=True))
        try:
            await asyncio.wait_for(asyncio.shield(stopping), left())
        except TimeoutError:
            log.warning("shutdown: a job (tick) still running after %.1f s; cancelling it", grace)
            finished = False
            if job_queue.scheduler.running:
                job_queue.scheduler.shutdown(wait=False)  # stops waiting for running jobs
            with contextlib.suppress(Exception):
                await stopping
            await _cancel_running_jobs()

    # 3. Stop.
    if server is not None:
        await server.stop()
    if application.running:
        await application.stop()
    if application.post_stop is not None:
        await application.post_stop(application)
    await application.shutdown()
    if application.post_shutdown is not None:
        await application.post_shutdown(application)
    log.info("stopped%s", "" if finished else " (work in flight was cancelled)")
    return finished


async def _cancel_running_jobs() -> None:
    """PTB shields a running job from the scheduler's cancellation (Job.run awaits
    asyncio.shield(Job._run(...))), so the job's own task is cancelled here. A prompt it had
    claimed and not yet sent stays unsent (never sent twice), as after a crash. Were PTB to
    rename Job._run, nothing is found here and the job ends when the event loop closes."""
    current = asyncio.current_task()
    tasks = [
        task
        for task in asyncio.all_tasks()
        if task is not current
        and not task.done()
        and getattr(task.get_coro(), "__qualname__", "") == "Job._run"
    ]
    for task in tasks:
        task.cancel()
    if tasks:
        await asyncio.gather(*tasks, return_exceptions=True)


async def serve(settings: Settings, application: BotApplication) -> int:
    """Run until SIGTERM or SIGINT, then shut down gracefully; the exit status."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    signals = (signal.SIGTERM, signal.SIGINT)
    for signum in signals:
        loop.add_signal_handler(signum, stop.set)
    try:
        server: WebhookServer | None = None
        if settings.webhook is not None:
            server = await start_webhook(application, settings.webhook)  # cleans up on failure
            log.info("webhook mode: Telegram posts updates to %s", settings.webhook.url)
        else:
            try:
                await start_application(application)
            except BaseException:
                await shutdown(application, grace=0)
                raise
            log.info("polling mode: fetching updates with getUpdates")
        await stop.wait()
        log.info("stopping: finishing the work in flight (at most %.0f s)", SHUTDOWN_GRACE)
        await shutdown(application, server)
    finally:
        for signum in signals:
            loop.remove_signal_handler(signum)
    return 0
