"""Turn ``text`` + ``parse_mode``/``entities`` into what the recipient sees."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.local_api.entities import EntityParseError, utf16_len
from bot.local_api.errors import ApiError
from bot.local_api.html_entities import parse_html
from bot.local_api.markdown import parse_markdown, parse_markdown_v2

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024

ENTITY_TYPES = frozenset(
    {
        "mention",
        "hashtag",
        "cashtag",
        "bot_command",
        "url",
        "email",
        "phone_number",
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "spoiler",
        "blockquote",
        "expandable_blockquote",
        "code",
        "pre",
        "text_link",
        "text_mention",
        "custom_emoji",
        "date_time",
    }
)


@dataclass(frozen=True)
class FormattedText:
    source: str  # the text exactly as the bot sent it
    text: str  # what the user sees
    entities: list[dict[str, Any]]
    parse_mode: str | None  # normalised: "HTML", "MarkdownV2", "Markdown" or None


def normalise_parse_mode(parse_mode: Any) -> str | None:
    if parse_mode is None or parse_mode == "":
        return None
    if not isinstance(parse_mode, str):
        raise ApiError.bad_request("unsupported parse_mode")
    lowered = parse_mode.lower()
    if lowered == "html":
        return "HTML"
    if lowered == "markdownv2":
        return "MarkdownV2"
    if lowered == "markdown":
        return "Markdown"
    raise ApiError.bad_request(f"unsupported parse_mode {parse_mode!r}")


def _validate_entities(raw: Any, text: str) -> list[dict[str, Any]]:
    if not isinstance(raw, list):
        raise ApiError.bad_request("can't parse entities JSON object")
    total = utf16_len(text)
    entities: list[dict[str, Any]] = []
    for item in raw:
        if (
            not isinstance(item, dict)
            or item.get("type") not in ENTITY_TYPES
            or not isinstance(item.get("offset"), int)
            or not isinstance(item.get("length"), int)
        ):
            raise ApiError.bad_request("can't parse entities JSON object")
        if item["offset"] < 0 or item["length"] <= 0 or item["offset"] + item["length"] > total:
            continue  # Telegram silently drops out-of-range entities
        if item["type"] == "text_link" and not item.get("url"):
            raise ApiError.bad_request("can't parse entities: text_link entity requires a URL")
        entities.append(dict(item))
    return entities


def format_text(
    text: Any,
    parse_mode: Any,
    entities: Any,
    *,
    caption: bool = False,
) -> FormattedText:
    """Parse and validate message text (or a caption when ``caption`` is true).

    Raises :class:`ApiError` with Telegram's descriptions for empty, too long or unparsable
    text. An empty caption is allowed (it simply means "no caption").
    """
    if text is None:
        text = ""
    if not isinstance(text, str):
        text = str(text)
    mode = normalise_parse_mode(parse_mode)
    if entities is not None:
        plain, parsed = text, _validate_entities(entities, text)
    else:
        try:
            if mode == "HTML":
                plain, parsed = parse_html(text)
            elif mode == "MarkdownV2":
                plain, parsed = parse_markdown_v2(text)
            elif mode == "Markdown":
                plain, parsed = parse_markdown(text)
            else:
                plain, parsed = text, []
        except EntityParseError as exc:
            raise ApiError.bad_request(f"can't parse entities: {exc}") from None
    if not caption and not plain.strip():
        raise ApiError.bad_request("message text is empty")
    limit = MAX_CAPTION_LENGTH if caption else MAX_TEXT_LENGTH
    if utf16_len(plain) > limit:
        raise ApiError.bad_request(
            "message caption is too long" if caption else "message is too long"
        )
    return FormattedText(source=text, text=plain, entities=parsed, parse_mode=mode)
