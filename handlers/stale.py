"""Short, friendly answers for buttons that can no longer do anything."""

from __future__ import annotations

from telegram import Update

from bot.services.exchange_errors import ExchangeError, Stale
from handlers.common import answer_callback
from locales import Translator


def stale_text(_: Translator, error: ExchangeError) -> str:
    if error.reason is Stale.ALREADY:
        return _("Already done, thank you!")
    if error.reason is Stale.CLOSED:
        return _("This exchange has closed.")
    if error.reason is Stale.WRONG_STEP:
        return _("That step is already behind you.")
    return _("This button is no longer valid.")


async def answer_stale(update: Update, _: Translator, error: ExchangeError) -> None:
    await answer_callback(update, stale_text(_, error))


def parse_int(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) < 12 else None
