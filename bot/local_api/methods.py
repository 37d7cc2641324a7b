"""Implementations of the Bot API methods on top of :class:`BotApiState`."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from bot.local_api.errors import (
    GET_UPDATES_CONFLICT,
    QUERY_TOO_OLD,
    WEBHOOK_ACTIVE_CONFLICT,
    ApiError,
)
from bot.local_api.files import MEDIA_KINDS, StoredFile
from bot.local_api.formatting import format_text
from bot.local_api.keyboards import validate_reply_markup
from bot.local_api.messages import BotMessage
from bot.local_api.params import UploadedFile
from bot.local_api.state import BotApiState, ChatState, WebhookRegistration

logger = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any]], Awaitable[Any]]

MAX_DOWNLOAD_SIZE = 20 * 1024 * 1024
MAX_CALLBACK_ANSWER_LENGTH = 200
MAX_COMMANDS = 100
_COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
COMMAND_SCOPES = frozenset(
    {
        "default",
        "all_private_chats",
        "all_group_chats",
        "all_chat_administrators",
        "chat",
        "chat_administrators",
        "chat_member",
    }
)
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a content and reply markup of the current message"
)
_BOT_SETTINGS = ("description", "short_description", "name")
_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")


def _current_inline_markup(message: BotMessage) -> dict[str, Any] | None:
    markup = message.reply_markup
    return markup if markup is not None and "inline_keyboard" in markup else None


class BotApiMethods:
    """Maps lower-cased method names to coroutine handlers taking decoded parameters."""

    def __init__(self, state: BotApiState) -> None:
        self.state = state
        self._poll_generation = 0
        self.handlers: dict[str, Handler] = {
            "getme": self.get_me,
            "getupdates": self.get_updates,
            "setwebhook": self.set_webhook,
            "deletewebhook": self.delete_webhook,
            "getwebhookinfo": self.get_webhook_info,
            "sendmessage": self.send_message,
            "editmessagetext": self.edit_message_text,
            "editmessagecaption": self.edit_message_caption,
            "editmessagereplymarkup": self.edit_message_reply_markup,
            "deletemessage": self.delete_message,
            "deletemessages": self.delete_messages,
            "answercallbackquery": self.answer_callback_query,
            "getfile": self.get_file,
            "setmycommands": self.set_my_commands,
            "getmycommands": self.get_my_commands,
            "deletemycommands": self.delete_my_commands,
            "sendchataction": self.send_chat_action,
            "setchatmenubutton": self.set_chat_menu_button,
            "getchatmenubutton": self.get_chat_menu_button,
            "getchat": self.get_chat,
            "close": self.always_true,
            "logout": self.always_true,
        }
        for kind in MEDIA_KINDS:
            method = "send" + kind.replace("_", "")
            self.handlers[method] = partial(self.send_media, kind)
        for setting in _BOT_SETTINGS:
            suffix = setting.replace("_", "")
            self.handlers["setmy" + suffix] = partial(self.set_bot_setting, setting)
            self.handlers["getmy" + suffix] = partial(self.get_bot_setting, setting)

    async def call(self, method: str, params: dict[str, Any]) -> Any:
        handler = self.handlers.get(method.lower())
        if handler is None:
            # Telegram answers 404 (which PTB reports as InvalidToken); say why in the log.
            logger.warning("local Bot API: method %r is not implemented (404)", method)
            raise ApiError(404, "Not Found")
        return await handler(params)

    # ------------------------------------------------------------------ helpers

    def _chat(self, params: dict[str, Any], *, sending: bool = True) -> ChatState:
        chat_id = params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise ApiError.bad_request("chat_id is empty")
        if isinstance(chat_id, bool) or not isinstance(chat_id, int):
            raise ApiError.bad_request("chat not found")
        chat = self.state.chats.get(chat_id)
        if chat is None:
            raise ApiError.bad_request("chat not found")
        if sending and chat.type == "private":
            if chat.blocked:
                raise ApiError.forbidden("bot was blocked by the user")
            if not chat.started:
                raise ApiError.forbidden("bot can't initiate conversation with a user")
        return chat

    def _message_to_edit(self, params: dict[str, Any]) -> tuple[ChatState, BotMessage]:
        if params.get("inline_message_id"):
            raise ApiError.bad_request("message to edit not found")
        chat = self._chat(params)
        message_id = params.get("message_id")
        if not isinstance(message_id, int):
            raise ApiError.bad_request("message identifier is not specified")
        message = chat.message_index.get(message_id)
        if message is None or message.deleted:
            if message_id in chat.messages:
                raise ApiError.bad_request("message can't be edited")
            raise ApiError.bad_request("message to edit not found")
        return chat, message

    def _reply_target(self, chat: ChatState, params: dict[str, Any]) -> dict[str, Any] | None:
        reply = params.get("reply_parameters")
        if isinstance(reply, dict):
            message_id = reply.get("message_id")
            allow_missing = bool(reply.get("allow_sending_without_reply"))
            target_chat = chat
            if reply.get("chat_id") not in (None, chat.id):
                other = self.state.chats.get(reply["chat_id"])
                if other is None:
                    raise ApiError.bad_request("chat not found")
                target_chat = other
        elif params.get("reply_to_message_id") is not None:
            message_id = params["reply_to_message_id"]
            allow_missing = bool(params.get("allow_sending_without_reply"))
            target_chat = chat
        else:
            return None
        target = target_chat.find_message_json(message_id) if isinstance(message_id, int) else None
        if target is None and not allow_missing:
            raise ApiError.bad_request("message to be replied not found")
        return target

    @staticmethod
    def _link_preview(params: dict[str, Any]) -> dict[str, Any] | None:
        options = params.get("link_preview_options")
        if isinstance(options, dict):
            return options
        if params.get("disable_web_page_preview"):
            return {"is_disabled": True}
        return None

    def _input_file(self, kind: str, params: dict[str, Any]) -> StoredFile:
        value = params.get(kind)
        if isinstance(value, str) and value.startswith("attach://"):
            value = params.get(value.removeprefix("attach://"))
        if value is None or value == "":
            raise ApiError.bad_request(f"there is no {kind} in the request")
        if isinstance(value, UploadedFile):
            if not value.data:
                raise ApiError.bad_request("file must be non-empty")
            return self.state.files.add(
                kind,
                value.data,
                file_name=value.filename,
                mime_type=value.content_type,
                duration=int(params.get("duration") or 0),
            )
        if isinstance(value, str):
            existing = self.state.files.get(value)
            if existing is not None:
                return existing
            if value.startswith(("http://", "https://")):
                name = value.rsplit("/", 1)[-1] or None
                return self.state.files.add(kind, b"", file_name=name, source_url=value)
        raise ApiError.bad_request("wrong file identifier/HTTP URL specified")

    # ------------------------------------------------------------------ bot and updates

    async def get_me(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            **self.state.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def always_true(self, params: dict[str, Any]) -> bool:
        return True

    async def get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        state = self.state
        if state.webhook is not None:
            raise ApiError(409, WEBHOOK_ACTIVE_CONFLICT)
        limit = params.get("limit") or 100
        limit = min(max(int(limit), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            state.allowed_updates = [str(kind) for kind in allowed]
        state.confirm_updates(params.get("offset"))
        # A newer getUpdates request terminates an older one that is still waiting.
        self._poll_generation += 1
        generation = self._poll_generation
        state.updates_notifier.notify()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if generation != self._poll_generation:
                raise ApiError(409, GET_UPDATES_CONFLICT)
            if state.webhook is not None:  # setWebhook while this poll was waiting
                raise ApiError(409, WEBHOOK_ACTIVE_CONFLICT)
            updates = state.pending_updates(limit)
            if updates or state.closing:
                return updates
            remaining = deadline - loop.time()
            if remaining <= 0:
                return []
            await state.updates_notifier.wait(remaining)

    async def set_webhook(self, params: dict[str, Any]) -> bool:
        """Register the URL updates are POSTed to (an empty url removes it). Unlike Telegram,
        http:// URLs on any port are accepted, so tests need no TLS; max_connections is stored
        but deliveries are one at a time."""
        url = params.get("url") or ""
        if not isinstance(url, str):
            raise ApiError.bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        if not url:
            return await self.delete_webhook(params)
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ApiError.bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.get("secret_token") or None
        if secret is not None and (
            not isinstance(secret, str) or not _SECRET_TOKEN.fullmatch(secret)
        ):
            raise ApiError.bad_request("secret token contains unallowed characters")
        max_connections = params.get("max_connections") or 40
        if not isinstance(max_connections, int) or not 1 <= max_connections <= 100:
            raise ApiError.bad_request("bad webhook: max_connections must be between 1 and 100")
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            self.state.allowed_updates = [str(kind) for kind in allowed]
        if params.get("drop_pending_updates"):
            self.state.updates.clear()
        self.state.webhook = WebhookRegistration(url, secret, max_connections)
        self.state.notify_update_waiters()  # deliveries start; a waiting getUpdates gets 409
        return True

    async def delete_webhook(self, params: dict[str, Any]) -> bool:
        self.state.webhook = None
        if params.get("drop_pending_updates"):
            self.state.updates.clear()
        # Only the delivery loop cares; no getUpdates is parked while a webhook is set.
        self.state.webhook_notifier.notify()
        return True

    async def get_webhook_info(self, params: dict[str, Any]) -> dict[str, Any]:
        state = self.state
        info: dict[str, Any] = {
            "url": state.webhook.url if state.webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(state.updates),
        }
        if state.webhook is not None:
            info["max_connections"] = state.webhook.max_connections
            if state.allowed_updates:
                info["allowed_updates"] = list(state.allowed_updates)
        if state.webhook_last_error_date is not None:
            info["last_error_date"] = state.webhook_last_error_date
            info["last_error_message"] = state.webhook_last_error_message or ""
        return info

    # ------------------------------------------------------------------ sending

    async def send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(params)
        formatted = format_text(
            params.get("text"), params.get("parse_mode"), params.get("entities")
        )
        markup = validate_reply_markup(params.get("reply_markup"))
        reply_to = self._reply_target(chat, params)
        message = self.state.add_bot_message(
            chat,
            formatted=formatted,
            reply_markup=markup,
            reply_to=reply_to,
            link_preview_options=self._link_preview(params),
        )
        return message.raw

    async def send_media(self, kind: str, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(params)
        stored = self._input_file(kind, params)
        caption = None
        if kind not in ("sticker", "video_note"):
            caption = format_text(
                params.get("caption"),
                params.get("parse_mode"),
                params.get("caption_entities"),
                caption=True,
            )
        markup = validate_reply_markup(params.get("reply_markup"))
        reply_to = self._reply_target(chat, params)
        message = self.state.add_bot_message(
            chat,
            formatted=None,
            reply_markup=markup,
            media_kind=kind,
            stored_file=stored,
            caption=caption,
            reply_to=reply_to,
        )
        return message.raw

    async def send_chat_action(self, params: dict[str, Any]) -> bool:
        chat = self._chat(params)
        action = params.get("action")
        if action not in CHAT_ACTIONS:
            raise ApiError.bad_request("wrong parameter action in request")
        self.state.events.publish("chat_action", chat.id, action=action)
        return True

    # ------------------------------------------------------------------ editing

    async def edit_message_text(self, params: dict[str, Any]) -> dict[str, Any]:
        chat, message = self._message_to_edit(params)
        if message.media_kind is not None:
            raise ApiError.bad_request("there is no text in the message to edit")
        formatted = format_text(
            params.get("text"), params.get("parse_mode"), params.get("entities")
        )
        markup = validate_reply_markup(params.get("reply_markup"), inline_only=True)
        if (
            formatted.text == message.entities_text
            and formatted.entities == message.entities
            and markup == _current_inline_markup(message)
        ):
            raise ApiError.bad_request(NOT_MODIFIED)
        self.state.edit_bot_message(chat, message, formatted=formatted, reply_markup=markup)
        return message.raw

    async def edit_message_caption(self, params: dict[str, Any]) -> dict[str, Any]:
        chat, message = self._message_to_edit(params)
        if message.media_kind is None:
            raise ApiError.bad_request("there is no caption in the message to edit")
        caption = format_text(
            params.get("caption"),
            params.get("parse_mode"),
            params.get("caption_entities"),
            caption=True,
        )
        markup = validate_reply_markup(params.get("reply_markup"), inline_only=True)
        if (
            caption.text == message.entities_text
            and caption.entities == message.entities
            and markup == _current_inline_markup(message)
        ):
            raise ApiError.bad_request(NOT_MODIFIED)
        self.state.edit_bot_message(chat, message, caption=caption, reply_markup=markup)
        return message.raw

    async def edit_message_reply_markup(self, params: dict[str, Any]) -> dict[str, Any]:
        chat, message = self._message_to_edit(params)
        markup = validate_reply_markup(params.get("reply_markup"), inline_only=True)
        if markup == _current_inline_markup(message):
            raise ApiError.bad_request(NOT_MODIFIED)
        self.state.edit_bot_message(chat, message, reply_markup=markup)
        return message.raw

    async def delete_message(self, params: dict[str, Any]) -> bool:
        chat = self._chat(params, sending=False)
        message_id = params.get("message_id")
        if not isinstance(message_id, int) or not self.state.delete_message(chat, message_id):
            raise ApiError.bad_request("message to delete not found")
        return True

    async def delete_messages(self, params: dict[str, Any]) -> bool:
        chat = self._chat(params, sending=False)
        message_ids = params.get("message_ids")
        if isinstance(message_ids, str):
            message_ids = [int(part) for part in message_ids.strip("[]").split(",") if part]
        if not isinstance(message_ids, list) or not message_ids:
            raise ApiError.bad_request("message identifiers are not specified")
        for message_id in message_ids:
            if isinstance(message_id, int):
                self.state.delete_message(chat, message_id)
        return True

    # ------------------------------------------------------------------ callbacks and files

    async def answer_callback_query(self, params: dict[str, Any]) -> bool:
        query_id = params.get("callback_query_id")
        record = self.state.callback_queries.get(str(query_id)) if query_id is not None else None
        if record is None or record.answered:
            raise ApiError.bad_request(QUERY_TOO_OLD)
        text = params.get("text")
        if isinstance(text, str) and len(text) > MAX_CALLBACK_ANSWER_LENGTH:
            raise ApiError.bad_request("MESSAGE_TOO_LONG")
        answer = {
            "text": text,
            "show_alert": bool(params.get("show_alert", False)),
            "url": params.get("url"),
            "cache_time": params.get("cache_time"),
        }
        self.state.answer_callback_query(record, answer)
        return True

    async def get_file(self, params: dict[str, Any]) -> dict[str, Any]:
        file_id = params.get("file_id")
        stored = self.state.files.get(str(file_id)) if file_id else None
        if stored is None:
            raise ApiError.bad_request("invalid file_id")
        if stored.size > MAX_DOWNLOAD_SIZE:
            raise ApiError.bad_request("file is too big")
        return stored.get_file_json()

    # ------------------------------------------------------------------ commands and settings

    def _scope_key(self, params: dict[str, Any]) -> str:
        scope = params.get("scope") or {"type": "default"}
        if not isinstance(scope, dict) or scope.get("type") not in COMMAND_SCOPES:
            raise ApiError.bad_request("can't parse BotCommandScope JSON object")
        scope_type = str(scope["type"])
        if scope_type in ("chat", "chat_administrators", "chat_member"):
            chat_id = scope.get("chat_id")
            if not isinstance(chat_id, int) or chat_id not in self.state.chats:
                raise ApiError.bad_request("chat not found")
            if scope_type == "chat_member":
                return f"{scope_type}:{chat_id}:{scope.get('user_id')}"
            return f"{scope_type}:{chat_id}"
        return scope_type

    @staticmethod
    def _language(params: dict[str, Any]) -> str:
        language = params.get("language_code") or ""
        if not isinstance(language, str) or (language and not re.fullmatch(r"[a-z]{2}", language)):
            raise ApiError.bad_request("LANG_CODE_INVALID")
        return language

    async def set_my_commands(self, params: dict[str, Any]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise ApiError.bad_request("can't parse commands JSON object")
        if len(commands) > MAX_COMMANDS:
            raise ApiError.bad_request("too many commands")
        cleaned: list[dict[str, Any]] = []
        for command in commands:
            if not isinstance(command, dict):
                raise ApiError.bad_request("can't parse BotCommand JSON object")
            name = command.get("command")
            description = command.get("description")
            if not isinstance(name, str) or not _COMMAND_NAME.match(name):
                raise ApiError.bad_request("BOT_COMMAND_INVALID")
            if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
                raise ApiError.bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
            cleaned.append({"command": name, "description": description})
        key = (self._scope_key(params), self._language(params))
        if cleaned:
            self.state.commands[key] = cleaned
        else:
            self.state.commands.pop(key, None)
        return True

    async def get_my_commands(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        key = (self._scope_key(params), self._language(params))
        return [dict(command) for command in self.state.commands.get(key, [])]

    async def delete_my_commands(self, params: dict[str, Any]) -> bool:
        key = (self._scope_key(params), self._language(params))
        self.state.commands.pop(key, None)
        return True

    async def set_chat_menu_button(self, params: dict[str, Any]) -> bool:
        button = params.get("menu_button") or {"type": "default"}
        if not isinstance(button, dict) or button.get("type") not in (
            "default",
            "commands",
            "web_app",
        ):
            raise ApiError.bad_request("can't parse menu button JSON object")
        if params.get("chat_id") is not None:
            self._chat(params, sending=False).menu_button = button
        else:
            self.state.default_menu_button = button
        return True

    async def get_chat_menu_button(self, params: dict[str, Any]) -> dict[str, Any]:
        if params.get("chat_id") is not None:
            chat = self._chat(params, sending=False)
            if chat.menu_button is not None:
                return chat.menu_button
        return self.state.default_menu_button

    async def set_bot_setting(self, setting: str, params: dict[str, Any]) -> bool:
        value = params.get(setting) or ""
        if not isinstance(value, str):
            raise ApiError.bad_request(f'field "{setting}" must be of type String')
        store = self.state.bot_settings.setdefault(setting, {})
        language = self._language(params)
        if value:
            store[language] = value
        else:
            store.pop(language, None)
        return True

    async def get_bot_setting(self, setting: str, params: dict[str, Any]) -> dict[str, str]:
        store = self.state.bot_settings.get(setting, {})
        language = self._language(params)
        default = self.state.bot_user["first_name"] if setting == "name" else ""
        return {setting: store.get(language, store.get("", default))}

    async def get_chat(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(params, sending=False)
        return {**chat.to_json(), "accent_color_id": 0, "max_reaction_count": 11}
