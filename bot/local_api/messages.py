"""The :class:`BotMessage` record: a message the bot sent, in its current (edited) state."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.local_api.files import StoredFile
from bot.local_api.keyboards import button_text


@dataclass(eq=False)
class BotMessage:
    """A message sent by the bot. Mutated in place when the bot edits or deletes it.

    ``text``/``caption`` are the source strings exactly as the bot sent them (markup included);
    ``entities_text`` is what the user sees (tags removed, entities unescaped) for the text or,
    for media messages, the caption. ``raw`` is the Bot API Message JSON.
    """

    message_id: int
    chat_id: int
    text: str | None = None
    caption: str | None = None
    parse_mode: str | None = None
    entities_text: str = ""
    reply_markup: dict[str, Any] | None = None
    edits: int = 0
    photo: bytes | None = field(default=None, repr=False)
    document: bytes | None = field(default=None, repr=False)
    document_name: str | None = None
    date: int = 0
    entities: list[dict[str, Any]] = field(default_factory=list)
    media_kind: str | None = None  # "photo", "document", "voice", ... or None for text
    media: bytes | None = field(default=None, repr=False)  # the file bytes for any media kind
    file_id: str | None = None
    edit_date: int | None = None
    deleted: bool = False
    reply_to_message_id: int | None = None
    link_preview_options: dict[str, Any] | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False)
    stored_file: StoredFile | None = field(default=None, repr=False)
    reply_to_json: dict[str, Any] | None = field(default=None, repr=False)

    @property
    def inline_keyboard(self) -> list[list[dict[str, Any]]]:
        if self.reply_markup and "inline_keyboard" in self.reply_markup:
            return self.reply_markup["inline_keyboard"]
        return []

    @property
    def buttons(self) -> list[list[str]]:
        """Button texts by row: the inline keyboard, or else the reply keyboard sent with it."""
        if self.reply_markup is None:
            return []
        rows = self.reply_markup.get("inline_keyboard") or self.reply_markup.get("keyboard") or []
        return [[button_text(button) for button in row] for row in rows]

    @property
    def button_data(self) -> dict[str, str]:
        """Inline button text -> callback_data (callback buttons only)."""
        return {
            button["text"]: button["callback_data"]
            for row in self.inline_keyboard
            for button in row
            if "callback_data" in button
        }

    @property
    def button_urls(self) -> dict[str, str]:
        """Inline button text -> url (URL buttons only)."""
        return {
            button["text"]: button["url"]
            for row in self.inline_keyboard
            for button in row
            if "url" in button
        }

    def find_button(self, text: str) -> dict[str, Any] | None:
        for row in self.inline_keyboard:
            for button in row:
                if button.get("text") == text:
                    return button
        return None

    def describe(self) -> str:
        """A one-line summary used in assertion messages."""
        body = self.entities_text if self.entities_text else f"<{self.media_kind or 'empty'}>"
        if len(body) > 120:
            body = body[:117] + "..."
        extra = f" buttons={self.buttons}" if self.buttons else ""
        if self.media_kind:
            extra += f" [{self.media_kind}]"
        if self.deleted:
            extra += " [deleted]"
        return f"#{self.message_id} {body!r}{extra}"
