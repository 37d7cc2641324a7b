"""Inline-button taps on exchanges: one place that loads the presser and their partner, runs
the service action in a transaction, and answers stale, forged or repeated taps kindly."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update

from bot.context import BotContext
from bot.models import User
from bot.services import users
from bot.services.exchange_errors import ExchangeError, Stale
from handlers.common import answer_callback, load_user, translator_for
from locales import Translator

T = TypeVar("T")
E = TypeVar("E", bound=Enum)
Action = Callable[[AsyncSession, User, User | None, datetime], Awaitable[T]]


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


def tap_parts(update: Update, count: int) -> list[str]:
    """The callback data split on ':'; a forged shape is simply not ours."""
    data = update.callback_query.data if update.callback_query else None
    parts = (data or "").split(":")
    if len(parts) != count:
        raise ExchangeError(Stale.NOT_YOURS)
    return parts


def tap_id(text: str) -> int:
    value = parse_int(text)
    if value is None:
        raise ExchangeError(Stale.NOT_YOURS)
    return value


def tap_choice(kind: type[E], text: str) -> E:
    try:
        return kind(text)
    except ValueError:
        raise ExchangeError(Stale.NOT_YOURS) from None


def require(partner: User | None) -> User:
    if partner is None:
        raise ExchangeError(Stale.NOT_YOURS)
    return partner


@dataclass(slots=True)
class Tap(Generic[T]):
    user: User
    partner: User | None
    value: T | None
    ok: bool

    @property
    def translator(self) -> Translator:
        return translator_for(self.user)


async def handle_tap(update: Update, context: BotContext, action: Action[T]) -> Tap[T]:
    """Run `action(session, user, partner, now)`; on ExchangeError the tap is answered with a
    short friendly text and `ok` is False."""
    runtime = context.runtime
    now = runtime.clock.now()
    error: ExchangeError | None = None
    value: T | None = None
    async with runtime.db.transaction() as session:
        user = await load_user(runtime, session, update)
        partner = await users.partner_of(session, user)
        try:
            value = await action(session, user, partner, now)
        except ExchangeError as caught:
            error = caught
    if error is not None:
        await answer_stale(update, translator_for(user), error)
    return Tap(user, partner, value, error is None)
