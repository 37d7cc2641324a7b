"""Parsing and validation of ``parse_mode="HTML"`` text, modelled on Telegram's (tdlib) parser.

Deliberately a little stricter than Telegram in one respect: a ``&`` that does not start a
valid character reference is rejected instead of being kept literally. That turns missing
``html.escape`` calls in the bot into test failures rather than latent production bugs.
"""

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

NAMED_ENTITIES: dict[str, str] = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}

SIMPLE_TAGS: dict[str, str] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
}
SUPPORTED_TAGS = frozenset({*SIMPLE_TAGS, "a", "span", "blockquote", "tg-emoji"})


@dataclass
class _OpenTag:
    tag: str
    kind: str
    start: int
    byte_pos: int
    url: str | None = None
    language: str | None = None
    custom_emoji_id: str | None = None


def _decode_reference(text: str, pos: int) -> tuple[str, int] | None:
    """Decode the character reference starting at ``text[pos] == "&"``.

    Returns the decoded character and the number of source characters consumed, or ``None``.
    """
    end = text.find(";", pos + 1, pos + 12)
    if end == -1:
        return None
    body = text[pos + 1 : end]
    if body in NAMED_ENTITIES:
        return NAMED_ENTITIES[body], end - pos + 1
    if body.startswith("#") and len(body) > 1:
        digits = body[1:]
        try:
            if digits[0] in "xX":
                code = int(digits[1:], 16) if len(digits) > 1 else -1
            elif digits.isdigit():
                code = int(digits)
            else:
                return None
        except ValueError:
            return None
        if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF:
            return chr(code), end - pos + 1
    return None


def _read_attributes(text: str, pos: int, tag: str, begin: int) -> tuple[dict[str, str], int]:
    """Parse ``name="value"`` pairs up to and including ``>``; returns (attrs, next position)."""
    attrs: dict[str, str] = {}
    n = len(text)
    while True:
        while pos < n and text[pos].isspace():
            pos += 1
        if pos >= n:
            raise EntityParseError(f"Unclosed start tag at byte offset {byte_offset(text, begin)}")
        if text[pos] == ">":
            return attrs, pos + 1
        name_start = pos
        while pos < n and not text[pos].isspace() and text[pos] not in "=>":
            pos += 1
        name = text[name_start:pos].lower()
        if not name:
            raise EntityParseError(
                f'Empty attribute name in the tag "{tag}" at byte offset {byte_offset(text, begin)}'
            )
        while pos < n and text[pos].isspace():
            pos += 1
        if pos >= n or text[pos] != "=":
            attrs[name] = ""  # valueless attribute such as <blockquote expandable>
            continue
        pos += 1
        while pos < n and text[pos].isspace():
            pos += 1
        if pos >= n:
            raise EntityParseError(f"Unclosed start tag at byte offset {byte_offset(text, begin)}")
        if text[pos] in "\"'":
            quote = text[pos]
            close = text.find(quote, pos + 1)
            if close == -1:
                raise EntityParseError(
                    f"Unclosed start tag at byte offset {byte_offset(text, begin)}"
                )
            raw_value = text[pos + 1 : close]
            pos = close + 1
        else:
            value_start = pos
            while pos < n and not text[pos].isspace() and text[pos] != ">":
                pos += 1
            raw_value = text[value_start:pos]
        attrs[name] = _unescape_attribute(raw_value, text, begin)


def _unescape_attribute(value: str, text: str, begin: int) -> str:
    if "&" not in value:
        return value
    out: list[str] = []
    i = 0
    while i < len(value):
        if value[i] == "&":
            decoded = _decode_reference(value, i)
            if decoded is None:
                raise EntityParseError(
                    "Unsupported HTML entity in an attribute of the tag at byte offset "
                    f'{byte_offset(text, begin)}; escape "&" as "&amp;"'
                )
            out.append(decoded[0])
            i += decoded[1]
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


def _open_tag(tag: str, attrs: dict[str, str], start: int, text: str, begin: int) -> _OpenTag:
    byte_pos = byte_offset(text, begin)
    if tag in SIMPLE_TAGS:
        kind = SIMPLE_TAGS[tag]
        language = None
        if tag == "code":
            css = attrs.get("class", "")
            if css.startswith("language-") and len(css) > len("language-"):
                language = css[len("language-") :]
        return _OpenTag(tag, kind, start, byte_pos, language=language)
    if tag == "a":
        return _OpenTag(tag, "text_link", start, byte_pos, url=attrs.get("href"))
    if tag == "span":
        if attrs.get("class") != "tg-spoiler":
            raise EntityParseError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {byte_pos}'
            )
        return _OpenTag(tag, "spoiler", start, byte_pos)
    if tag == "blockquote":
        kind = "expandable_blockquote" if "expandable" in attrs else "blockquote"
        return _OpenTag(tag, kind, start, byte_pos)
    # tg-emoji
    emoji_id = attrs.get("emoji-id", "")
    if not emoji_id.isdigit():
        raise EntityParseError(
            f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset {byte_pos}'
        )
    return _OpenTag(tag, "custom_emoji", start, byte_pos, custom_emoji_id=emoji_id)


def _close_tag(
    opened: _OpenTag, end: int, result: TextBuilder, entities: list[dict[str, Any]]
) -> None:
    length = end - opened.start
    if length <= 0:
        return
    if opened.kind == "text_link":
        url = opened.url
        if url is None:  # <a> without href links to its own text
            url = slice_utf16(result.text(), opened.start, length)
        if url.startswith("tg://user?id="):
            user_id = url.removeprefix("tg://user?id=")
            if user_id.isdigit():
                entities.append(
                    make_entity(
                        "text_mention",
                        opened.start,
                        length,
                        user={"id": int(user_id), "is_bot": False, "first_name": ""},
                    )
                )
                return
        entities.append(make_entity("text_link", opened.start, length, url=url))
        return
    if opened.kind == "pre":
        # <pre><code class="language-x">...</code></pre> becomes one pre entity with a language
        if entities:
            last = entities[-1]
            if (
                last["type"] == "code"
                and last["offset"] == opened.start
                and last["length"] == length
                and last.get("language")
            ):
                entities[-1] = make_entity("pre", opened.start, length, language=last["language"])
                return
        entities.append(make_entity("pre", opened.start, length))
        return
    if opened.kind == "code":
        entities.append(make_entity("code", opened.start, length, language=opened.language))
        return
    if opened.kind == "custom_emoji":
        entities.append(
            make_entity(
                "custom_emoji", opened.start, length, custom_emoji_id=opened.custom_emoji_id
            )
        )
        return
    entities.append(make_entity(opened.kind, opened.start, length))


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram HTML into plain text and Bot API entity dicts.

    Raises :class:`EntityParseError` with a Telegram-like message on invalid markup.
    """
    result = TextBuilder()
    entities: list[dict[str, Any]] = []
    stack: list[_OpenTag] = []
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        if ch == "&":
            decoded = _decode_reference(text, i)
            if decoded is None:
                raise EntityParseError(
                    f"Unsupported HTML entity at byte offset {byte_offset(text, i)}: "
                    'a literal "&" must be escaped as "&amp;"'
                )
            result.append(decoded[0])
            i += decoded[1]
            continue
        if ch != "<":
            run_end = i + 1
            while run_end < n and text[run_end] not in "<&":
                run_end += 1
            result.append(text[i:run_end])
            i = run_end
            continue
        begin = i
        i += 1
        if i >= n or text[i] != "/":
            name_end = i
            while name_end < n and not text[name_end].isspace() and text[name_end] != ">":
                name_end += 1
            if name_end >= n:
                raise EntityParseError(
                    f"Unclosed start tag at byte offset {byte_offset(text, begin)}"
                )
            tag = text[i:name_end].lower()
            if tag not in SUPPORTED_TAGS:
                raise EntityParseError(
                    f'Unsupported start tag "{tag}" at byte offset {byte_offset(text, begin)}'
                )
            attrs, i = _read_attributes(text, name_end, tag, begin)
            stack.append(_open_tag(tag, attrs, result.offset, text, begin))
            continue
        # end tag
        if not stack:
            raise EntityParseError(f"Unexpected end tag at byte offset {byte_offset(text, begin)}")
        i += 1
        name_end = i
        while name_end < n and not text[name_end].isspace() and text[name_end] != ">":
            name_end += 1
        end_name = text[i:name_end].lower()
        while name_end < n and text[name_end].isspace():
            name_end += 1
        if name_end >= n or text[name_end] != ">":
            raise EntityParseError(f"Unclosed end tag at byte offset {byte_offset(text, begin)}")
        opened = stack.pop()
        if end_name and end_name != opened.tag:
            raise EntityParseError(
                f"Unmatched end tag at byte offset {byte_offset(text, begin)}, "
                f'expected "</{opened.tag}>", found "</{end_name}>"'
            )
        _close_tag(opened, result.offset, result, entities)
        i = name_end + 1
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].tag}"')
    return result.text(), sort_entities(entities)
