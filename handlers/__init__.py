"""Thin Telegram adapters: parse the update, call a service, answer in the user's language."""

from __future__ import annotations

from bot.context import BotApplication
from handlers import (
    appreciation,
    checkin,
    dates,
    fallback,
    pairing,
    privacy,
    requests,
    rituals,
    settings,
    start,
    text_input,
)


def register(application: BotApplication) -> None:
    """Attach every handler, in the order they must be tried."""
    fallback.register_guards(application)
    start.register(application)
    pairing.register(application)
    settings.register(application)
    rituals.register(application)
    checkin.register(application)
    appreciation.register(application)
    dates.register(application)
    requests.register(application)
    privacy.register(application)
    text_input.register(application)
    fallback.register(application)
