"""The playground: the real bot, the built-in local Bot API, an offset clock and the web page.

``Playground`` starts and stops the pieces, and does what the page asks (type, tap, move time);
it turns the local Bot API's events into page events for the browser.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.app import build_application, start_application, stop_application
from bot.config import Settings, normalize_database_url
from bot.context import BotApplication
from bot.db import Database, upgrade_database_async
from bot.local_api import EventStream, LocalBotApi
from bot.playground.clock import OffsetClock
from bot.playground.hub import Hub, PageErrorHandler, PageEvent
from bot.playground.safety import (
    PLAYGROUND_USER_BASE,
    TOKEN_PARAM,
    ensure_playground_database,
    is_loopback,
)
from bot.playground.session import (
    DEFAULTS,
    Participant,
    Persona,
    PlaygroundError,
    Session,
    next_ritual,
    people_state,
)
from bot.playground.views import chat_history, message_view
from bot.services.timezones import COMMON_ZONES
from locales import LANGUAGES
from scheduler.jobs import tick
from scheduler.tick import TickReport

log = logging.getLogger(__name__)

BOT_USERNAME = "CouplesRitualsBot"
BOT_NAME = "Couples"
FIRST_USER_ID = PLAYGROUND_USER_BASE + 1001  # no Telegram account has such an id
MAX_TEXT = 4096


def epoch_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


class Playground:
    def __init__(
        self,
        *,
        database_url: str | None = None,
        tick_seconds: float = 2.0,
        poll_timeout: float = 5.0,
    ) -> None:
        self.database_url = database_url
        self.tick_seconds = tick_seconds
        self.poll_timeout = poll_timeout
        self.clock = OffsetClock()
        self.hub = Hub()
        self.api = LocalBotApi(bot_username=BOT_USERNAME, bot_first_name=BOT_NAME)
        self.session: Session | None = None
        self.db: Database | None = None
        self.application: BotApplication | None = None
        self.host = "127.0.0.1"
        self.port = 0
        # Needed by every request when listening beyond loopback (see playground.safety).
        self.access_token: str | None = None
        self._sessions = 0
        self._stamps: dict[tuple[int, int], int] = {}
        self._clock_lock = asyncio.Lock()
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._events: EventStream | None = None
        self._pump_task: asyncio.Task[None] | None = None
        self._refresh_task: asyncio.Task[None] | None = None
        self._runner: web.AppRunner | None = None
        self._log_handler: logging.Handler | None = None

    # ------------------------------------------------------------------ lifecycle

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def entry_url(self) -> str:
        """The address to open: with the access token when one is needed."""
        if self.access_token is None:
            return self.url
        return f"{self.url}/?{TOKEN_PARAM}={self.access_token}"

    async def start(self, host: str = "127.0.0.1", port: int = 8080) -> None:
        """Start everything. NotAPlaygroundDatabase when `database_url` holds real users
        (checked before anything is migrated or written)."""
        from bot.playground.server import create_web_app  # the server imports this module

        if not is_loopback(host):
            self.access_token = secrets.token_urlsafe(24)
        try:
            if self.database_url:
                url = normalize_database_url(self.database_url)
                await ensure_playground_database(url)
            else:
                self._tmp = tempfile.TemporaryDirectory(prefix="couples-playground-")
                url = normalize_database_url(None, data_dir=Path(self._tmp.name))
            await upgrade_database_async(url)
            self.db = Database(url)
            await self.api.start()
            self._events = self.api.events()
            self._pump_task = asyncio.create_task(self._pump(), name="playground-pump")
            settings = Settings(
                token=self.api.token,
                database_url=url,
                api_base_url=self.api.base_url,
                api_base_file_url=self.api.base_file_url,
                tick_seconds=self.tick_seconds,
            )
            self.application = build_application(settings, database=self.db, clock=self.clock)
            await start_application(self.application, poll_timeout=self.poll_timeout)
            self._log_handler = PageErrorHandler(self.hub, asyncio.get_running_loop())
            logging.getLogger().addHandler(self._log_handler)
            runner = web.AppRunner(
                create_web_app(self), access_log=None, handle_signals=False, shutdown_timeout=1.0
            )
            await runner.setup()
            self._runner = runner
            await web.TCPSite(runner, host, port).start()
            self.host, self.port = host, int(runner.addresses[0][1])
        except BaseException:
            await self.stop()
            raise

    async def stop(self) -> None:
        self.hub.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._log_handler is not None:
            logging.getLogger().removeHandler(self._log_handler)
            self._log_handler = None
        if self.application is not None:
            await stop_application(self.application)
            self.application = None
        for task in (self._pump_task, self._refresh_task):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._pump_task = self._refresh_task = None
        if self._events is not None:
            self._events.close()
            self._events = None
        await self.api.stop()
        if self.db is not None:
            await self.db.dispose()
            self.db = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    async def __aenter__(self) -> Playground:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # ------------------------------------------------------------------ people

    async def start_session(self, a: Persona, b: Persona) -> Session:
        """Two new people (fresh Telegram ids) who open the bot: /start, then /timezone."""
        self._sessions += 1
        first_id = FIRST_USER_ID + 2 * (self._sessions - 1)
        participants = {}
        for offset, (role, persona) in enumerate((("a", a), ("b", b))):
            user = self.api.user(first_id + offset, persona.name, language_code=persona.language)
            participants[role] = Participant(role, persona, user)
        self.session = Session(self._sessions, participants)
        self.hub.publish(
            {"type": "session", "session": self.session.to_json(), "commands": self.commands()}
        )
        for participant in participants.values():
            await participant.user.send("/start")
            await participant.user.send(f"/timezone {participant.persona.timezone}")
        return self.session

    def participant(self, role: str) -> Participant:
        if self.session is None:
            raise PlaygroundError("Start the playground first.", 409)
        participant = self.session.participants.get(role)
        if participant is None:
            raise PlaygroundError(f"no person {role!r}; use 'a' or 'b'")
        return participant

    async def send(self, role: str, text: str) -> dict[str, Any]:
        participant = self.participant(role)
        if not text.strip():
            raise PlaygroundError("Type a message first.")
        if len(text) > MAX_TEXT:
            raise PlaygroundError(f"Telegram messages are at most {MAX_TEXT} characters.")
        return await participant.user.send(text)

    async def press(self, role: str, message_id: int, row: int, column: int) -> str:
        """Tap the inline button at (row, column) under one of the bot's messages."""
        participant = self.participant(role)
        chat = self.api.state.chats[participant.user_id]
        message = chat.message_index.get(message_id)
        if message is None or message.deleted:
            raise PlaygroundError("That message is gone.", 404)
        try:
            button = message.inline_keyboard[row][column]
        except IndexError:
            raise PlaygroundError("That button is gone.", 404) from None
        if "callback_data" not in button:
            raise PlaygroundError("That button is a link, not a callback button.")
        return await participant.user.press_data(str(button["callback_data"]), message)

    # ------------------------------------------------------------------ time

    def _user_ids(self) -> list[int]:
        if self.session is None:
            return []
        return [p.user_id for p in self.session.participants.values()]

    async def clock_state(self) -> dict[str, Any]:
        now = self.clock.now()
        state: dict[str, Any] = {
            "now_ms": epoch_ms(now),
            "offset_s": self.clock.offset.total_seconds(),
            "next": None,
        }
        if self.db is not None and self.session is not None:
            found = await next_ritual(self.db, self._user_ids())
            if found is not None:
                at, ritual, user_id = found
                role = self.session.role_of(user_id)
                state["next"] = {"at_ms": epoch_ms(at), "ritual": ritual, "role": role}
        return state

    async def _tick(self) -> TickReport:
        assert self.application is not None
        for attempt in range(3):
            try:
                return await tick(self.application)
            except Exception:  # e.g. SQLite busy while the periodic tick runs too
                if attempt == 2:
                    raise
                log.warning("playground tick failed; retrying", exc_info=True)
                await asyncio.sleep(0.2)
        raise AssertionError("unreachable")

    async def _after_jump(self, report: TickReport, **extra: Any) -> dict[str, Any]:
        clock = await self.clock_state()
        self.hub.publish({"type": "clock", "clock": clock})
        return {
            "clock": clock,
            "sent": report.sent,
            "missed": report.skipped_late,
            **extra,
        }

    async def skip_to_next_ritual(self) -> dict[str, Any]:
        async with self._clock_lock:
            assert self.db is not None
            found = await next_ritual(self.db, self._user_ids())
            if found is None:
                raise PlaygroundError(
                    "No ritual is scheduled yet: rituals start once the two are paired (/pair).",
                    409,
                )
            at, ritual, user_id = found
            self.clock.jump_to(at)
            report = await self._tick()
            role = self.session.role_of(user_id) if self.session else None
            return await self._after_jump(report, ritual=ritual, role=role)

    async def advance(self, delta: timedelta) -> dict[str, Any]:
        if delta <= timedelta(0) or delta > timedelta(days=31):
            raise PlaygroundError("The clock moves forward, by at most 31 days at a time.")
        async with self._clock_lock:
            self.clock.advance(delta)
            report = await self._tick()
            return await self._after_jump(report)

    # ------------------------------------------------------------------ page state

    def _stamp(self, chat_id: int, message_id: int, _date: int = 0) -> int:
        """The bot-time moment a message was first seen (milliseconds)."""
        return self._stamps.setdefault((chat_id, message_id), epoch_ms(self.clock.now()))

    def commands(self, people: dict[str, Any] | None = None) -> dict[str, list[dict[str, Any]]]:
        """The command menu each person sees (setMyCommands), in the language they read."""
        if self.session is None:
            return {}
        menus = {}
        for role, participant in self.session.participants.items():
            language = (people or {}).get(role, {}).get("language") or participant.persona.language
            menus[role] = self.api.effective_commands(participant.user_id, language)
        return menus

    async def snapshot(self) -> PageEvent:
        assert self.db is not None
        messages: dict[str, list[dict[str, Any]]] = {}
        if self.session is not None:
            for role, participant in self.session.participants.items():
                messages[role] = chat_history(self.api.state, participant.user_id, self._stamp)
        people = await people_state(self.db, self.session)
        return {
            "type": "snapshot",
            "bot": {"username": BOT_USERNAME, "name": BOT_NAME},
            "defaults": {role: persona.to_json() for role, persona in DEFAULTS.items()},
            "languages": LANGUAGES,
            "zones": list(COMMON_ZONES),
            "session": self.session.to_json() if self.session else None,
            "people": people,
            "clock": await self.clock_state(),
            "commands": self.commands(people),
            "messages": messages,
        }

    def translate(self, event: dict[str, Any]) -> PageEvent | None:
        """A local Bot API event as a page event (None: nothing to show)."""
        kind, chat_id = event["type"], int(event["chat_id"])
        if kind in ("message", "edit"):
            raw = event["message"]
            view = message_view(
                self.api.state,
                chat_id,
                raw,
                from_bot=bool(event.get("from_bot", True)),
                stamp_ms=self._stamp(chat_id, int(raw["message_id"])),
            )
            return {"type": kind, "message": view}
        if kind == "delete":
            return {"type": "delete", "chat_id": chat_id, "id": event["message_id"]}
        if kind == "callback_answer":
            message = event.get("message") or {}
            return {
                "type": "answered",
                "chat_id": chat_id,
                "id": message.get("message_id"),
                "text": event.get("text"),
                "alert": bool(event.get("show_alert")),
            }
        if kind == "chat_action":
            return {"type": "typing", "chat_id": chat_id, "action": event.get("action")}
        return None

    async def _pump(self) -> None:
        """Local Bot API events -> page events, forever."""
        assert self._events is not None
        async for event in self._events:
            try:
                page_event = self.translate(event)
            except Exception:
                log.exception("could not show event %s", event.get("type"))
                continue
            if page_event is not None:
                self.hub.publish(page_event)
            if event["type"] in ("message", "edit") and event.get("from_bot", True):
                self._schedule_refresh()

    def _schedule_refresh(self) -> None:
        if self._refresh_task is None or self._refresh_task.done():
            self._refresh_task = asyncio.create_task(self._refresh(), name="playground-refresh")

    async def _refresh(self) -> None:
        """After the bot said something, the people's settings or next ritual may differ."""
        await asyncio.sleep(0.2)
        if self.db is None:
            return
        try:
            people = await people_state(self.db, self.session)
            clock = await self.clock_state()
        except Exception:
            log.warning("playground refresh failed", exc_info=True)
            return
        self.hub.publish({"type": "people", "people": people, "commands": self.commands(people)})
        self.hub.publish({"type": "clock", "clock": clock})
