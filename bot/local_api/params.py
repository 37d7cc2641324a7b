"""Decoding of Bot API request parameters from query strings, forms, multipart and JSON.

python-telegram-bot sends strings raw and everything else JSON-encoded, so each field is decoded
according to its known type. Free-text fields (``text``, ``caption``, ...) are never
JSON-decoded: a message text ``"123"`` stays the string ``"123"``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from multidict import MultiMapping

from bot.local_api.errors import ApiError

JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "commands",
        "scope",
        "allowed_updates",
        "link_preview_options",
        "reply_parameters",
        "menu_button",
        "media",
        "results",
        "options",
        "permissions",
        "reaction",
        "rights",
        "explanation_entities",
        "question_entities",
        "text_entities",
    }
)
INT_FIELDS = frozenset(
    {
        "chat_id",
        "from_chat_id",
        "message_id",
        "message_thread_id",
        "reply_to_message_id",
        "offset",
        "limit",
        "timeout",
        "cache_time",
        "user_id",
        "duration",
        "width",
        "height",
        "length",
        "until_date",
        "max_connections",
    }
)
BOOL_FIELDS = frozenset(
    {
        "show_alert",
        "drop_pending_updates",
        "disable_notification",
        "protect_content",
        "disable_web_page_preview",
        "allow_sending_without_reply",
        "has_spoiler",
        "show_caption_above_media",
        "disable_content_type_detection",
        "allow_paid_broadcast",
        "supports_streaming",
        "for_channels",
        "revoke_messages",
        "is_personal",
    }
)
_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off", ""})


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request."""

    filename: str | None
    content_type: str | None
    data: bytes

    def __repr__(self) -> str:
        return f"UploadedFile({self.filename!r}, {self.content_type!r}, {len(self.data)} bytes)"


def _decode_int(name: str, value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        try:
            return int(text)
        except ValueError:
            pass
        try:
            as_float = float(text)
        except ValueError:
            if name in ("chat_id", "from_chat_id"):
                return value  # "@username" style ids; resolved (and rejected) later
            raise ApiError.bad_request(f'field "{name}" must be of type Integer') from None
        if as_float.is_integer():
            return int(as_float)
    if name in ("chat_id", "from_chat_id"):
        return value
    raise ApiError.bad_request(f'field "{name}" must be of type Integer')


def _decode_bool(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value != 0
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
    raise ApiError.bad_request(f'field "{name}" must be of type Boolean')


def _decode_json(name: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        if name == "reply_markup":
            raise ApiError.bad_request("can't parse reply keyboard markup JSON object") from None
        if name.endswith("entities"):
            raise ApiError.bad_request("can't parse entities JSON object") from None
        raise ApiError.bad_request(f"can't parse {name} JSON object") from None


def decode_field(name: str, value: Any) -> Any:
    """Decode one parameter according to its Bot API type."""
    if isinstance(value, UploadedFile):
        return value
    if name in JSON_FIELDS:
        return _decode_json(name, value)
    if name in INT_FIELDS:
        return _decode_int(name, value)
    if name in BOOL_FIELDS:
        return _decode_bool(name, value)
    return value


def decode_mapping(raw: MultiMapping[Any]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for name, value in raw.items():
        if isinstance(value, web.FileField):
            params[name] = UploadedFile(value.filename, value.content_type, value.file.read())
        else:
            params[name] = value
    return params


async def read_params(request: web.Request) -> dict[str, Any]:
    """Raw (undecoded) parameters of a request: query string merged with the body."""
    params: dict[str, Any] = dict(request.query)
    if request.method not in ("POST", "PUT") or not request.body_exists:
        return params
    content_type = request.content_type
    if content_type == "application/json":
        body = await request.read()
        if body.strip():
            try:
                decoded = json.loads(body)
            except ValueError:
                raise ApiError.bad_request("can't parse JSON") from None
            if not isinstance(decoded, dict):
                raise ApiError.bad_request("JSON object expected")
            params.update(decoded)
        return params
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        params.update(decode_mapping(await request.post()))
        return params
    return params


def decode_params(raw: dict[str, Any]) -> dict[str, Any]:
    return {name: decode_field(name, value) for name, value in raw.items()}
