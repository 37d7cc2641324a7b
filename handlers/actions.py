"""Actions on exchanges, from a tap or from words: one place that loads the user and their
partner, runs the service action in one transaction, and maps the service's refusals (stale,
forged or repeated input, words too long) to a kind answer."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Generic, TypeVar

from telegram import Update

from bot.context import BotContext
from bot.services import users
from bot.services.exchange_errors import ExchangeError, Stale, TooLong
from bot.services.people import Person
from bot.services.work import Work, begin
from handlers.common import answer_callback, load_user, reply, send_queued, translator_for
from locales import Translator

T = TypeVar("T")
E = TypeVar("E", bound=Enum)
Action = Callable[[Work, Person, Person | None, datetime], Awaitable[T]]


def stale_text(_: Translator, error: ExchangeError) -> str:
    if error.reason is Stale.ALREADY:
        return _("Already done, thank you!")
    if error.reason is Stale.CLOSED:
        return _("This exchange has closed.")
    if error.reason is Stale.ANSWERED:
        return _("This question already has an answer, so it stays for today.")
    if error.reason is Stale.WRONG_STEP:
        return _("That step is already behind you.")
    return _("This button is no longer valid.")


async def answer_stale(update: Update, _: Translator, error: ExchangeError) -> None:
    await answer_callback(update, stale_text(_, error))


MAX_ID = 2**31 - 1  # ids in buttons are 32-bit database ids


def parse_int(text: str) -> int | None:
    """A plain ASCII number that fits a database id, else None (forged or garbled)."""
    if not (text.isascii() and text.isdigit()) or len(text) > 10:
        return None
    value = int(text)
    return value if value <= MAX_ID else None


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


def require(partner: Person | None) -> Person:
    if partner is None:
        raise ExchangeError(Stale.NOT_YOURS)
    return partner


@dataclass(slots=True)
class Outcome(Generic[T]):
    user: Person
    partner: Person | None
    value: T | None
    error: ExchangeError | None = None
    too_long: TooLong | None = None
    # What the action relayed (`relay`) reached Telegram, or waits for a retry (True when it
    # relayed nothing); False when Telegram refused it for good.
    delivered: bool = True

    @property
    def ok(self) -> bool:
        return self.error is None and self.too_long is None

    @property
    def translator(self) -> Translator:
        return translator_for(self.user)


async def run_action(update: Update, context: BotContext, action: Action[T]) -> Outcome[T]:
    """Run `action(work, user, partner, now)` in one unit of work. A refusal (ExchangeError,
    TooLong) is returned, not raised; what the action wrote before a TooLong (a kept draft) is
    committed. What the action relayed to the partner (`relay`) is committed with its change
    and sent once it is."""
    runtime = context.runtime
    now = runtime.clock.now()
    async with begin(runtime.db) as work:
        user = await load_user(runtime, work, update)
        partner = await users.partner(work, user)
        outcome: Outcome[T] = Outcome(user, partner, None)
        try:
            outcome.value = await action(work, user, partner, now)
        except ExchangeError as caught:
            outcome.error = caught
        except TooLong as caught:
            outcome.too_long = caught
    outcome.delivered = await send_queued(runtime, work)
    return outcome


async def handle_tap(update: Update, context: BotContext, action: Action[T]) -> Outcome[T]:
    """A button tap: a refused one is answered with a short friendly text."""
    outcome = await run_action(update, context, action)
    if outcome.error is not None:
        await answer_stale(update, outcome.translator, outcome.error)
    return outcome


async def handle_text(
    update: Update,
    context: BotContext,
    action: Action[T],
    *,
    closed: Callable[[Translator], str],
    too_long: Callable[[Translator, TooLong], str],
) -> Outcome[T]:
    """Words for an open step: a refused one gets `closed` (the step is over and nothing was
    passed on), words over the limit get `too_long`."""
    outcome = await run_action(update, context, action)
    _ = outcome.translator
    if outcome.error is not None:
        await reply(update, closed(_))
    elif outcome.too_long is not None:
        await reply(update, too_long(_, outcome.too_long))
    return outcome
