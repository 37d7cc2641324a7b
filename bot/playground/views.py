"""What the browser gets for one chat message: safe HTML, media, buttons and a bot-time stamp.

Bot messages are rendered from the HTML the bot sent (sanitized); a person's messages from
their plain text. Files are served by the playground under ``/files/<file_path>``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from bot.local_api.files import StoredFile
from bot.local_api.messages import BotMessage
from bot.local_api.state import BotApiState
from bot.playground.sanitize import entities_to_html, plain_to_html, sanitize_html

MEDIA_KINDS = ("photo", "document", "sticker", "voice", "audio", "video", "animation", "video_note")


def file_url(stored: StoredFile) -> str:
    return "/files/" + quote(stored.file_path)


def media_view(stored: StoredFile, kind: str) -> dict[str, Any]:
    view: dict[str, Any] = {
        "kind": kind,
        "url": file_url(stored),
        "mime": stored.mime_type,
        "size": stored.size,
    }
    if stored.width and stored.height:
        view["width"], view["height"] = stored.width, stored.height
    if stored.file_name:
        view["name"] = stored.file_name
    elif kind == "document":
        view["name"] = stored.file_path.rsplit("/", 1)[-1]
    if stored.duration:
        view["duration"] = stored.duration
    if stored.emoji:
        view["emoji"] = stored.emoji
    return view


def buttons_view(markup: dict[str, Any] | None) -> list[list[dict[str, Any]]]:
    rows: list[list[dict[str, Any]]] = []
    for row in (markup or {}).get("inline_keyboard", []):
        out_row: list[dict[str, Any]] = []
        for button in row:
            item: dict[str, Any] = {"text": str(button.get("text", ""))}
            if "callback_data" in button:
                item["kind"] = "callback"
            elif "url" in button:
                item["kind"] = "url"
                item["url"] = str(button["url"])
            else:
                item["kind"] = "other"
            out_row.append(item)
        rows.append(out_row)
    return rows


def bot_message_html(message: BotMessage) -> str:
    """The text (or caption) of a bot message as safe HTML."""
    source = message.caption if message.media_kind else message.text
    if message.parse_mode == "HTML" and source is not None:
        return sanitize_html(source)
    return entities_to_html(message.entities_text, message.entities)


def _user_media(state: BotApiState, raw: dict[str, Any]) -> dict[str, Any] | None:
    for kind in MEDIA_KINDS:
        item = raw.get(kind)
        if not item:
            continue
        file_id = item[-1]["file_id"] if isinstance(item, list) else item.get("file_id")
        stored = state.files.get(str(file_id))
        if stored is not None:
            return media_view(stored, kind)
    return None


def message_view(
    state: BotApiState,
    chat_id: int,
    raw: dict[str, Any],
    *,
    from_bot: bool,
    stamp_ms: int,
) -> dict[str, Any]:
    """The browser's view of a message (its current state, for bot messages)."""
    message_id = int(raw["message_id"])
    view: dict[str, Any] = {
        "chat_id": chat_id,
        "id": message_id,
        "from_bot": from_bot,
        "time": stamp_ms,
        "edited": "edit_date" in raw,
        "media": None,
        "buttons": [],
    }
    chat = state.chats.get(chat_id)
    bot_message = chat.message_index.get(message_id) if (chat and from_bot) else None
    if bot_message is not None:
        view["html"] = bot_message_html(bot_message)
        view["edited"] = bot_message.edits > 0
        view["buttons"] = buttons_view(bot_message.reply_markup)
        if bot_message.media_kind and bot_message.stored_file is not None:
            view["media"] = media_view(bot_message.stored_file, bot_message.media_kind)
    else:
        text = raw.get("text") if "text" in raw else raw.get("caption")
        view["html"] = plain_to_html(str(text or ""))
        view["media"] = _user_media(state, raw)
        view["buttons"] = buttons_view(raw.get("reply_markup"))
    return view


def chat_history(state: BotApiState, chat_id: int, stamp_of: Any) -> list[dict[str, Any]]:
    """Every message of a private chat (bot and person), oldest first.

    ``stamp_of(chat_id, message_id, date)`` returns the bot-time stamp in milliseconds.
    """
    chat = state.chats.get(chat_id)
    if chat is None:
        return []
    items: list[tuple[int, dict[str, Any], bool]] = [
        (m.message_id, m.raw, True) for m in chat.bot_messages if not m.deleted
    ]
    items += [(mid, raw, False) for mid, raw in chat.messages.items()]
    items.sort(key=lambda item: item[0])
    return [
        message_view(
            state,
            chat_id,
            raw,
            from_bot=from_bot,
            stamp_ms=stamp_of(chat_id, mid, int(raw.get("date", 0))),
        )
        for mid, raw, from_bot in items
    ]
