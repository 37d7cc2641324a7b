"""What the bot sends, independent of who triggers it (a handler or the scheduler).

A message to send: text (HTML), an optional inline keyboard, optionally a photo (the text
is then its caption): drawn bytes (a chart) or a Telegram file id (a user's photo, relayed
without downloading it), the open step it asks for (so a reply to it is routed there) and
follow-up messages."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from telegram import Bot, InlineKeyboardMarkup, Message

if TYPE_CHECKING:
    from collections.abc import Sequence

    from bot.clock import Clock
    from bot.db import Database
    from bot.services.rituals import Ritual


@dataclass(frozen=True, slots=True)
class Outgoing:
    text: str
    markup: InlineKeyboardMarkup | None = None
    photo: bytes | None = None
    photo_name: str = "chart.png"
    then: tuple[Outgoing, ...] = ()
    step_id: int | None = None  # the open step (bot.services.conversation) this asks for
    photo_id: str | None = None  # a photo Telegram already has (a user's), by its file id

    def parts(self) -> list[Outgoing]:
        """This message and its follow-ups, in order."""
        head = Outgoing(
            self.text,
            self.markup,
            self.photo,
            self.photo_name,
            step_id=self.step_id,
            photo_id=self.photo_id,
        )
        return [head, *(p for follow in self.then for p in follow.parts())]


async def send_part(bot: Bot, chat_id: int, part: Outgoing) -> Message:
    if part.photo is not None:
        return await bot.send_photo(
            chat_id,
            photo=part.photo,
            caption=part.text or None,
            reply_markup=part.markup,
            filename=part.photo_name,
        )
    if part.photo_id is not None:
        return await bot.send_photo(
            chat_id, photo=part.photo_id, caption=part.text or None, reply_markup=part.markup
        )
    return await bot.send_message(chat_id, part.text, reply_markup=part.markup)


def message_parts(payload: str) -> tuple[int, list[Outgoing]]:
    """A stored message: (chat id, parts)."""
    data = json.loads(payload)
    parts = [
        Outgoing(
            part["text"],
            InlineKeyboardMarkup.de_json(part["markup"], None) if part.get("markup") else None,
            photo_id=part.get("photo_id"),
        )
        for part in data["parts"]
    ]
    return int(data["chat_id"]), parts


def message_payload(chat_id: int, out: Outgoing) -> dict[str, object]:
    """What add_message stores for `out`: text, buttons and a photo's file id (no drawn
    photos)."""
    parts = []
    for part in out.parts():
        assert part.photo is None, "stored messages carry no drawn photos"
        stored: dict[str, object] = {
            "text": part.text,
            "markup": part.markup.to_dict() if part.markup else None,
        }
        if part.photo_id is not None:
            stored["photo_id"] = part.photo_id
        parts.append(stored)
    return {"chat_id": chat_id, "parts": parts}


class Dispatcher(Protocol):
    """Sends outbox rows now (the scheduler provides it): for each id, True when Telegram
    took the message (or it waits for a retry), False when it was refused for good."""

    async def __call__(self, ids: list[int]) -> dict[int, bool]: ...


class Composer(Protocol):
    """Builds a ritual's first message for a user: (chat id, message), or None when there is
    nothing to send. The scheduler calls it; the Telegram layer provides it."""

    async def __call__(
        self, db: Database, clock: Clock, user_id: int, ritual: Ritual, *, on_request: bool = False
    ) -> tuple[int, Outgoing] | None: ...


class BatchComposer(Protocol):
    """A Composer for many (user, ritual) at once, in one transaction: the results in the
    same order. The scheduler uses it for each batch it sends."""

    async def __call__(
        self, db: Database, clock: Clock, wanted: Sequence[tuple[int, Ritual]]
    ) -> list[tuple[int, Outgoing] | None]: ...
