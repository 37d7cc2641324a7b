"""Sending one outbox row through Telegram, and what its outcome means for the row.

- Delivered: `sent`.
- Refused in a way that proves nothing arrived (429, a 5xx answer, a connection that never
  opened): retried here a few times quickly, then handed back to the outbox to retry with
  backoff while the grace window lasts.
- The request went out but no answer came back (a read time-out, a dropped connection): it
  may have been delivered, and Telegram has no idempotency key, so it is never resent:
  `unknown`, logged and counted.
- Refused for good: 403 (blocked), "chat not found", "user is deactivated": the user is marked
  inactive (the couple's rituals pause until they write again; the partner is told once,
  through the outbox) and the row `failed`.
Nothing is dropped without a log line saying why."""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import Sequence
from datetime import timedelta

import httpx
from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut

from bot.clock import Clock
from bot.db import Database
from bot.logging_setup import class_chain, withheld
from bot.outgoing import BatchComposer, Composer, Outgoing, message_parts, send_part
from bot.services import conversation, reachability
from bot.services.people import Person
from bot.services.rituals import Ritual
from locales import Translator
from scheduler.tick import DuePrompt, Outcome, SendResult

log = logging.getLogger(__name__)

GONE = ("chat not found", "user is deactivated", "bot was blocked", "bot was kicked")


def never_arrived(error: NetworkError) -> bool:
    """True when the request provably did not reach Telegram (or Telegram answered that it
    failed): then sending again cannot make a duplicate."""
    cause = error.__cause__
    if isinstance(error, TimedOut):
        return isinstance(cause, httpx.ConnectTimeout | httpx.PoolTimeout)
    if cause is None:  # Telegram answered with an error status (5xx): nothing was sent
        return True
    return isinstance(cause, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)


class TelegramSender:
    def __init__(
        self,
        bot: Bot,
        db: Database,
        clock: Clock,
        compose: Composer,
        *,
        compose_batch: BatchComposer | None = None,
        attempts: int = 4,
        backoff_seconds: float = 1.0,
        notice_grace: timedelta = timedelta(minutes=120),
    ) -> None:
        self.bot = bot
        self.db = db
        self.clock = clock
        self.compose = compose
        self.compose_batch = compose_batch
        # Prompts of the batch being sent, composed together (`prepare`), by outbox row id.
        self.composed: dict[int, tuple[int, Outgoing] | None] = {}
        self.attempts = attempts
        self.backoff_seconds = backoff_seconds
        self.notice_grace = notice_grace
        # Pacing (overall and per chat) is the bot's rate limiter's: bot.ratelimit.

    async def prepare(self, rows: Sequence[DuePrompt]) -> None:
        """Compose these rows' prompts together, in one transaction, before they are sent. If
        that fails, each is composed on its own when sent (and a failure is that row's)."""
        prompts = [row for row in rows if row.ritual is not None]
        if self.compose_batch is None or not prompts:
            return
        wanted = [(row.user_id, Ritual(row.ritual)) for row in prompts if row.ritual]
        try:
            composed = await self.compose_batch(self.db, self.clock, wanted)
        except Exception as exc:
            log.error(
                "composing %d prompts together failed: %s; one by one instead",
                len(wanted),
                class_chain(exc),
                exc_info=withheld(exc),
            )
            return
        self.composed.update(zip((row.id for row in prompts), composed, strict=True))

    async def __call__(self, row: DuePrompt) -> SendResult:
        if row.ritual is None:
            assert row.payload is not None
            chat_id, parts = message_parts(row.payload)
        else:
            if row.id in self.composed:
                composed = self.composed.pop(row.id)
            else:
                composed = await self.compose(self.db, self.clock, row.user_id, Ritual(row.ritual))
            if composed is None:
                log.info("%s for user %s: nothing to send", row.ritual, row.user_id)
                return SendResult(Outcome.NOTHING)
            chat_id, out = composed
            parts = out.parts()
        for index, part in enumerate(parts):
            result = await self.send(row.user_id, chat_id, part)
            if result.outcome is not Outcome.SENT:
                if index and result.outcome is Outcome.RETRY:  # the first part did arrive
                    return SendResult(Outcome.UNKNOWN, f"partly sent; {result.reason}")
                return result
        return SendResult(Outcome.SENT)

    async def send(self, user_id: int, chat_id: int, part: Outgoing) -> SendResult:
        """One message, with a few quick retries while nothing can have arrived."""
        last = SendResult(Outcome.RETRY, "not tried")
        for attempt in range(1, self.attempts + 1):
            try:
                message = await send_part(self.bot, chat_id, part)
            except Forbidden as exc:
                await self.mark_inactive(user_id)
                return SendResult(Outcome.FAILED, f"forbidden: {exc.message[:40]}")
            except RetryAfter as exc:  # the rate limiter already retried; wait once more
                delay = exc.retry_after
                seconds = float(delay.total_seconds() if isinstance(delay, timedelta) else delay)
                log.info("429 for chat %s; waiting %.1fs (attempt %d)", chat_id, seconds, attempt)
                last = SendResult(Outcome.RETRY, "429", timedelta(seconds=seconds))
                await asyncio.sleep(seconds)
            except BadRequest as exc:
                if any(gone in exc.message.lower() for gone in GONE):
                    await self.mark_inactive(user_id)
                return SendResult(Outcome.FAILED, f"bad request: {exc.message[:40]}")
            except NetworkError as exc:  # time-outs, connection errors, 5xx
                if not never_arrived(exc):
                    log.warning(
                        "no answer from Telegram for chat %s (%s): maybe delivered, not resent",
                        chat_id,
                        type(exc.__cause__ or exc).__name__,
                    )
                    return SendResult(Outcome.UNKNOWN, f"no answer: {type(exc).__name__}")
                wait = self.backoff_seconds * 2 ** (attempt - 1)
                log.info("chat %s: %s; retry in %.1fs", chat_id, type(exc).__name__, wait)
                last = SendResult(Outcome.RETRY, f"network: {exc.message[:40]}")
                await asyncio.sleep(wait)
            except TelegramError as exc:
                return SendResult(Outcome.FAILED, f"telegram error: {type(exc).__name__}")
            else:
                if part.step_id is not None:  # a reply to this prompt answers its step
                    async with self.db.transaction() as session:
                        await conversation.remember_prompt(
                            session, part.step_id, message.message_id
                        )
                return SendResult(Outcome.SENT)
        return last

    async def mark_inactive(self, user_id: int) -> None:
        """Telegram refuses this user for good: their rituals and their partner's stop until
        they write again; the partner is told once, through the outbox (sent by this tick)."""
        async with self.db.transaction() as session:
            await reachability.stopped_receiving(
                session, user_id, self.clock.now(), self.notice_grace, unreachable_notice
            )
        log.warning("user %s does not receive messages; the couple's rituals pause", user_id)


def unreachable_notice(recipient: Person, absent: Person) -> str:
    """For the partner of someone Telegram cannot reach: neutral, no guess at why."""
    _ = Translator(recipient.language)
    return _(
        "{partner} isn't receiving my messages at the moment, so your shared rituals are "
        "paused. They start again by themselves as soon as {partner} is back."
    ).format(partner=html.escape(absent.first_name, quote=False))
