"""Thin Telegram adapters: parse the update, call a service, answer in the user's language."""

from __future__ import annotations

from bot.context import BotApplication
from handlers import (
    appreciation,
    checkin,
    dates,
    days,
    depth,
    eyes,
    fallback,
    flows,
    gestures,
    lovelanguage,
    memories,
    needs,
    pairing,
    privacy,
    requests,
    rituals,
    settings,
    start,
    unwind,
)
from handlers.text_steps import TextSteps

# The flow driver (a repeating job runs it): every guided ritual's pass.
drive_flows = flows.driver(eyes.drive, unwind.drive)


def register(application: BotApplication) -> None:
    """Attach every handler, in the order they must be tried."""
    fallback.register_guards(application)
    start.register(application)
    pairing.register(application)
    settings.register(application)
    rituals.register(application)
    steps = TextSteps()
    checkin.register(application, steps)
    needs.register(application, steps)
    appreciation.register(application, steps)
    dates.register(application, steps)
    depth.register(application)
    requests.register(application, steps)
    memories.register(application)
    gestures.register(application)
    days.register(application, steps)
    flows.register(application)
    eyes.register(application, steps)
    lovelanguage.register(application)
    unwind.register(application, steps)
    privacy.register(application)
    steps.register(application)
    fallback.register(application)
