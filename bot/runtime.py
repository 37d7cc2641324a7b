"""What handlers and jobs share: the database, the clock and facts about the bot."""

from __future__ import annotations

from dataclasses import dataclass, field

from telegram.ext import CallbackContext

from bot.clock import Clock
from bot.db import Database

RUNTIME_KEY = "runtime"


@dataclass(slots=True)
class Runtime:
    db: Database
    clock: Clock
    bot_username: str = field(default="")


def get_runtime(context: CallbackContext) -> Runtime:  # type: ignore[type-arg]
    runtime = context.application.bot_data[RUNTIME_KEY]
    assert isinstance(runtime, Runtime)
    return runtime
