"""Sending a due prompt through Telegram: waits out 429s, retries network errors and 5xx with
backoff, and treats a 403 as "this user stopped the bot" (their rituals stop; the partner is
told once). Nothing is dropped without a log line saying why."""

from __future__ import annotations

import asyncio
import html
import logging

from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.clock import Clock
from bot.db import Database
from bot.prompts import ritual_prompt
from bot.services import users
from locales import Translator
from scheduler.tick import DuePrompt

log = logging.getLogger(__name__)


class TelegramSender:
    def __init__(
        self,
        bot: Bot,
        db: Database,
        clock: Clock,
        *,
        attempts: int = 4,
        backoff_seconds: float = 1.0,
    ) -> None:
        self.bot = bot
        self.db = db
        self.clock = clock
        self.attempts = attempts
        self.backoff_seconds = backoff_seconds

    async def __call__(self, prompt: DuePrompt) -> str | None:
        async with self.db.transaction() as session:
            user = await users.get_user(session, prompt.user_id)
            partner = await users.partner_of(session, user) if user else None
        if user is None or partner is None:
            return "unpaired before sending"
        text = ritual_prompt(prompt.ritual, Translator(users.language_of(user)), partner.first_name)
        return await self.send(user.id, user.chat_id, text)

    async def send(self, user_id: int, chat_id: int, text: str) -> str | None:
        for attempt in range(1, self.attempts + 1):
            try:
                await self.bot.send_message(chat_id, text)
                return None
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
            _ = Translator(users.language_of(partner))
            text = _(
                "{partner} is not receiving my messages any more (perhaps they blocked me), "
                "so their rituals are paused. Yours keep coming."
            ).format(partner=html.escape(user.first_name, quote=False))
            try:
                await self.bot.send_message(partner.chat_id, text)
            except TelegramError as exc:
                log.warning("could not tell partner %s: %s", partner.id, type(exc).__name__)
