"""Sending a due prompt through Telegram: waits out 429s, retries network errors and 5xx with
backoff, and treats a 403 as "this user stopped the bot" (their rituals stop; the partner is
told once). Nothing is dropped without a log line saying why."""

from __future__ import annotations

import asyncio
import html
import logging

from aiolimiter import AsyncLimiter
from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.clock import Clock
from bot.db import Database
from bot.outgoing import Composer, Outgoing, send_part
from bot.services import conversation, people, users
from locales import Translator
from scheduler.tick import DuePrompt

log = logging.getLogger(__name__)

PER_CHAT_INTERVAL = 1.0  # seconds between two messages to the same private chat


class TelegramSender:
    def __init__(
        self,
        bot: Bot,
        db: Database,
        clock: Clock,
        compose: Composer,
        *,
        attempts: int = 4,
        backoff_seconds: float = 1.0,
        per_chat_interval: float = PER_CHAT_INTERVAL,
    ) -> None:
        self.bot = bot
        self.db = db
        self.clock = clock
        self.compose = compose
        self.attempts = attempts
        self.backoff_seconds = backoff_seconds
        self.per_chat_interval = per_chat_interval
        # Telegram allows about one message per second in a private chat; AIORateLimiter paces
        # the whole bot (30/s) but not single private chats, so each chat gets its own bucket.
        self._chats: dict[int, AsyncLimiter] = {}

    def _pace(self, chat_id: int) -> AsyncLimiter:
        limiter = self._chats.get(chat_id)
        if limiter is None:
            limiter = self._chats[chat_id] = AsyncLimiter(1, self.per_chat_interval)
        return limiter

    async def __call__(self, prompt: DuePrompt) -> str | None:
        composed = await self.compose(self.db, self.clock, prompt.user_id, prompt.ritual)
        if composed is None:
            log.info("%s for user %s: nothing to send", prompt.ritual, prompt.user_id)
            return None
        chat_id, out = composed
        for part in out.parts():
            failure = await self.send(prompt.user_id, chat_id, part)
            if failure is not None:
                return failure
        return None

    async def send(self, user_id: int, chat_id: int, part: Outgoing) -> str | None:
        for attempt in range(1, self.attempts + 1):
            try:
                async with self._pace(chat_id):
                    message = await send_part(self.bot, chat_id, part)
            except Forbidden:
                await self.mark_inactive(user_id)
                return "blocked by the user"
            except RetryAfter as exc:  # the rate limiter already retried; wait once more
                delay = exc.retry_after
                seconds = delay.total_seconds() if hasattr(delay, "total_seconds") else delay
                log.info("429 for chat %s; waiting %.1fs (attempt %d)", chat_id, seconds, attempt)
                await asyncio.sleep(float(seconds))
            except BadRequest as exc:
                return f"bad request: {exc.message[:40]}"
            except NetworkError as exc:  # includes timeouts and 5xx
                wait = self.backoff_seconds * 2 ** (attempt - 1)
                log.info(
                    "network error for chat %s (%s); retry in %.1fs", chat_id, exc.message, wait
                )
                await asyncio.sleep(wait)
            except TelegramError as exc:
                return f"telegram error: {type(exc).__name__}"
            else:
                if part.step_id is not None:  # a reply to this prompt answers its step
                    async with self.db.transaction() as session:
                        await conversation.remember_prompt(
                            session, part.step_id, message.message_id
                        )
                return None
        return f"gave up after {self.attempts} attempts"

    async def mark_inactive(self, user_id: int) -> None:
        """Stop the user's rituals and tell their partner, once."""
        async with self.db.transaction() as session:
            user = await users.get_user(session, user_id)
            if user is None:
                return
            user.is_active = False
            partner = await users.partner_of(session, user)
            notify = partner is not None and not user.inactive_notice_sent
            user.inactive_notice_sent = True
        log.warning("user %s blocked the bot; their rituals stop", user_id)
        if notify and partner is not None:
            _ = Translator(people.language_of(partner))
            text = _(
                "{partner} is not receiving my messages any more (perhaps they blocked me), "
                "so their rituals are paused. Yours keep coming."
            ).format(partner=html.escape(user.first_name, quote=False))
            try:
                await self.bot.send_message(partner.chat_id, text)
            except TelegramError as exc:
                log.warning("could not tell partner %s: %s", partner.id, type(exc).__name__)
