"""Parsing of ``parse_mode="MarkdownV2"`` and legacy ``"Markdown"``, modelled on tdlib."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.local_api.entities import (
    EntityParseError,
    TextBuilder,
    byte_offset,
    make_entity,
    slice_utf16,
    sort_entities,
)

RESERVED_V2 = "_*[]()~`>#+-=|{}.!"

# Names used by Telegram in "Can't find end of X entity" errors.
_KIND_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "code": "Code",
    "pre": "Pre",
    "text_link": "TextUrl",
    "custom_emoji": "CustomEmoji",
}


@dataclass
class _Open:
    kind: str
    start: int
    begin: int  # character index in the source, for error messages
    language: str | None = None


def _is_end(kind: str, text: str, i: int) -> bool:
    ch = text[i]
    nxt = text[i + 1] if i + 1 < len(text) else ""
    if kind == "bold":
        return ch == "*"
    if kind == "italic":
        return ch == "_" and nxt != "_"
    if kind == "underline":
        return text.startswith("__", i)
    if kind == "strikethrough":
        return ch == "~"
    if kind == "spoiler":
        return text.startswith("||", i)
    if kind == "code":
        return ch == "`"
    if kind == "pre":
        return text.startswith("```", i)
    return ch == "]"  # text_link, custom_emoji


def _read_url(text: str, i: int) -> tuple[str, int]:
    """Read ``(url)`` starting at ``text[i] == "("``; returns url and the index after ``)``."""
    url: list[str] = []
    start = i + 1
    j = start
    while j < len(text) and text[j] != ")":
        if text[j] == "\\" and j + 1 < len(text) and 0 < ord(text[j + 1]) <= 126:
            url.append(text[j + 1])
            j += 2
            continue
        url.append(text[j])
        j += 1
    if j >= len(text):
        raise EntityParseError(f"Can't find end of a URL at byte offset {byte_offset(text, start)}")
    return "".join(url), j + 1


class _QuoteState:
    """Tracks a ``>``-prefixed blockquote spanning consecutive lines."""

    def __init__(self) -> None:
        self.start: int | None = None
        self.expandable = False
        self.end: int = 0

    def close(self, entities: list[dict[str, Any]]) -> None:
        if self.start is not None and self.end > self.start:
            kind = "expandable_blockquote" if self.expandable else "blockquote"
            entities.append(make_entity(kind, self.start, self.end - self.start))
        self.start = None
        self.expandable = False


def parse_markdown_v2(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse MarkdownV2 into plain text and entities; raises :class:`EntityParseError`."""
    result = TextBuilder()
    entities: list[dict[str, Any]] = []
    stack: list[_Open] = []
    quote = _QuoteState()
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        in_code = bool(stack) and stack[-1].kind in ("code", "pre")
        at_line_start = i == 0 or text[i - 1] == "\n"
        if at_line_start and not in_code:
            if quote.start is None and ch == ">":
                quote.start = result.offset
                i += 1
                continue
            if quote.start is None and text.startswith("**>", i):
                quote.start = result.offset
                quote.expandable = True
                i += 3
                continue
            if quote.start is not None:
                if ch == ">":
                    i += 1
                    continue
                quote.close(entities)
        if (
            quote.expandable
            and not in_code
            and text.startswith("||", i)
            and (i + 2 == n or text[i + 2] == "\n")
            and not (stack and stack[-1].kind == "spoiler")
        ):
            quote.end = result.offset
            quote.close(entities)
            i += 2
            continue
        if ch == "\\" and i + 1 < n and 0 < ord(text[i + 1]) <= 126:
            result.append(text[i + 1])
            i += 2
            continue
        reserved = "`" if in_code else RESERVED_V2
        if ch not in reserved:
            if ch == "\n" and quote.start is not None:
                quote.end = result.offset
            result.append(ch)
            i += 1
            continue
        if stack and _is_end(stack[-1].kind, text, i):
            opened = stack.pop()
            i = _finish_v2(opened, text, i, result, entities)
            continue
        i = _start_v2(text, i, result, stack)
    if quote.start is not None:
        quote.end = result.offset
        quote.close(entities)
    if stack:
        opened = stack[-1]
        raise EntityParseError(
            f"Can't find end of {_KIND_NAMES[opened.kind]} entity at byte offset "
            f"{byte_offset(text, opened.begin)}"
        )
    return result.text(), sort_entities(entities)


def _start_v2(text: str, i: int, result: TextBuilder, stack: list[_Open]) -> int:
    ch = text[i]
    nxt = text[i + 1] if i + 1 < len(text) else ""
    begin = i
    language: str | None = None
    if ch == "_":
        kind, i = ("underline", i + 2) if nxt == "_" else ("italic", i + 1)
    elif ch == "*":
        kind, i = "bold", i + 1
    elif ch == "~":
        kind, i = "strikethrough", i + 1
    elif ch == "|" and nxt == "|":
        kind, i = "spoiler", i + 2
    elif ch == "[":
        kind, i = "text_link", i + 1
    elif ch == "!" and nxt == "[":
        kind, i = "custom_emoji", i + 2
    elif ch == "`" and text.startswith("```", i):
        kind, i = "pre", i + 3
        lang_end = i
        while lang_end < len(text) and not text[lang_end].isspace() and text[lang_end] != "`":
            lang_end += 1
        if lang_end != i and lang_end < len(text) and text[lang_end] != "`":
            language = text[i:lang_end]
            i = lang_end
        if i < len(text) and text[i] in "\r\n":
            i += 2 if text[i : i + 2] in ("\r\n", "\n\r") else 1
    elif ch == "`":
        kind, i = "code", i + 1
    else:
        raise EntityParseError(
            f"Character '{ch}' is reserved and must be escaped with the preceding '\\'"
        )
    stack.append(_Open(kind, result.offset, begin, language))
    return i


def _finish_v2(
    opened: _Open, text: str, i: int, result: TextBuilder, entities: list[dict[str, Any]]
) -> int:
    length = result.offset - opened.start
    kind = opened.kind
    if kind in ("text_link", "custom_emoji"):
        i += 1
        url: str | None = None
        if i < len(text) and text[i] == "(":
            url, i = _read_url(text, i)
        if kind == "custom_emoji":
            prefix = "tg://emoji?id="
            if url is None or not url.startswith(prefix) or not url[len(prefix) :].isdigit():
                raise EntityParseError("Custom emoji entity must contain a tg://emoji URL")
            if length > 0:
                entities.append(
                    make_entity(
                        "custom_emoji", opened.start, length, custom_emoji_id=url[len(prefix) :]
                    )
                )
            return i
        if url is None:
            url = slice_utf16(result.text(), opened.start, length)
        if length > 0:
            entities.append(make_entity("text_link", opened.start, length, url=url))
        return i
    if kind == "pre":
        i += 3
    elif kind in ("underline", "spoiler"):
        i += 2
    else:
        i += 1
    if length > 0:
        language = opened.language if kind == "pre" else None
        entities.append(make_entity(kind, opened.start, length, language=language))
    return i


_LEGACY_KINDS = {"*": "bold", "_": "italic", "`": "code", "[": "text_link"}


def parse_markdown(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse legacy ``Markdown`` (no nesting; ``*bold*``, ``_italic_``, code, pre, links)."""
    result = TextBuilder()
    entities: list[dict[str, Any]] = []
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n and text[i + 1] in "_*`[":
            result.append(text[i + 1])
            i += 2
            continue
        if ch not in _LEGACY_KINDS:
            result.append(ch)
            i += 1
            continue
        begin = i
        language: str | None = None
        if text.startswith("```", i):
            kind, end_marker = "pre", "```"
            i += 3
            lang_end = i
            while lang_end < n and not text[lang_end].isspace() and text[lang_end] != "`":
                lang_end += 1
            if lang_end != i and lang_end < n and text[lang_end] != "`":
                language = text[i:lang_end]
                i = lang_end
            if i < n and text[i] == "\n":
                i += 1
        else:
            kind = _LEGACY_KINDS[ch]
            end_marker = "]" if ch == "[" else ch
            i += 1
        start = result.offset
        end = text.find(end_marker, i)
        if end == -1:
            raise EntityParseError(
                f"Can't find end of the entity starting at byte offset {byte_offset(text, begin)}"
            )
        result.append(text[i:end])
        i = end + len(end_marker)
        length = result.offset - start
        if kind == "text_link":
            url = slice_utf16(result.text(), start, length)
            if i < n and text[i] == "(":
                close = text.find(")", i)
                if close != -1:
                    url = text[i + 1 : close]
                    i = close + 1
            if length > 0:
                entities.append(make_entity("text_link", start, length, url=url))
        elif length > 0:
            entities.append(make_entity(kind, start, length, language=language))
    return result.text(), sort_entities(entities)
