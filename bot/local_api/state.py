"""In-memory state of the fake Telegram: chats, messages, updates, callback queries, calls."""

from __future__ import annotations

import asyncio
import copy
import itertools
import re
import time
from dataclasses import dataclass, field
from typing import Any

from bot.local_api.events import EventFeed
from bot.local_api.files import FileStore, StoredFile
from bot.local_api.formatting import FormattedText
from bot.local_api.messages import BotMessage

FIRST_UPDATE_ID = 100_000
_COMMAND_RE = re.compile(r"^/[A-Za-z0-9_]{1,64}(@[A-Za-z0-9_]{3,64})?")


class Notifier:
    """Wakes every waiter on :meth:`notify`; waiters re-check their condition afterwards.

    It also counts its waiters, so a test can act only once someone really waits (a parked
    getUpdates long poll, a ``next_message``) instead of sleeping and hoping it started.
    """

    def __init__(self) -> None:
        self._event: asyncio.Event | None = None
        self._waiting = 0
        self._waits = 0
        self._waiter_arrived: asyncio.Event | None = None

    @property
    def waiting(self) -> int:
        """How many callers are blocked in :meth:`wait` right now."""
        return self._waiting

    @property
    def waits(self) -> int:
        """How many times a caller has blocked in :meth:`wait` so far."""
        return self._waits

    def notify(self) -> None:
        if self._event is not None:
            self._event.set()
            self._event = None

    async def wait(self, timeout: float) -> bool:  # noqa: ASYNC109
        """Wait for the next notification; ``False`` if ``timeout`` elapsed first."""
        if timeout <= 0:
            return False
        if self._event is None:
            self._event = asyncio.Event()
        event = self._event
        self._waiting += 1
        self._waits += 1
        if self._waiter_arrived is not None:
            self._waiter_arrived.set()
            self._waiter_arrived = None
        try:
            await asyncio.wait_for(event.wait(), timeout)
        except TimeoutError:
            return False
        finally:
            self._waiting -= 1
        return True

    async def until_waited_on(self, timeout: float = 30.0) -> None:  # noqa: ASYNC109
        """Return once at least one caller is blocked in :meth:`wait` (already or later);
        ``TimeoutError`` after ``timeout`` seconds."""
        async with asyncio.timeout(timeout):
            while self._waiting == 0:
                if self._waiter_arrived is None:
                    self._waiter_arrived = asyncio.Event()
                await self._waiter_arrived.wait()


@dataclass
class ApiCall:
    """One HTTP request to a Bot API method, with the decoded parameters and the outcome."""

    method: str
    params: dict[str, Any]
    at: float
    status: int = 0  # HTTP status of the response, 0 while the call is still running
    result: Any = None
    error: str | None = None  # Telegram description when the call failed

    @property
    def ok(self) -> bool:
        return self.status == 200


@dataclass
class WebhookRegistration:
    """What setWebhook stored: where updates go and the secret they carry."""

    url: str
    secret_token: str | None = None
    max_connections: int = 40  # reported by getWebhookInfo; deliveries are one at a time


@dataclass
class UserRecord:
    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = "en"

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        if self.language_code:
            data["language_code"] = self.language_code
        return data


@dataclass
class ChatState:
    id: int
    type: str  # "private", "group" or "supergroup"
    title: str | None = None
    user: UserRecord | None = None  # for private chats
    started: bool = False  # the user has written to the bot (private chats)
    blocked: bool = False  # the user blocked the bot (private chats)
    bot_messages: list[BotMessage] = field(default_factory=list)
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)  # user messages by id
    message_index: dict[int, BotMessage] = field(default_factory=dict)  # bot messages by id
    next_message_id: int = 1
    notifier: Notifier = field(default_factory=Notifier)
    menu_button: dict[str, Any] | None = None
    reply_keyboard: dict[str, Any] | None = None  # the reply keyboard currently shown

    def to_json(self) -> dict[str, Any]:
        if self.type == "private" and self.user is not None:
            data: dict[str, Any] = {"id": self.id, "type": "private"}
            data["first_name"] = self.user.first_name
            if self.user.last_name:
                data["last_name"] = self.user.last_name
            if self.user.username:
                data["username"] = self.user.username
            return data
        return {"id": self.id, "type": self.type, "title": self.title or ""}

    def allocate_message_id(self) -> int:
        message_id = self.next_message_id
        self.next_message_id += 1
        return message_id

    def find_message_json(self, message_id: int) -> dict[str, Any] | None:
        bot_message = self.message_index.get(message_id)
        if bot_message is not None and not bot_message.deleted:
            return bot_message.raw
        return self.messages.get(message_id)


@dataclass
class CallbackQueryRecord:
    id: str
    user_id: int
    chat_id: int
    message_id: int
    data: str | None
    created: float
    answer: dict[str, Any] | None = None

    @property
    def answered(self) -> bool:
        return self.answer is not None


class BotApiState:
    """Everything the fake server knows. Pure state plus notification; no HTTP here."""

    def __init__(self, *, bot_id: int, bot_username: str, bot_first_name: str, token: str) -> None:
        self.token = token
        self.bot_user: dict[str, Any] = {
            "id": bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }
        self.users: dict[int, UserRecord] = {}
        self.chats: dict[int, ChatState] = {}
        self.files = FileStore()
        self.events = EventFeed()
        self.calls: list[ApiCall] = []
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.bot_settings: dict[str, dict[str, str]] = {}  # e.g. "description" -> {lang: text}
        self.default_menu_button: dict[str, Any] = {"type": "commands"}
        self.callback_queries: dict[str, CallbackQueryRecord] = {}
        self.allowed_updates: list[str] = []
        self.updates: list[dict[str, Any]] = []
        self.update_history: dict[int, dict[str, Any]] = {}
        # Parked getUpdates long polls wait here, and only they: LocalBotApi.long_polls_*
        # and wait_for_long_poll() count its waiters. The webhook delivery loop has its own.
        self.updates_notifier = Notifier()
        self.webhook_notifier = Notifier()
        self.closing = False
        # setWebhook: while set, getUpdates answers 409 and updates are POSTed to it instead.
        self.webhook: WebhookRegistration | None = None
        self.webhook_last_error_date: int | None = None
        self.webhook_last_error_message: str | None = None
        self._update_ids = itertools.count(FIRST_UPDATE_ID)
        self._callback_ids = itertools.count(1)

    @property
    def bot_username(self) -> str:
        return str(self.bot_user["username"])

    # ------------------------------------------------------------------ chats and users

    def ensure_user(
        self,
        user_id: int,
        first_name: str,
        *,
        language_code: str | None,
        last_name: str | None,
        username: str | None,
    ) -> tuple[UserRecord, ChatState]:
        user = self.users.get(user_id)
        if user is None:
            user = UserRecord(user_id, first_name, last_name, username, language_code)
            self.users[user_id] = user
        chat = self.chats.get(user_id)
        if chat is None:
            chat = ChatState(id=user_id, type="private", user=user)
            self.chats[user_id] = chat
        return user, chat

    def ensure_group(self, chat_id: int, title: str) -> ChatState:
        chat = self.chats.get(chat_id)
        if chat is None:
            chat_type = "supergroup" if chat_id <= -1_000_000_000_000 else "group"
            chat = ChatState(id=chat_id, type=chat_type, title=title, started=True)
            self.chats[chat_id] = chat
        return chat

    def chat_instance(self, chat_id: int) -> str:
        return str((abs(chat_id) * 7919 + 104_729) % 10**18)

    # ------------------------------------------------------------------ updates

    def queue_update(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        update_id = next(self._update_ids)
        update: dict[str, Any] = {"update_id": update_id, kind: payload}
        self.update_history[update_id] = update
        self.updates.append(update)
        self.notify_update_waiters()
        return update

    def redeliver(self, update_id: int) -> dict[str, Any]:
        """Queue an already delivered update again, as Telegram does after a bot crashed
        before confirming it."""
        update = self.update_history[update_id]
        self.updates.append(update)
        self.notify_update_waiters()
        return update

    def notify_update_waiters(self) -> None:
        """Wake whoever waits for updates: parked getUpdates requests and the webhook
        delivery loop (each re-checks what it waits for)."""
        self.updates_notifier.notify()
        self.webhook_notifier.notify()

    @property
    def last_update_id(self) -> int:
        return max(self.update_history, default=0)

    def confirm_updates(self, offset: int | None) -> None:
        """Apply getUpdates' ``offset``: forget confirmed updates (negative: keep the tail)."""
        if not offset:
            return
        if offset > 0:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        else:
            self.updates = self.updates[offset:]

    def forget_update(self, update: dict[str, Any]) -> None:
        """A webhook delivery was answered with a 2xx: the update is no longer pending."""
        for index, pending in enumerate(self.updates):
            if pending is update:
                del self.updates[index]
                return

    def pending_updates(self, limit: int) -> list[dict[str, Any]]:
        if self.allowed_updates:
            allowed = set(self.allowed_updates)
            self.updates = [u for u in self.updates if _update_kind(u) in allowed]
        return self.updates[:limit]

    # ------------------------------------------------------------------ user -> bot

    def add_user_message(
        self,
        chat: ChatState,
        user: UserRecord,
        *,
        text: str | None = None,
        media_kind: str | None = None,
        stored_file: StoredFile | None = None,
        caption: str | None = None,
        reply_to: dict[str, Any] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Record a message from a simulated user and queue the ``message`` update."""
        message: dict[str, Any] = {
            "message_id": chat.allocate_message_id(),
            "from": user.to_json(),
            "chat": chat.to_json(),
            "date": int(time.time()),
        }
        if reply_to is not None:
            message["reply_to_message"] = _strip_reply(reply_to)
        if text is not None:
            message["text"] = text
            entities = command_entities(text)
            if entities:
                message["entities"] = entities
        if media_kind is not None and stored_file is not None:
            message[media_kind] = stored_file.media_json(media_kind)
            if caption:
                message["caption"] = caption
        if extra:
            message.update(extra)
        if chat.type == "private":
            chat.started = True
            chat.blocked = False  # writing to a blocked bot requires unblocking it first
        chat.messages[message["message_id"]] = message
        self.queue_update("message", message)
        self.events.publish("message", chat.id, message=message, from_bot=False)
        chat.notifier.notify()
        return message

    def create_callback_query(
        self, user: UserRecord, chat: ChatState, message: BotMessage, data: str | None
    ) -> str:
        query_id = f"{user.id}{next(self._callback_ids):08d}"
        record = CallbackQueryRecord(
            id=query_id,
            user_id=user.id,
            chat_id=chat.id,
            message_id=message.message_id,
            data=data,
            created=time.time(),
        )
        self.callback_queries[query_id] = record
        payload: dict[str, Any] = {
            "id": query_id,
            "from": user.to_json(),
            "message": copy.deepcopy(message.raw),
            "chat_instance": self.chat_instance(chat.id),
        }
        if data is not None:
            payload["data"] = data
        self.queue_update("callback_query", payload)
        self.events.publish(
            "callback_query",
            chat.id,
            callback_query_id=query_id,
            data=data,
            user_id=user.id,
            message=message.raw,
        )
        return query_id

    # ------------------------------------------------------------------ bot -> user

    def add_bot_message(
        self,
        chat: ChatState,
        *,
        formatted: FormattedText | None,
        reply_markup: dict[str, Any] | None,
        media_kind: str | None = None,
        stored_file: StoredFile | None = None,
        caption: FormattedText | None = None,
        reply_to: dict[str, Any] | None = None,
        link_preview_options: dict[str, Any] | None = None,
    ) -> BotMessage:
        message = BotMessage(
            message_id=chat.allocate_message_id(),
            chat_id=chat.id,
            date=int(time.time()),
            reply_markup=reply_markup,
            media_kind=media_kind,
            reply_to_message_id=reply_to["message_id"] if reply_to else None,
            reply_to_json=_strip_reply(reply_to) if reply_to else None,
            link_preview_options=link_preview_options,
        )
        if formatted is not None:
            message.text = formatted.source
            message.parse_mode = formatted.parse_mode
            message.entities_text = formatted.text
            message.entities = formatted.entities
        if stored_file is not None:
            self._attach_file(message, stored_file)
        if caption is not None:
            self._set_caption(message, caption)
        if reply_markup is not None and "inline_keyboard" not in reply_markup:
            if reply_markup.get("remove_keyboard"):
                chat.reply_keyboard = None
            elif "keyboard" in reply_markup:
                chat.reply_keyboard = reply_markup
        message.raw = self.render(message)
        chat.bot_messages.append(message)
        chat.message_index[message.message_id] = message
        self.events.publish("message", chat.id, message=message.raw, from_bot=True)
        chat.notifier.notify()
        return message

    def edit_bot_message(
        self,
        chat: ChatState,
        message: BotMessage,
        *,
        formatted: FormattedText | None = None,
        caption: FormattedText | None = None,
        reply_markup: dict[str, Any] | None,
    ) -> BotMessage:
        if formatted is not None:
            message.text = formatted.source
            message.parse_mode = formatted.parse_mode
            message.entities_text = formatted.text
            message.entities = formatted.entities
        if caption is not None:
            self._set_caption(message, caption)
        message.reply_markup = reply_markup
        message.edits += 1
        message.edit_date = int(time.time())
        message.raw = self.render(message)
        self.events.publish("edit", chat.id, message=message.raw)
        chat.notifier.notify()
        return message

    def delete_message(self, chat: ChatState, message_id: int) -> bool:
        bot_message = chat.message_index.get(message_id)
        if bot_message is not None and not bot_message.deleted:
            bot_message.deleted = True
            self.events.publish(
                "delete", chat.id, message_id=message_id, message=bot_message.raw, from_bot=True
            )
            chat.notifier.notify()
            return True
        user_message = chat.messages.pop(message_id, None)
        if user_message is not None:
            self.events.publish(
                "delete", chat.id, message_id=message_id, message=user_message, from_bot=False
            )
            chat.notifier.notify()
            return True
        return False

    def answer_callback_query(self, record: CallbackQueryRecord, answer: dict[str, Any]) -> None:
        record.answer = answer
        chat = self.chats.get(record.chat_id)
        message = chat.message_index.get(record.message_id) if chat else None
        self.events.publish(
            "callback_answer",
            record.chat_id,
            callback_query_id=record.id,
            text=answer.get("text"),
            show_alert=bool(answer.get("show_alert")),
            url=answer.get("url"),
            message=message.raw if message else None,
        )
        if chat is not None:
            chat.notifier.notify()

    # ------------------------------------------------------------------ rendering

    def render(self, message: BotMessage) -> dict[str, Any]:
        chat = self.chats[message.chat_id]
        data: dict[str, Any] = {
            "message_id": message.message_id,
            "from": dict(self.bot_user),
            "chat": chat.to_json(),
            "date": message.date,
        }
        if message.edit_date is not None:
            data["edit_date"] = message.edit_date
        if message.reply_to_json is not None:
            data["reply_to_message"] = message.reply_to_json
        if message.media_kind is not None and message.stored_file is not None:
            data[message.media_kind] = message.stored_file.media_json(message.media_kind)
            if message.media_kind == "animation":
                data["document"] = message.stored_file.media_json("document")
            if message.caption:
                data["caption"] = message.entities_text
                if message.entities:
                    data["caption_entities"] = message.entities
        else:
            data["text"] = message.entities_text
            if message.entities:
                data["entities"] = message.entities
            if message.link_preview_options:
                data["link_preview_options"] = message.link_preview_options
        if message.reply_markup is not None and "inline_keyboard" in message.reply_markup:
            data["reply_markup"] = message.reply_markup
        return data

    def _attach_file(self, message: BotMessage, stored: StoredFile) -> None:
        message.stored_file = stored
        message.file_id = stored.file_id
        message.media = stored.data
        if message.media_kind == "photo":
            message.photo = stored.data
        elif message.media_kind == "document":
            message.document = stored.data
            message.document_name = stored.file_name

    @staticmethod
    def _set_caption(message: BotMessage, caption: FormattedText) -> None:
        message.caption = caption.source or None
        message.parse_mode = caption.parse_mode
        message.entities_text = caption.text
        message.entities = caption.entities


def command_entities(text: str) -> list[dict[str, Any]]:
    """The ``bot_command`` entity Telegram adds to a message starting with ``/command``."""
    match = _COMMAND_RE.match(text)
    if not match:
        return []
    return [{"type": "bot_command", "offset": 0, "length": len(match.group(0))}]


def _strip_reply(message: dict[str, Any]) -> dict[str, Any]:
    """A replied-to message is embedded without its own ``reply_to_message``."""
    return {key: value for key, value in message.items() if key != "reply_to_message"}


def _update_kind(update: dict[str, Any]) -> str:
    return next(key for key in update if key != "update_id")
