"""Validation of ``reply_markup`` objects (inline keyboards, reply keyboards, remove/force)."""

from __future__ import annotations

import json
from typing import Any

from bot.local_api.errors import ApiError

MAX_CALLBACK_DATA_BYTES = 64
MAX_INLINE_BUTTONS = 100

# Exactly one of these must accompany "text" in an inline keyboard button.
INLINE_ACTIONS = (
    "callback_data",
    "url",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_URL_SCHEMES = ("http://", "https://", "tg://")

_BAD_MARKUP = "can't parse reply keyboard markup JSON object"


def _button_error(detail: str) -> ApiError:
    return ApiError.bad_request(f"can't parse inline keyboard button: {detail}")


def _validate_inline_button(button: Any) -> dict[str, Any]:
    if not isinstance(button, dict):
        raise _button_error("InlineKeyboardButton must be an Object")
    text = button.get("text")
    if not isinstance(text, str):
        raise _button_error('Field "text" must be of type String')
    if not text.strip():
        raise ApiError.bad_request("BUTTON_TEXT_EMPTY")
    actions = [name for name in INLINE_ACTIONS if name in button and button[name] is not None]
    if not actions:
        raise _button_error("Text buttons are unallowed in the inline keyboard")
    if len(actions) > 1:
        raise _button_error(
            "exactly one of the optional fields must be used, got " + ", ".join(actions)
        )
    action = actions[0]
    if action == "callback_data":
        data = button["callback_data"]
        if (
            not isinstance(data, str)
            or not data
            or len(data.encode("utf-8")) > MAX_CALLBACK_DATA_BYTES
        ):
            raise ApiError.bad_request("BUTTON_DATA_INVALID")
    elif action == "url":
        url = button["url"]
        if not isinstance(url, str) or not url.startswith(_URL_SCHEMES) or " " in url:
            raise ApiError.bad_request(f"inline keyboard button URL '{url}' is invalid: Wrong URL")
    return dict(button)


def _validate_rows(rows: Any, field: str) -> list[list[Any]]:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise ApiError.bad_request(f'field "{field}" must be an Array of Arrays')
    return rows


def validate_reply_markup(markup: Any, *, inline_only: bool = False) -> dict[str, Any] | None:
    """Check ``reply_markup`` like Telegram and return a normalised copy (``None`` if absent)."""
    if markup is None or markup == "":
        return None
    if isinstance(markup, str):
        try:
            markup = json.loads(markup)
        except ValueError:
            raise ApiError.bad_request(_BAD_MARKUP) from None
    if not isinstance(markup, dict):
        raise ApiError.bad_request(_BAD_MARKUP)
    if "inline_keyboard" in markup:
        rows = _validate_rows(markup["inline_keyboard"], "inline_keyboard")
        keyboard = [[_validate_inline_button(button) for button in row] for row in rows]
        if sum(len(row) for row in keyboard) > MAX_INLINE_BUTTONS:
            raise ApiError.bad_request("too many inline keyboard buttons")
        return {"inline_keyboard": keyboard}
    if inline_only:
        raise ApiError.bad_request("inline keyboard expected")
    if "keyboard" in markup:
        rows = _validate_rows(markup["keyboard"], "keyboard")
        for row in rows:
            for button in row:
                if isinstance(button, str):
                    continue
                if not isinstance(button, dict) or not isinstance(button.get("text"), str):
                    raise ApiError.bad_request(
                        "can't parse keyboard button: KeyboardButton must be a String or an Object"
                    )
        return dict(markup)
    if markup.get("remove_keyboard") is True or markup.get("force_reply") is True:
        return dict(markup)
    raise ApiError.bad_request(_BAD_MARKUP)


def inline_keyboard(markup: dict[str, Any] | None) -> list[list[dict[str, Any]]] | None:
    if markup and "inline_keyboard" in markup:
        return markup["inline_keyboard"]
    return None


def button_text(button: Any) -> str:
    return button if isinstance(button, str) else str(button.get("text", ""))
