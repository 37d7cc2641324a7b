"""Webhook delivery: while a webhook is set, queued updates are POSTed to it like Telegram does.

One update at a time, in order, as JSON, with ``X-Telegram-Bot-Api-Secret-Token`` when a secret
was given. An update stays queued until a delivery is answered with a 2xx; a non-2xx answer, a
connection error or a timeout is retried after a short backoff (doubling up to a maximum) and
recorded for getWebhookInfo's ``last_error_date`` / ``last_error_message``.

``fan_out`` stands in for the reverse proxy in front of several bot instances: deliveries go to
those addresses (scheme, host and port; the registered URL's path and query are kept) in turn,
each attempt to the next one, instead of to the registered URL's host.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from bot.local_api.state import BotApiState, Notifier

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@dataclass(frozen=True)
class WebhookDelivery:
    """One POST of an update (an attempt): where it went and how it was answered."""

    update_id: int
    url: str
    at: float
    status: int | None  # the HTTP status, None when no answer came (connection error, timeout)
    error: str | None = None  # Telegram's wording for a failed attempt, None after a 2xx

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


class WebhookDeliverer:
    """The task that delivers queued updates while ``state.webhook`` is set."""

    def __init__(
        self,
        state: BotApiState,
        *,
        fan_out: Callable[[], Sequence[str]],
        retry_delay: float = 0.1,
        max_retry_delay: float = 2.0,
        timeout: float = 30.0,
    ) -> None:
        self.state = state
        self._fan_out = fan_out
        self.retry_delay = retry_delay
        self.max_retry_delay = max_retry_delay
        self.timeout = timeout
        self.deliveries: list[WebhookDelivery] = []
        self.changed = Notifier()  # after every attempt
        self._lose_responses = 0
        self._turn = 0
        self._task: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="local-bot-api-webhook")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        session, self._session = self._session, None
        if session is not None:
            await session.close()

    # ------------------------------------------------------------------ faults and waiting

    def lose_next_responses(self, times: int = 1) -> None:
        """The next ``times`` deliveries reach the bot, but their answers are lost on the way
        back (as if the proxy timed out): Telegram counts them as failed and delivers again."""
        self._lose_responses += times

    async def wait_until(self, predicate: Callable[[], bool], timeout: float) -> None:  # noqa: ASYNC109
        """Return once ``predicate()`` holds (checked after each attempt); TimeoutError else."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError("webhook deliveries did not get there in time")
            await self.changed.wait(remaining)

    # ------------------------------------------------------------------ delivering

    def target(self, url: str) -> str:
        addresses = list(self._fan_out())
        if not addresses:
            return url
        parts = urlsplit(url)
        base = addresses[self._turn % len(addresses)].rstrip("/")
        self._turn += 1
        return base + (parts.path or "/") + (f"?{parts.query}" if parts.query else "")

    async def _run(self) -> None:
        state = self.state
        delay = self.retry_delay
        while not state.closing:
            webhook = state.webhook
            pending = state.pending_updates(1) if webhook is not None else []
            if webhook is None or not pending:
                # Its own notifier: waiting here is no parked getUpdates long poll.
                await state.webhook_notifier.wait(60.0)
                continue
            update = pending[0]
            delivery = await self._post(self.target(webhook.url), update, webhook.secret_token)
            self.deliveries.append(delivery)
            if delivery.ok:
                state.forget_update(update)
                delay = self.retry_delay
            else:
                state.webhook_last_error_date = int(delivery.at)
                state.webhook_last_error_message = delivery.error
                logger.debug("webhook delivery %s failed: %s", delivery.update_id, delivery.error)
            self.changed.notify()
            if not delivery.ok:
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.max_retry_delay)

    async def _post(
        self, url: str, update: dict[str, Any], secret_token: str | None
    ) -> WebhookDelivery:
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout))
        headers = {"Content-Type": "application/json"}
        if secret_token:
            headers[SECRET_HEADER] = secret_token
        body = json.dumps(update, ensure_ascii=False).encode("utf-8")
        update_id = int(update["update_id"])
        at = time.time()
        try:
            async with self._session.post(url, data=body, headers=headers) as response:
                await response.read()
                status = response.status
                reason = response.reason or ""
        except TimeoutError:
            return WebhookDelivery(update_id, url, at, None, "Read timeout expired")
        except aiohttp.ClientError as error:
            return WebhookDelivery(update_id, url, at, None, _connection_error(error))
        if self._lose_responses > 0:
            self._lose_responses -= 1
            return WebhookDelivery(update_id, url, at, None, "Read timeout expired")
        if 200 <= status < 300:
            return WebhookDelivery(update_id, url, at, status)
        return WebhookDelivery(
            update_id, url, at, status, f"Wrong response from the webhook: {status} {reason}"
        )


def _connection_error(error: aiohttp.ClientError) -> str:
    if isinstance(error, aiohttp.ClientConnectorError):
        return "Connection refused"
    return f"Connection error: {type(error).__name__}"
