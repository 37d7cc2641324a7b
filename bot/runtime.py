"""What handlers and jobs share: the database, the clock and facts about the bot."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from telegram.ext import Application, CallbackContext

from bot.clock import Clock
from bot.db import Database
from bot.ratelimit import SlidingWindow

RUNTIME_KEY = "runtime"


@dataclass(slots=True)
class Runtime:
    db: Database
    clock: Clock
    bot_username: str = field(default="")
    ritual_grace: timedelta = field(default=timedelta(minutes=120))
    retention: timedelta = field(default=timedelta(days=365))
    # Builds a ritual's first message; set by the application factory (see handlers/).
    compose: Any = None
    # Flood protection: updates per user, and relays to the partner per user.
    flood: SlidingWindow = field(default_factory=lambda: SlidingWindow(12, timedelta(seconds=10)))
    flood_warned: SlidingWindow = field(
        default_factory=lambda: SlidingWindow(1, timedelta(seconds=10))
    )
    relays: SlidingWindow = field(default_factory=lambda: SlidingWindow(5, timedelta(minutes=10)))
    # Extra work for each tick, e.g. closing expired check-ins: async fn(application).
    tick_hooks: list[Any] = field(default_factory=list)


def runtime_of(application: Application) -> Runtime:  # type: ignore[type-arg]
    runtime = application.bot_data[RUNTIME_KEY]
    assert isinstance(runtime, Runtime)
    return runtime


def get_runtime(context: CallbackContext) -> Runtime:  # type: ignore[type-arg]
    return runtime_of(context.application)
