"""The aiohttp server speaking the Telegram Bot API over HTTP, and its public facade."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Sequence
from types import TracebackType
from typing import Any

from aiohttp import web

from bot.local_api.errors import ApiError
from bot.local_api.events import EventFeed, EventStream
from bot.local_api.faults import FaultInjector, HeldCall
from bot.local_api.limits import SendLimits
from bot.local_api.methods import BotApiMethods
from bot.local_api.params import decode_params, read_params
from bot.local_api.state import ApiCall, BotApiState, ChatState, WebhookRegistration
from bot.local_api.users import SimulatedGroup, SimulatedUser
from bot.local_api.webhooks import WebhookDeliverer, WebhookDelivery

logger = logging.getLogger(__name__)

MAX_REQUEST_SIZE = 60 * 1024 * 1024
_JSON_CONTENT_TYPE = "application/json"


def _json_response(status: int, payload: dict[str, Any]) -> web.Response:
    # One Response with a bytes body: aiohttp writes headers and body in a single send,
    # which avoids Nagle/delayed-ACK stalls on sequential keep-alive requests.
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return web.Response(status=status, body=body, content_type=_JSON_CONTENT_TYPE)


class LocalBotApi:
    """A local stand-in for ``api.telegram.org`` that a real PTB ``Application`` can poll.

    Usage::

        async with LocalBotApi() as api:
            bot = Bot(api.token, base_url=api.base_url, base_file_url=api.base_file_url)
            alice = api.user(1001, "Alice")
            await alice.send("/start")
            reply = await alice.next_message()
    """

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        *,
        bot_id: int = 123456,
        bot_username: str = "couples_test_bot",
        bot_first_name: str = "Couples",
        host: str = "127.0.0.1",
        port: int = 0,
        webhook_fan_out: Sequence[str] = (),
        webhook_retry_delay: float = 0.1,
        webhook_max_retry_delay: float = 2.0,
        webhook_timeout: float = 30.0,
        limits: SendLimits | None = None,
    ) -> None:
        """``webhook_fan_out``: instance addresses (``http://127.0.0.1:8001``) that webhook
        deliveries go to in turn instead of the registered URL's host, keeping its path, as a
        reverse proxy in front of several bot instances would (also settable later through
        the attribute of the same name). Failed deliveries are retried after
        ``webhook_retry_delay`` seconds, doubling up to ``webhook_max_retry_delay``.
        ``limits``: Telegram's flood limits (messages per second overall and per chat), which
        answer 429 when passed and count what was accepted; None (the default): no limits."""
        self.token = token
        self.host = host
        self._requested_port = port
        self._port: int | None = None
        self._state = BotApiState(
            bot_id=bot_id,
            bot_username=bot_username,
            bot_first_name=bot_first_name,
            token=token,
        )
        self.faults = FaultInjector()
        self.limits = limits
        self._methods = BotApiMethods(self._state)
        self.webhook_fan_out: list[str] = list(webhook_fan_out)
        self._webhooks = WebhookDeliverer(
            self._state,
            fan_out=lambda: self.webhook_fan_out,
            retry_delay=webhook_retry_delay,
            max_retry_delay=webhook_max_retry_delay,
            timeout=webhook_timeout,
        )
        self._users: dict[int, SimulatedUser] = {}
        self._groups: dict[int, SimulatedGroup] = {}
        self._runner: web.AppRunner | None = None
        self.app = web.Application(client_max_size=MAX_REQUEST_SIZE)
        self.app.router.add_route("*", "/bot{token}/{method}", self._handle_method)
        self.app.router.add_get("/file/bot{token}/{file_path:.+}", self._handle_file)

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        if self._runner is not None:
            raise RuntimeError("LocalBotApi already started")
        self._state.closing = False
        runner = web.AppRunner(
            self.app, access_log=None, handle_signals=False, shutdown_timeout=1.0
        )
        await runner.setup()
        site = web.TCPSite(runner, self.host, self._requested_port)
        await site.start()
        self._runner = runner
        address = runner.addresses[0]
        self._port = int(address[1])
        self._webhooks.start()
        logger.debug("local Bot API listening on %s", self.base_url)

    async def stop(self) -> None:
        """Stop serving; pending long polls are answered (with no updates) immediately."""
        self._state.closing = True
        self._state.notify_update_waiters()
        self.faults.release_all()
        await self._webhooks.stop()
        runner, self._runner = self._runner, None
        if runner is not None:
            await asyncio.sleep(0)  # let released long polls write their responses
            await runner.cleanup()

    async def __aenter__(self) -> LocalBotApi:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # ------------------------------------------------------------------ addresses

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("LocalBotApi is not started")
        return self._port

    @property
    def root_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        """Pass to ``telegram.Bot(base_url=...)``; PTB appends the token."""
        return f"{self.root_url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.root_url}/file/bot"

    # ------------------------------------------------------------------ state access

    @property
    def state(self) -> BotApiState:
        return self._state

    @property
    def bot_user(self) -> dict[str, Any]:
        return dict(self._state.bot_user)

    @property
    def calls(self) -> list[ApiCall]:
        return self._state.calls

    def calls_to(self, method: str) -> list[ApiCall]:
        wanted = method.lower()
        return [call for call in self._state.calls if call.method.lower() == wanted]

    @property
    def commands(self) -> dict[tuple[str, str], list[dict[str, Any]]]:
        """setMyCommands storage keyed by (scope type, language code or "").

        Chat-specific scopes use ``"chat:<id>"``, ``"chat_administrators:<id>"`` and
        ``"chat_member:<chat id>:<user id>"`` as the scope part of the key.
        """
        return self._state.commands

    def effective_commands(
        self, chat_id: int, language_code: str | None = None
    ) -> list[dict[str, Any]]:
        """The command menu a user would see in ``chat_id`` (Telegram's scope resolution)."""
        chat = self._state.chats.get(chat_id)
        private = chat is None or chat.type == "private"
        scopes = [f"chat:{chat_id}", "all_private_chats" if private else "all_group_chats"]
        scopes.append("default")
        languages = [language_code, ""] if language_code else [""]
        for scope in scopes:
            for language in languages:
                commands = self._state.commands.get((scope, language))
                if commands:
                    return [dict(command) for command in commands]
        return []

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates queued for the bot and not yet confirmed through getUpdates' offset."""
        return list(self._state.updates)

    @property
    def long_polls_waiting(self) -> int:
        """getUpdates requests parked right now, waiting for an update to arrive."""
        return self._state.updates_notifier.waiting

    @property
    def long_polls_parked(self) -> int:
        """How many times a getUpdates request has parked (waited for updates) so far."""
        return self._state.updates_notifier.waits

    async def wait_for_long_poll(self, timeout: float = 30.0) -> None:  # noqa: ASYNC109
        """Return once a getUpdates request is parked waiting for updates: act after that
        instead of sleeping "until the poll has started". ``TimeoutError`` after ``timeout``."""
        await self._state.updates_notifier.until_waited_on(timeout)

    def redeliver(self, update_id: int | None = None) -> dict[str, Any]:
        """Deliver an update again (default: the newest), like Telegram after a crash."""
        return self._state.redeliver(update_id or self._state.last_update_id)

    # ------------------------------------------------------------------ webhook

    @property
    def webhook(self) -> WebhookRegistration | None:
        """What setWebhook registered (None without a webhook: getUpdates works)."""
        return self._state.webhook

    @property
    def webhook_deliveries(self) -> list[WebhookDelivery]:
        """Every POST of an update to the webhook so far, failed ones included."""
        return list(self._webhooks.deliveries)

    def lose_next_webhook_responses(self, times: int = 1) -> None:
        """The next ``times`` deliveries reach the bot, but their answers are lost (as after
        a proxy timeout): the updates stay queued and are delivered again."""
        self._webhooks.lose_next_responses(times)

    async def wait_webhook_delivered(
        self,
        update_id: int | None = None,
        timeout: float = 10,  # noqa: ASYNC109
    ) -> None:
        """Wait until ``update_id`` (default: every queued update) was delivered with a 2xx."""

        def done() -> bool:
            if update_id is None:
                return not self._state.updates
            return any(d.ok and d.update_id == update_id for d in self._webhooks.deliveries)

        await self._webhooks.wait_until(done, timeout)

    # ------------------------------------------------------------------ simulated chats

    def user(
        self,
        user_id: int,
        first_name: str,
        *,
        language_code: str | None = "en",
        last_name: str | None = None,
        username: str | None = None,
    ) -> SimulatedUser:
        """Create (or return the existing) user with a private chat whose id is ``user_id``."""
        existing = self._users.get(user_id)
        if existing is not None:
            return existing
        if user_id <= 0:
            raise ValueError("user ids must be positive")
        record, chat = self._state.ensure_user(
            user_id,
            first_name,
            language_code=language_code,
            last_name=last_name,
            username=username,
        )
        simulated = SimulatedUser(self._state, record, chat)
        self._users[user_id] = simulated
        return simulated

    def group(self, chat_id: int, title: str) -> SimulatedGroup:
        """Create (or return the existing) group; ids below -10**12 become supergroups."""
        existing = self._groups.get(chat_id)
        if existing is not None:
            return existing
        if chat_id >= 0:
            raise ValueError("group chat ids must be negative")
        simulated = SimulatedGroup(self._state, self._state.ensure_group(chat_id, title))
        self._groups[chat_id] = simulated
        return simulated

    @property
    def users(self) -> list[SimulatedUser]:
        return list(self._users.values())

    # ------------------------------------------------------------------ fault injection

    def fail_next(
        self,
        method: str,
        *,
        error_code: int,
        description: str | None = None,
        retry_after: int | None = None,
        chat_id: int | None = None,
        times: int = 1,
    ) -> None:
        """Make the next ``times`` calls of ``method`` (optionally only for ``chat_id``) fail."""
        self.faults.fail_next(
            method,
            error_code=error_code,
            description=description,
            retry_after=retry_after,
            chat_id=chat_id,
            times=times,
        )

    def delay_next(
        self, method: str, seconds: float, *, chat_id: int | None = None, times: int = 1
    ) -> None:
        """Delay the next ``times`` calls of ``method`` by ``seconds`` (to provoke timeouts)."""
        self.faults.delay_next(method, seconds, chat_id=chat_id, times=times)

    def hold_next(self, method: str, *, chat_id: int | None = None) -> HeldCall:
        """Keep the next call of ``method`` (optionally only for ``chat_id``) waiting in the
        server until ``release()`` on the returned handle; ``await held.wait_arrived()``
        returns once it is there. The bot is then in the middle of that call for as long as
        the test needs, with no guess at how long that takes."""
        return self.faults.hold_next(method, chat_id=chat_id)

    def block(self, user_id: int, *, emit_update: bool = False) -> None:
        """The user blocks the bot: sends to their chat get 403 until they unblock/write.

        With ``emit_update`` a ``my_chat_member`` update (member -> kicked) is queued, as
        Telegram does.
        """
        chat = self._private_chat(user_id)
        chat.blocked = True
        if emit_update:
            self._queue_member_update(user_id, "member", "kicked")

    def unblock(self, user_id: int, *, emit_update: bool = False) -> None:
        chat = self._private_chat(user_id)
        chat.blocked = False
        if emit_update:
            self._queue_member_update(user_id, "kicked", "member")

    def _private_chat(self, user_id: int) -> ChatState:
        chat = self._state.chats.get(user_id)
        if chat is None or chat.type != "private":
            raise KeyError(f"no simulated user {user_id}; create it with api.user() first")
        return chat

    def _queue_member_update(self, user_id: int, old: str, new: str) -> None:
        chat = self._state.chats[user_id]
        user = self._state.users[user_id].to_json()
        bot = dict(self._state.bot_user)
        self._state.queue_update(
            "my_chat_member",
            {
                "chat": chat.to_json(),
                "from": user,
                "date": int(time.time()),
                "old_chat_member": {"status": old, "user": bot},
                "new_chat_member": {"status": new, "user": bot, "until_date": 0}
                if new == "kicked"
                else {"status": new, "user": bot},
            },
        )

    # ------------------------------------------------------------------ event feed

    @property
    def feed(self) -> EventFeed:
        return self._state.events

    def events(self, chat_id: int | None = None) -> EventStream:
        """Async iterator of chat events (see :mod:`bot.local_api.events`); subscribes now."""
        return self._state.events.stream(chat_id)

    def subscribe(self) -> asyncio.Queue[dict[str, Any]]:
        return self._state.events.subscribe()

    def unsubscribe(self, queue: asyncio.Queue[dict[str, Any]]) -> None:
        self._state.events.unsubscribe(queue)

    # ------------------------------------------------------------------ HTTP handlers

    async def _handle_method(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        call = ApiCall(method=method, params={}, at=time.time())
        self._state.calls.append(call)
        try:
            raw = await read_params(request)
            call.params = raw
            if request.match_info["token"] != self.token:
                raise ApiError(401, "Unauthorized")
            params = decode_params(raw)
            call.params = params
            fault = self.faults.take(method, params)
            if fault is not None:
                if fault.hold is not None:
                    await fault.hold.hold()
                if fault.delay:
                    await asyncio.sleep(fault.delay)
                if fault.error is not None:
                    raise fault.error
            if self.limits is not None:
                self.limits.check(method, params)
            result = await self._methods.call(method, params)
        except ApiError as error:
            call.status = error.error_code
            call.error = error.description
            logger.debug("%s -> %s %s", method, error.error_code, error.description)
            return _json_response(error.error_code, error.payload())
        except Exception:
            logger.exception("local Bot API crashed handling %s", method)
            crash = ApiError(500)
            call.status, call.error = 500, crash.description
            return _json_response(500, crash.payload())
        call.status = 200
        call.result = result
        return _json_response(200, {"ok": True, "result": result})

    async def _handle_file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _json_response(401, ApiError(401, "Unauthorized").payload())
        stored = self._state.files.by_path(request.match_info["file_path"])
        if stored is None:
            return _json_response(404, ApiError(404, "Not Found").payload())
        return web.Response(body=stored.data, content_type=stored.mime_type)
