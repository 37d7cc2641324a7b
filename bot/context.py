"""The typed callback context every handler and job receives (python-telegram-bot's
`ContextTypes`), with the bot's shared runtime one attribute away."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot

from bot.runtime import Runtime, runtime_of


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[str, Any]]):
    """`context.runtime` is the database, clock and limits the handlers share."""

    @property
    def runtime(self) -> Runtime:
        return runtime_of(self.application)


BotApplication = Application[
    ExtBot[Any],
    BotContext,
    dict[Any, Any],
    dict[Any, Any],
    dict[str, Any],
    Any,
]

CONTEXT_TYPES: ContextTypes[BotContext, dict[Any, Any], dict[Any, Any], dict[str, Any]] = (
    ContextTypes(context=BotContext)
)
