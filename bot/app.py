"""Builds the PTB Application: API endpoints, rate limiting, handlers, start-up work."""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import BotCommandScopeDefault
from telegram.constants import ParseMode
from telegram.ext import ApplicationBuilder, Defaults

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.context import CONTEXT_TYPES, BotApplication
from bot.db import Database
from bot.metrics import METRICS_KEY, Metrics, MetricsServer, start_metrics_server
from bot.ratelimit import PacedRateLimiter, Pacer
from bot.runtime import RUNTIME_KEY, Runtime
from bot.update_processing import NotifyingUpdateProcessor
from handlers import drive_flows, register
from handlers.checkin import close_expired
from handlers.commands import bot_commands
from handlers.dates import send_due as send_due_dates
from handlers.days import send_due_days
from handlers.requests import send_due_checks
from handlers.ritual_entry import compose_ritual, compose_rituals
from locales import DEFAULT_LANGUAGE, LANGUAGES, Translator
from scheduler.jobs import install_flow_driver, install_housekeeping, install_tick, make_dispatcher

log = logging.getLogger(__name__)


async def register_commands(application: BotApplication) -> None:
    """setMyCommands once per language, plus the default (English) list."""
    bot = application.bot
    scope = BotCommandScopeDefault()
    await bot.set_my_commands(bot_commands(Translator(DEFAULT_LANGUAGE)), scope=scope)
    for code in LANGUAGES:
        # Telegram wants a two-letter ISO 639-1 code here: pt_BR is registered as "pt".
        await bot.set_my_commands(
            bot_commands(Translator(code)), scope=scope, language_code=code.split("_", 1)[0]
        )


def build_application(
    settings: Settings,
    *,
    database: Database | None = None,
    clock: Clock | None = None,
) -> BotApplication:
    """A ready-to-run Application. The database must already be migrated."""
    db = database or Database(settings.database_url)
    runtime = Runtime(
        db=db,
        clock=clock or SystemClock(),
        ritual_grace=timedelta(minutes=settings.ritual_grace_minutes),
        retention=timedelta(days=settings.retention_days),
        compose=compose_ritual,
        compose_batch=compose_rituals,
        tick_hooks=[close_expired, send_due_dates, send_due_checks, send_due_days],
        send_rate=settings.telegram_rate_limit,
    )
    metrics, servers = Metrics(), list[MetricsServer]()

    async def post_init(application: BotApplication) -> None:
        me = await application.bot.get_me()
        runtime.bot_username = me.username or ""
        await register_commands(application)
        log.info("bot @%s is ready", runtime.bot_username)
        if settings.metrics_port:  # /healthz and /metrics, until post_shutdown
            serve = start_metrics_server(metrics, runtime, settings, lambda: application.running)
            servers.append(await serve)

    async def post_shutdown(application: BotApplication) -> None:
        while servers:
            await servers.pop().stop()
        if database is None:
            await db.dispose()

    builder = (
        ApplicationBuilder()
        .context_types(CONTEXT_TYPES)
        .token(settings.token)
        .base_url(settings.api_base_url)
        .base_file_url(settings.api_base_file_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        .rate_limiter(
            PacedRateLimiter(
                overall_per_second=settings.telegram_rate_limit,
                chat_pacer=Pacer(settings.telegram_chat_rate_limit)
                if settings.telegram_chat_rate_limit
                else None,
                on_429=metrics.telegram_429.inc,
            )
        )
        .concurrent_updates(
            NotifyingUpdateProcessor(runtime.handled, metrics.update_seconds.observe, runtime.clock)
        )
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    if settings.mode == "webhook":
        builder = builder.updater(None)  # updates arrive through bot.webhook, not getUpdates
    application = builder.build()
    application.bot_data[RUNTIME_KEY] = runtime
    runtime.dispatch = make_dispatcher(application.bot, runtime)
    application.bot_data[METRICS_KEY] = metrics
    register(application)
    if settings.tick_seconds > 0:
        install_tick(application, interval=settings.tick_seconds)
        install_housekeeping(application)
        install_flow_driver(application, drive_flows)
    return application


ALLOWED_UPDATES = ["message", "callback_query"]


async def start_application(
    application: BotApplication,
    *,
    poll_timeout: float = 10.0,
) -> None:
    """Start polling in a running event loop (what run_polling does, for tests and embedding)."""
    await application.initialize()
    if application.post_init is not None:
        await application.post_init(application)
    assert application.updater is not None
    await application.updater.start_polling(
        poll_interval=0.0, timeout=int(poll_timeout), allowed_updates=ALLOWED_UPDATES
    )
    await application.start()


async def stop_application(application: BotApplication) -> None:
    if application.updater is not None and application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
    if application.post_stop is not None:
        await application.post_stop(application)
    await application.shutdown()
    if application.post_shutdown is not None:
        await application.post_shutdown(application)
