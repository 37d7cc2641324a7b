"""Unit tests of the formatting parsers (HTML, MarkdownV2, legacy Markdown) and helpers."""

from __future__ import annotations

import pytest

from bot.local_api.entities import EntityParseError, utf16_len
from bot.local_api.errors import ApiError
from bot.local_api.formatting import format_text
from bot.local_api.html_entities import parse_html
from bot.local_api.keyboards import validate_reply_markup
from bot.local_api.markdown import parse_markdown, parse_markdown_v2
from bot.local_api.params import decode_field


def spans(entities: list[dict]) -> list[tuple[str, int, int]]:
    return [(e["type"], e["offset"], e["length"]) for e in entities]


def test_utf16_length_counts_surrogate_pairs() -> None:
    assert utf16_len("abc") == 3
    assert utf16_len("😀") == 2
    assert utf16_len("é💞x") == 4


def test_html_offsets_are_utf16() -> None:
    text, entities = parse_html("😀 <b>hi</b> <i>💞</i>")
    assert text == "😀 hi 💞"
    assert spans(entities) == [("bold", 3, 2), ("italic", 6, 2)]


def test_html_all_supported_tags() -> None:
    source = (
        "<b>b</b><strong>s</strong><i>i</i><em>e</em><u>u</u><ins>n</ins><s>s</s>"
        '<strike>k</strike><del>d</del><span class="tg-spoiler">p</span>'
        "<tg-spoiler>t</tg-spoiler><code>c</code><pre>p</pre><blockquote>q</blockquote>"
        "<blockquote expandable>x</blockquote><a href='https://a.b'>l</a>"
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji><a href="tg://user?id=7">m</a>'
    )
    text, entities = parse_html(source)
    assert text == "bsieunskdptcpqxl👍m"
    assert [e["type"] for e in entities] == [
        "bold", "bold", "italic", "italic", "underline", "underline", "strikethrough",
        "strikethrough", "strikethrough", "spoiler", "spoiler", "code", "pre", "blockquote",
        "expandable_blockquote", "text_link", "custom_emoji", "text_mention",
    ]  # fmt: skip
    assert entities[-2]["custom_emoji_id"] == "5368324170671202286"
    assert entities[-1]["user"]["id"] == 7


def test_html_entities_and_case_insensitive_tags() -> None:
    text, entities = parse_html("<B>&lt;tag&gt; &amp; &quot;q&quot; &#39; &#x27;</B>")
    assert text == "<tag> & \"q\" ' '"
    assert spans(entities) == [("bold", 0, len(text))]
    assert parse_html("a > b") == ("a > b", [])  # a bare '>' is fine


def test_html_empty_entities_are_dropped_and_closing_name_optional() -> None:
    assert parse_html("<b></b>x") == ("x", [])
    assert spans(parse_html("<b>x</>")[1]) == [("bold", 0, 1)]


@pytest.mark.parametrize(
    "source",
    ["<b>x", "x &nbsp; y", "&#xD800;", "&#;", "a & b", "<blink>x</blink>", "<b>x</b></b>", "<a"],
)
def test_html_errors(source: str) -> None:
    with pytest.raises(EntityParseError):
        parse_html(source)


def test_html_error_offsets_are_bytes() -> None:
    with pytest.raises(EntityParseError, match="byte offset 5"):
        parse_html("éé <x>")
    with pytest.raises(EntityParseError, match='Tag "tg-emoji" must have attribute'):
        parse_html("<tg-emoji>x</tg-emoji>")


def test_markdown_v2_entities() -> None:
    text, entities = parse_markdown_v2(
        "*b* _i_ __u__ ~s~ ||p|| `c` [l](https://x.y/a\\)b) ```python\ncode\n```"
    )
    assert text == "b i u s p c l code\n"
    assert spans(entities) == [
        ("bold", 0, 1),
        ("italic", 2, 1),
        ("underline", 4, 1),
        ("strikethrough", 6, 1),
        ("spoiler", 8, 1),
        ("code", 10, 1),
        ("text_link", 12, 1),
        ("pre", 14, 5),
    ]
    assert entities[6]["url"] == "https://x.y/a)b"
    assert entities[7]["language"] == "python"


def test_markdown_v2_escapes_and_code_contents() -> None:
    assert parse_markdown_v2(r"1\. a\-b \(c\) \\") == ("1. a-b (c) \\", [])
    # Inside code only ` and \ are special.
    assert parse_markdown_v2("`a.b-c!`")[0] == "a.b-c!"


def test_markdown_v2_blockquote() -> None:
    text, entities = parse_markdown_v2(">quoted\n>more\nplain")
    assert text == "quoted\nmore\nplain"
    assert spans(entities) == [("blockquote", 0, 11)]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("Hi!", "Character '!' is reserved"),
        ("a-b", "Character '-' is reserved"),
        ("*open", "Can't find end of Bold entity at byte offset 0"),
        ("ü _x", "Can't find end of Italic entity at byte offset 3"),
        ("[x](http://a", "Can't find end of a URL"),
        ("*a _b* c_", "Can't find end of"),
    ],
)
def test_markdown_v2_errors(source: str, message: str) -> None:
    with pytest.raises(EntityParseError, match=message.replace("(", r"\(")):
        parse_markdown_v2(source)


def test_legacy_markdown() -> None:
    text, entities = parse_markdown("*b* _i_ `c` [l](https://x.y) 1.5-2!")
    assert text == "b i c l 1.5-2!"
    assert spans(entities) == [
        ("bold", 0, 1),
        ("italic", 2, 1),
        ("code", 4, 1),
        ("text_link", 6, 1),
    ]
    with pytest.raises(EntityParseError, match="Can't find end of the entity starting at byte"):
        parse_markdown("*open")


def test_format_text_rules() -> None:
    formatted = format_text("<b>x</b>", "html", None)
    assert (formatted.text, formatted.parse_mode) == ("x", "HTML")
    explicit = format_text("hello", None, [{"type": "bold", "offset": 0, "length": 5}])
    assert explicit.entities == [{"type": "bold", "offset": 0, "length": 5}]
    assert format_text("", None, None, caption=True).text == ""
    with pytest.raises(ApiError, match="unsupported parse_mode"):
        format_text("x", "BBCode", None)
    with pytest.raises(ApiError, match="can't parse entities JSON object"):
        format_text("x", None, [{"type": "nope", "offset": 0, "length": 1}])
    with pytest.raises(ApiError, match="message text is empty"):
        format_text(None, None, None)


def test_reply_markup_validation() -> None:
    assert validate_reply_markup(None) is None
    assert validate_reply_markup('{"remove_keyboard": true}') == {"remove_keyboard": True}
    with pytest.raises(ApiError, match="BUTTON_DATA_INVALID"):
        validate_reply_markup({"inline_keyboard": [[{"text": "x", "callback_data": ""}]]})
    with pytest.raises(ApiError, match="BUTTON_TEXT_EMPTY"):
        validate_reply_markup({"inline_keyboard": [[{"text": " ", "callback_data": "x"}]]})
    too_many = {"inline_keyboard": [[{"text": "x", "callback_data": "x"}] * 101]}
    with pytest.raises(ApiError, match="too many"):
        validate_reply_markup(too_many)


def test_param_decoding() -> None:
    assert decode_field("text", "123") == "123"
    assert decode_field("caption", "true") == "true"
    assert decode_field("chat_id", "-100") == -100
    assert decode_field("chat_id", "@channel") == "@channel"
    assert decode_field("timeout", "10.0") == 10
    assert decode_field("show_alert", "true") is True
    assert decode_field("show_alert", "False") is False
    assert decode_field("reply_markup", '{"a": 1}') == {"a": 1}
    assert decode_field("allowed_updates", ["message"]) == ["message"]
    with pytest.raises(ApiError, match="must be of type Integer"):
        decode_field("message_id", "abc")
    with pytest.raises(ApiError, match="must be of type Boolean"):
        decode_field("show_alert", "maybe")
