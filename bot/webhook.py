"""Webhook mode: our own small aiohttp server that Telegram POSTs updates to.

A reverse proxy terminates TLS for WEBHOOK_URL and forwards `POST <path>` as is to this server
on WEBHOOK_LISTEN:WEBHOOK_PORT. Every request must carry the secret token that the bot gave
Telegram in setWebhook (header `X-Telegram-Bot-Api-Secret-Token`), compared in constant time.

Telegram is answered only after the update was handled, so a 200 means "done": if an instance
dies while handling, Telegram gets no 200 and delivers the update again (to whichever instance
the proxy picks), and the recorded update ids keep a redelivered update from changing anything
twice. Updates go through the application's update processor, one at a time per instance, as in
polling mode.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging

from aiohttp import web
from telegram import Update

from bot.app import ALLOWED_UPDATES
from bot.config import WebhookSettings
from bot.context import BotApplication
from bot.logging_setup import class_chain, class_name, withheld

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1024 * 1024  # an update is a few kB; Telegram's own limit for a message is far below


class WebhookServer:
    """Serves only `POST <path>`; answers 200 once the update was handled, 403 without the
    right secret, 400 for a body that is not an update, 503 while shutting down."""

    def __init__(
        self,
        application: BotApplication,
        *,
        path: str,
        secret: str,
        listen: str = "127.0.0.1",
        port: int = 8443,
    ) -> None:
        if not path.startswith("/"):
            raise ValueError("the webhook path must start with /")
        self.application = application
        self.path = path
        self.listen = listen
        self._secret = secret.encode("utf-8")
        self._requested_port = port
        self._port: int | None = None
        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None
        self._closing = False
        self._in_flight = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self.app = web.Application(client_max_size=MAX_BODY)
        self.app.router.add_post(path, self._handle)

    @classmethod
    def from_settings(cls, application: BotApplication, webhook: WebhookSettings) -> WebhookServer:
        return cls(
            application,
            path=webhook.path,
            secret=webhook.secret,
            listen=webhook.listen,
            port=webhook.port,
        )

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        if self._runner is not None:
            raise RuntimeError("the webhook server is already running")
        # No access log: a line per update says nothing useful and the proxy logs requests.
        # A short shutdown_timeout: stop() has already waited for handlers (see wait_idle).
        runner = web.AppRunner(
            self.app, access_log=None, handle_signals=False, shutdown_timeout=0.5
        )
        await runner.setup()
        site = web.TCPSite(runner, self.listen, self._requested_port)
        try:
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner, self._site = runner, site
        self._port = int(runner.addresses[0][1])
        log.info("webhook server listening on %s:%s%s", self.listen, self._port, self.path)

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("the webhook server is not started")
        return self._port

    @property
    def base_url(self) -> str:
        """E.g. http://127.0.0.1:8443 (what a reverse proxy forwards to)."""
        host = f"[{self.listen}]" if ":" in self.listen else self.listen
        return f"http://{host}:{self.port}"

    @property
    def in_flight(self) -> int:
        """Requests being handled right now."""
        return self._in_flight

    async def close_intake(self) -> None:
        """Take no new work: stop listening, and answer 503 to requests that still arrive on
        open connections (Telegram, or the proxy, tries again later or elsewhere)."""
        self._closing = True
        site, self._site = self._site, None
        if site is not None:
            await site.stop()

    async def wait_idle(self, timeout: float) -> bool:  # noqa: ASYNC109
        """Wait until no request is being handled; False if `timeout` seconds passed first."""
        if self._idle.is_set():
            return True
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            return False
        return True

    async def stop(self) -> None:
        """Close every connection; handlers still running after a short wait are cancelled."""
        await self.close_intake()
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    # ------------------------------------------------------------------ requests

    async def _handle(self, request: web.Request) -> web.Response:
        if self._closing:
            return web.Response(status=503, text="shutting down")
        supplied = request.headers.get(SECRET_HEADER)
        if supplied is None or not hmac.compare_digest(
            supplied.encode("utf-8", "surrogateescape"), self._secret
        ):
            # Neither the header's value nor the body is logged: either could be a secret.
            log.warning(
                "webhook: refused a request with a %s %s header (403), from %s",
                "missing" if supplied is None else "wrong",
                SECRET_HEADER,
                request.remote,
            )
            return web.Response(status=403, text="forbidden")
        self._in_flight += 1
        self._idle.clear()
        try:
            return await self._handle_update(request)
        finally:
            self._in_flight -= 1
            if self._in_flight == 0:
                self._idle.set()

    async def _handle_update(self, request: web.Request) -> web.Response:
        application = self.application
        body = await request.read()  # a body above MAX_BODY is answered 413 by aiohttp
        try:
            data = json.loads(body)
            if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
                raise ValueError("not an update")
            update = Update.de_json(data, application.bot)
        except Exception as exc:  # malformed JSON, or JSON that is not an Update
            log.warning("webhook: refused a body that is not an update (400): %s", class_name(exc))
            return web.Response(status=400, text="not an update")
        try:
            # The same path as polling: the update processor (one update at a time, and the
            # signal that it was handled), then the handlers. A handler that raises has
            # already been reported by the error handler inside process_update.
            await application.update_processor.process_update(
                update, application.process_update(update)
            )
        except Exception as exc:
            log.error(
                "webhook: update %s could not be processed (500, Telegram will retry): %s",
                update.update_id,
                class_chain(exc),
                exc_info=withheld(exc),
            )
            return web.Response(status=500, text="not handled")
        return web.Response(status=200, text="ok")


async def start_webhook(
    application: BotApplication,
    webhook: WebhookSettings,
    *,
    server: WebhookServer | None = None,
) -> WebhookServer:
    """Start the application without an updater, listen, then point Telegram at WEBHOOK_URL.

    setWebhook is idempotent: every instance calls it with the same URL and secret at start.
    Pending updates are kept (drop_pending_updates=False): they are delivered once we listen.
    """
    server = server or WebhookServer.from_settings(application, webhook)
    await application.initialize()
    try:
        if application.post_init is not None:
            await application.post_init(application)
        await application.start()
        await server.start()
        await application.bot.set_webhook(
            url=webhook.url,
            secret_token=webhook.secret,
            allowed_updates=ALLOWED_UPDATES,
            drop_pending_updates=False,
        )
    except BaseException:
        await server.stop()
        if application.running:
            await application.stop()
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)
        raise
    return server
