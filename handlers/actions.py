"""Actions on exchanges, from a tap or from words: one place that loads the user and their
partner, runs the service action in one transaction, and maps the service's refusals (stale,
forged or repeated input, words too long) to a kind answer."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Generic, TypeVar

from telegram import Update

from bot.context import BotContext
from bot.runtime import Runtime
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


class OpenWork:
    """A unit of work opened with its sender (and partner) loaded, not yet committed."""

    __slots__ = ("_stack", "closed", "partner", "user", "work")

    def __init__(self, work: Work, user: Person, partner: Person | None, stack: AsyncExitStack):
        self.work = work
        self.user = user
        self.partner = partner
        self._stack = stack
        self.closed = False

    async def close(self, error: BaseException | None = None) -> None:
        """Commit it, or roll it back when `error` ended the work (once)."""
        if self.closed:
            return
        self.closed = True
        if error is None:
            await self._stack.aclose()
        else:
            await self._stack.__aexit__(type(error), error, error.__traceback__)


async def open_work(runtime: Runtime, update: Update) -> OpenWork:
    """A unit of work with the update's sender and their partner loaded; the caller closes it
    (`OpenWork.close`), never across a call to Telegram."""
    stack = AsyncExitStack()
    work = await stack.enter_async_context(begin(runtime.db))
    try:
        user = await load_user(runtime, work, update)
        partner = await users.partner(work, user)
    except BaseException as error:
        await stack.__aexit__(type(error), error, error.__traceback__)
        raise
    return OpenWork(work, user, partner, stack)


# The open work an update's handler handed on to its first `run_action` (task-local: each
# update runs in a task of its own).
_handed_on: ContextVar[OpenWork | None] = ContextVar("handed_on", default=None)


@asynccontextmanager
async def handed_on(opened: OpenWork) -> AsyncIterator[None]:
    """While the block runs, the update's first `run_action` runs its action in `opened` (no
    second transaction, no second load of the sender) and commits it. Whatever the block
    does before that must touch neither the database nor Telegram. If no action took it,
    `opened` is committed when the block ends (rolled back if the block raised)."""
    token = _handed_on.set(opened)
    try:
        yield
    except BaseException as error:
        await opened.close(error)
        raise
    finally:
        _handed_on.reset(token)
    await opened.close()


async def run_action(update: Update, context: BotContext, action: Action[T]) -> Outcome[T]:
    """Run `action(work, user, partner, now)` in one unit of work (the one handed on by the
    update's handler, if any: see `handed_on`). A refusal (ExchangeError, TooLong) is
    returned, not raised; what the action wrote before a TooLong (a kept draft) is
    committed. What the action relayed to the partner (`relay`) is committed with its change
    and sent once it is."""
    runtime = context.runtime
    now = runtime.clock.now()
    opened = _handed_on.get()
    if opened is None or opened.closed:
        opened = await open_work(runtime, update)
    outcome: Outcome[T] = Outcome(opened.user, opened.partner, None)
    try:
        try:
            outcome.value = await action(opened.work, opened.user, opened.partner, now)
        except ExchangeError as caught:
            outcome.error = caught
        except TooLong as caught:
            outcome.too_long = caught
    except BaseException as error:
        await opened.close(error)
        raise
    await opened.close()
    outcome.delivered = await send_queued(runtime, opened.work)
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
