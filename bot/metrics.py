"""`/healthz` and `/metrics` for operators, on METRICS_PORT (0, the default, turns them off).

The server listens on METRICS_LISTEN, 127.0.0.1 unless the operator says otherwise: it is
never one of the paths a webhook's reverse proxy forwards, and it needs no token because it
should not be reachable from outside the host (or the container network) in the first place.

* ``GET /healthz``: ``200 ok`` while the bot is running and its database answers
  ``SELECT 1``; else ``503`` with one word why: ``stopped`` (not running: still starting,
  or stopping) or ``database``.
* ``GET /metrics``: the Prometheus text format, from this application's own
  ``CollectorRegistry`` (never the process-wide default one, so two applications in one
  process, as in the tests, count apart).

Figures: the due backlog (ritual schedules due now, counted when scraped), prompts by outcome
(from each tick's report), Telegram 429 answers seen, tick duration and update handling
latency (from arrival at the update processor until fully handled), both histograms.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import generate_latest
from sqlalchemy import func, select, text

from bot.models import RitualSchedule

if TYPE_CHECKING:
    from telegram.ext import Application

    from bot.config import Settings
    from bot.runtime import Runtime
    from scheduler.tick import TickReport

log = logging.getLogger(__name__)

METRICS_KEY = "metrics"  # in application.bot_data
DATABASE_TIMEOUT_SECONDS = 3.0
PROMPT_OUTCOMES = ("sent", "failed", "skipped_late", "skipped_inactive", "duplicate")
TICK_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0)
UPDATE_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class Metrics:
    """The bot's figures, in a registry of their own."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.due_backlog = Gauge(
            "couples_due_backlog",
            "Ritual schedules due now (enabled, next fire time passed), counted at each scrape; "
            "NaN when the database did not answer.",
            registry=self.registry,
        )
        self.prompts = Counter(
            "couples_prompts",
            "Ritual prompts handled by the tick, by outcome: sent, failed (Telegram refused or "
            "gave up), skipped_late (missed by more than RITUAL_GRACE_MINUTES), "
            "skipped_inactive (blocked, unpaired or paused), duplicate (already delivered).",
            ["outcome"],
            registry=self.registry,
        )
        for outcome in PROMPT_OUTCOMES:
            self.prompts.labels(outcome)  # present (at 0) from the start
        self.telegram_429 = Counter(
            "couples_telegram_429",
            "429 Too Many Requests answers from Telegram (each one, retried or not).",
            registry=self.registry,
        )
        self.tick_seconds = Histogram(
            "couples_tick_duration_seconds",
            "How long one tick took: housekeeping hooks, claiming due prompts, sending them.",
            buckets=TICK_BUCKETS,
            registry=self.registry,
        )
        self.tick_errors = Counter(
            "couples_tick_errors",
            "Ticks that ended with an exception (e.g. the database did not answer).",
            registry=self.registry,
        )
        self.update_seconds = Histogram(
            "couples_update_handling_seconds",
            "From an update's arrival at the update processor until it is fully handled "
            "(waiting behind earlier updates included).",
            buckets=UPDATE_BUCKETS,
            registry=self.registry,
        )

    def record_tick(self, report: TickReport | None, seconds: float) -> None:
        """One tick's duration and figures (report None: the tick failed)."""
        self.tick_seconds.observe(seconds)
        if report is None:
            self.tick_errors.inc()
            return
        for outcome, count in (
            ("sent", report.sent),
            ("retried", report.retried),
            ("unknown", report.unknown),
            ("missed", report.missed),
            ("failed", report.failed),
            ("skipped_late", report.skipped_late),
            ("skipped_inactive", report.skipped_inactive),
            ("duplicate", report.duplicates),
        ):
            if count:
                self.prompts.labels(outcome).inc(count)

    def render(self) -> bytes:
        return generate_latest(self.registry)


def metrics_of(application: Application[Any, Any, Any, Any, Any, Any]) -> Metrics | None:
    metrics = application.bot_data.get(METRICS_KEY)
    return metrics if isinstance(metrics, Metrics) else None


# ---------------------------------------------------------------------- the HTTP side


async def _scalar(runtime: Runtime, statement: Any) -> Any:
    """One value read outside a transaction (SQLite: no write lock for a health probe)."""
    async with runtime.db.engine.connect() as connection:
        auto = await connection.execution_options(isolation_level="AUTOCOMMIT")
        return (await auto.execute(statement)).scalar()


async def due_backlog(runtime: Runtime) -> int:
    statement = (
        select(func.count())
        .select_from(RitualSchedule)
        .where(RitualSchedule.next_fire_at <= runtime.clock.now(), RitualSchedule.enabled)
    )
    return int(await _scalar(runtime, statement) or 0)


class MetricsServer:
    """A running /healthz + /metrics server; `stop()` ends it."""

    def __init__(self, runner: web.AppRunner, host: str, port: int) -> None:
        self._runner: web.AppRunner | None = runner
        self.host = host
        self.port = port

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    async def stop(self) -> None:
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()


def metrics_app(metrics: Metrics, runtime: Runtime, alive: Callable[[], bool]) -> web.Application:
    async def healthz(request: web.Request) -> web.Response:
        if not alive():
            return web.Response(status=503, text="stopped\n")
        try:
            await asyncio.wait_for(_scalar(runtime, text("SELECT 1")), DATABASE_TIMEOUT_SECONDS)
        except Exception as error:  # any failure means "not healthy"; say which, briefly
            log.warning("health check: the database did not answer (%s)", type(error).__name__)
            return web.Response(status=503, text="database\n")
        return web.Response(text="ok\n")

    async def scrape(request: web.Request) -> web.Response:
        try:
            backlog = await asyncio.wait_for(due_backlog(runtime), DATABASE_TIMEOUT_SECONDS)
            metrics.due_backlog.set(backlog)
        except Exception as error:
            log.warning("metrics: could not count the backlog (%s)", type(error).__name__)
            metrics.due_backlog.set(math.nan)
        return web.Response(body=metrics.render(), headers={"Content-Type": CONTENT_TYPE_LATEST})

    app = web.Application()
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", scrape)
    return app


async def start_metrics_server(
    metrics: Metrics,
    runtime: Runtime,
    settings: Settings,
    alive: Callable[[], bool] = lambda: True,
) -> MetricsServer:
    """Serve /healthz and /metrics on METRICS_LISTEN:METRICS_PORT until `stop()`. `alive` says
    whether the bot is running (False: /healthz answers 503)."""
    host, port = settings.metrics_listen, settings.metrics_port
    runner = web.AppRunner(
        metrics_app(metrics, runtime, alive),
        access_log=None,
        handle_signals=False,
        shutdown_timeout=1.0,
    )
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
    except BaseException:
        await runner.cleanup()
        raise
    bound = runner.addresses[0]
    server = MetricsServer(runner, host, int(bound[1]))
    log.info("metrics: %s/metrics and %s/healthz", server.url, server.url)
    return server
