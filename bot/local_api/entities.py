"""Shared helpers for message entities: UTF-16 offsets and parse errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class EntityParseError(ValueError):
    """Raised when formatted text can't be parsed; the message follows Telegram's wording."""


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, the unit Telegram uses for limits and offsets."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def byte_offset(text: str, index: int) -> int:
    """UTF-8 byte offset of character ``index`` (Telegram reports errors in bytes)."""
    return len(text[:index].encode("utf-8", "surrogatepass"))


@dataclass
class TextBuilder:
    """Accumulates parsed plain text while tracking its UTF-16 length."""

    parts: list[str] = field(default_factory=list)
    offset: int = 0

    def append(self, chunk: str) -> None:
        self.parts.append(chunk)
        self.offset += utf16_len(chunk)

    def text(self) -> str:
        return "".join(self.parts)


def make_entity(kind: str, offset: int, length: int, **extra: Any) -> dict[str, Any]:
    entity: dict[str, Any] = {"type": kind, "offset": offset, "length": length}
    entity.update({key: value for key, value in extra.items() if value is not None})
    return entity


def sort_entities(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Order entities like Telegram: by offset, outer (longer, later closed) entities first.

    Parsers append an entity when it closes, so for equal ranges the later one is the outer.
    """
    order = sorted(
        enumerate(entities), key=lambda item: (item[1]["offset"], -item[1]["length"], -item[0])
    )
    return [entity for _, entity in order]


def slice_utf16(text: str, offset: int, length: int) -> str:
    """The substring of ``text`` covered by an entity (offsets in UTF-16 code units)."""
    encoded = text.encode("utf-16-le", "surrogatepass")
    return encoded[offset * 2 : (offset + length) * 2].decode("utf-16-le", "surrogatepass")
