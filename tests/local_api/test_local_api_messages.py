"""Sending, editing, deleting and validating messages through the real PTB Bot."""

from __future__ import annotations

import html

import aiohttp
import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    LinkPreviewOptions,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    ReplyParameters,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden

from bot.local_api import LocalBotApi, SimulatedUser

pytestmark = pytest.mark.asyncio


def keyboard(*rows: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(text, callback_data=data) for text, data in row] for row in rows]
    )


@pytest.fixture
async def ann(api: LocalBotApi) -> SimulatedUser:
    user = api.user(1001, "Ann")
    await user.send("/start")
    return user


async def test_inline_keyboard_press_produces_callback_query(
    api: LocalBotApi, bot: Bot, ann: SimulatedUser
) -> None:
    sent = await bot.send_message(
        1001, "Pick one", reply_markup=keyboard([("Tea", "drink:tea"), ("Coffee", "drink:coffee")])
    )
    assert sent.reply_markup is not None
    assert sent.reply_markup.inline_keyboard[0][1].callback_data == "drink:coffee"
    assert sent.from_user is not None and sent.from_user.is_bot
    message = await ann.next_message()
    assert message.message_id == sent.message_id
    assert message.buttons == [["Tea", "Coffee"]]

    offset = (await bot.get_updates())[-1].update_id + 1
    query_id = await ann.press("Coffee")
    (update,) = await bot.get_updates(offset=offset)
    query = update.callback_query
    assert query is not None
    assert query.id == query_id
    assert query.data == "drink:coffee"
    assert query.from_user.id == 1001 and query.from_user.first_name == "Ann"
    assert query.message is not None and query.message.message_id == sent.message_id
    assert query.message.text == "Pick one"
    assert query.chat_instance

    assert await bot.answer_callback_query(query_id, text="Enjoy ☕", show_alert=True)
    answer = await ann.callback_answer(query_id)
    assert answer["text"] == "Enjoy ☕" and answer["show_alert"] is True
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(query_id)
    with pytest.raises(BadRequest, match=r"(?i)query ID is invalid"):
        await bot.answer_callback_query("nope")


async def test_press_unknown_button_lists_available(
    api: LocalBotApi, bot: Bot, ann: SimulatedUser
) -> None:
    await bot.send_message(1001, "Q", reply_markup=keyboard([("Yes", "y"), ("No", "n")]))
    with pytest.raises(AssertionError, match=r"(?s)'Maybe'.*Yes.*No"):
        await ann.press("Maybe")
    message = await ann.next_message()
    with pytest.raises(AssertionError, match=r"available: \['Yes', 'No'\]"):
        await ann.press("Maybe", message)


async def test_press_uses_newest_message_with_that_button(
    api: LocalBotApi, bot: Bot, ann: SimulatedUser
) -> None:
    await bot.send_message(1001, "first", reply_markup=keyboard([("Go", "1")]))
    await bot.send_message(1001, "second", reply_markup=keyboard([("Go", "2")]))
    await bot.send_message(1001, "no buttons")
    await ann.press("Go")
    assert api.pending_updates[-1]["callback_query"]["data"] == "2"
    first = ann.messages[0]
    await ann.press("Go", first)
    assert api.pending_updates[-1]["callback_query"]["data"] == "1"
    await ann.press_data("forged:999", first)
    assert api.pending_updates[-1]["callback_query"]["data"] == "forged:999"


async def test_edit_text_and_markup(api: LocalBotApi, bot: Bot, ann: SimulatedUser) -> None:
    sent = await bot.send_message(1001, "v1", reply_markup=keyboard([("A", "a")]))
    message = await ann.next_message()

    edited = await bot.edit_message_text(
        "<b>v2</b>", 1001, sent.message_id, parse_mode="HTML", reply_markup=keyboard([("B", "b")])
    )
    assert not isinstance(edited, bool) and edited.text == "v2" and edited.edit_date is not None
    assert message.entities_text == "v2" and message.text == "<b>v2</b>"
    assert message.buttons == [["B"]] and message.edits == 1

    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text(
            "<b>v2</b>",
            1001,
            sent.message_id,
            parse_mode="HTML",
            reply_markup=keyboard([("B", "b")]),
        )
    # Same text but different formatting is a modification.
    await bot.edit_message_text("v2", 1001, sent.message_id, reply_markup=keyboard([("B", "b")]))
    assert message.entities == [] and message.edits == 2

    await bot.edit_message_reply_markup(1001, sent.message_id, reply_markup=keyboard([("C", "c")]))
    assert message.button_data == {"C": "c"}
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_reply_markup(
            1001, sent.message_id, reply_markup=keyboard([("C", "c")])
        )
    await bot.edit_message_reply_markup(1001, sent.message_id)
    assert message.reply_markup is None and message.edits == 4
    assert ann.messages == [message]
    ann.assert_no_unread()  # edits are not new messages (every call above was awaited)


async def test_edit_errors(api: LocalBotApi, bot: Bot, ann: SimulatedUser) -> None:
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", 1001, 999)
    user_message_id = 1  # Ann's /start
    with pytest.raises(BadRequest, match=r"(?i)message can't be edited"):
        await bot.edit_message_text("x", 1001, user_message_id)
    photo = await bot.send_photo(1001, b"img")
    with pytest.raises(BadRequest, match=r"(?i)there is no text in the message to edit"):
        await bot.edit_message_text("x", 1001, photo.message_id)
    text = await bot.send_message(1001, "t")
    with pytest.raises(BadRequest, match=r"(?i)there is no caption in the message to edit"):
        await bot.edit_message_caption(1001, text.message_id, caption="c")
    edited = await bot.edit_message_caption(
        1001, photo.message_id, caption="<i>new</i>", parse_mode="HTML"
    )
    assert not isinstance(edited, bool) and edited.caption == "new"
    with pytest.raises(BadRequest, match=r"(?i)inline keyboard expected"):
        await bot.edit_message_text(
            "y", 1001, text.message_id, reply_markup=ReplyKeyboardMarkup([["a"]])
        )


async def test_delete_message(api: LocalBotApi, bot: Bot, ann: SimulatedUser) -> None:
    keep = await bot.send_message(1001, "keep")
    gone = await bot.send_message(1001, "gone")
    assert await bot.delete_message(1001, gone.message_id)
    assert [m.text for m in ann.messages] == ["keep"]
    assert ann.unread[-1].deleted is True
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await bot.delete_message(1001, gone.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", 1001, gone.message_id)
    assert await bot.delete_message(1001, 1)  # bots may delete users' messages in private chats
    assert keep.message_id in [m.message_id for m in ann.messages]


async def test_html_escaped_user_text_is_accepted(
    api: LocalBotApi, bot: Bot, ann: SimulatedUser
) -> None:
    name = "Tom & \"Jerry\" <3 'quoted'"
    sent = await bot.send_message(
        1001, f"<b>{html.escape(name)}</b> 👋 &#128150; &#x1F496;", parse_mode=ParseMode.HTML
    )
    assert sent.text == f"{name} 👋 💖 💖"
    message = await ann.next_message()
    assert message.entities_text == sent.text
    assert message.entities == [{"type": "bold", "offset": 0, "length": len(name)}]


@pytest.mark.parametrize(
    ("markup", "detail"),
    [
        ("<b>unclosed", 'Can\'t find end tag corresponding to start tag "b"'),
        ("a <br> b", 'Unsupported start tag "br" at byte offset 2'),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        (
            "Tom & Jerry",
            'Unsupported HTML entity at byte offset 4: a literal "&" must be escaped as "&amp;"',
        ),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        (
            '<span class="nope">x</span>',
            'Tag "span" must have class "tg-spoiler" at byte offset 0',
        ),
        ("ü <x", "Unclosed start tag at byte offset 3"),
    ],
)
async def test_invalid_html_is_rejected(
    api: LocalBotApi, bot: Bot, ann: SimulatedUser, markup: str, detail: str
) -> None:
    with pytest.raises(BadRequest) as caught:
        await bot.send_message(1001, markup, parse_mode=ParseMode.HTML)
    assert caught.value.message.lower() == f"can't parse entities: {detail}".lower()
    assert api.calls_to("sendMessage")[-1].error == f"Bad Request: can't parse entities: {detail}"
    assert ann.messages == []


async def test_rich_html_entities(api: LocalBotApi, bot: Bot, ann: SimulatedUser) -> None:
    text = (
        '<a href="https://example.com/?a=1&amp;b=2">link</a> <tg-spoiler>s</tg-spoiler> '
        '<pre><code class="language-python">x = 1</code></pre> <u><i>ui</i></u>'
    )
    sent = await bot.send_message(1001, text, parse_mode="HTML")
    assert sent.text == "link s x = 1 ui"
    kinds = [(e.type, e.offset, e.length) for e in sent.entities]
    assert kinds == [
        ("text_link", 0, 4),
        ("spoiler", 5, 1),
        ("pre", 7, 5),
        ("underline", 13, 2),
        ("italic", 13, 2),
    ]
    assert sent.entities[0].url == "https://example.com/?a=1&b=2"
    assert sent.entities[2].language == "python"


async def test_markdown_v2(api: LocalBotApi, bot: Bot, ann: SimulatedUser) -> None:
    sent = await bot.send_message(
        1001, r"*bold* and \. [link](https://t.me)", parse_mode="MarkdownV2"
    )
    assert sent.text == "bold and . link"
    assert [(e.type, e.offset, e.length) for e in sent.entities] == [
        ("bold", 0, 4),
        ("text_link", 11, 4),
    ]
    with pytest.raises(BadRequest, match=r"(?i)Character '.' is reserved"):
        await bot.send_message(1001, "Hello.", parse_mode="MarkdownV2")
    with pytest.raises(BadRequest, match=r"(?i)Can't find end of Bold entity at byte offset 0"):
        await bot.send_message(1001, r"*open", parse_mode="MarkdownV2")


async def test_length_limits(api: LocalBotApi, bot: Bot, ann: SimulatedUser) -> None:
    await bot.send_message(1001, "x" * 4096)
    # Tags do not count; entities are measured after parsing.
    await bot.send_message(1001, "<b>" + "x" * 4096 + "</b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(1001, "x" * 4097)
    # Astral characters count as two UTF-16 code units.
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(1001, "😀" * 2049)
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(1001, "   ")
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(1001, "<b></b>", parse_mode="HTML")
    await bot.send_photo(1001, b"img", caption="c" * 1024)
    with pytest.raises(BadRequest, match=r"(?i)message caption is too long"):
        await bot.send_photo(1001, b"img", caption="c" * 1025)


async def test_inline_keyboard_validation(api: LocalBotApi, bot: Bot, ann: SimulatedUser) -> None:
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(1001, "x", reply_markup=keyboard([("Long", "d" * 65)]))
    # 64 bytes is fine, but multi-byte characters count in bytes.
    await bot.send_message(1001, "x", reply_markup=keyboard([("Ok", "d" * 64)]))
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(1001, "x", reply_markup=keyboard([("Long", "é" * 33)]))
    with pytest.raises(BadRequest, match=r"(?i)Text buttons are unallowed"):
        await bot.send_message(
            1001, "x", reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("plain")]])
        )
    url_markup = InlineKeyboardMarkup([[InlineKeyboardButton("Site", url="https://example.com")]])
    await bot.send_message(1001, "x", reply_markup=url_markup)
    assert ann.messages[-1].button_urls == {"Site": "https://example.com"}
    with pytest.raises(AssertionError, match="not a callback button"):
        await ann.press("Site")


async def test_raw_keyboard_shapes_are_validated(
    api: LocalBotApi, ann: SimulatedUser, http: aiohttp.ClientSession, method_url: str
) -> None:
    for markup, description in [
        ({"inline_keyboard": [{"text": "x"}]}, "must be an Array of Arrays"),
        ({"inline_keyboard": [["x"]]}, "InlineKeyboardButton must be an Object"),
        ({"inline_keyboard": [[{"callback_data": "x"}]]}, 'Field "text" must be of type String'),
        (
            {"inline_keyboard": [[{"text": "x", "callback_data": "a", "url": "https://a"}]]},
            "exactly one of the optional fields must be used",
        ),
        ({"inline_keyboard": [[{"text": "x", "url": "javascript:alert(1)"}]]}, "is invalid"),
        ({"something": True}, "can't parse reply keyboard markup JSON object"),
    ]:
        payload = {"chat_id": 1001, "text": "x", "reply_markup": markup}
        async with http.post(f"{method_url}/sendMessage", json=payload) as response:
            body = await response.json()
        assert response.status == 400, markup
        assert description in body["description"], (markup, body)
    assert ann.messages == []


async def test_reply_keyboard_and_removal(api: LocalBotApi, bot: Bot, ann: SimulatedUser) -> None:
    sent = await bot.send_message(
        1001,
        "Choose",
        reply_markup=ReplyKeyboardMarkup([[KeyboardButton("Morning"), "Evening"]]),
    )
    assert sent.reply_markup is None  # Telegram only echoes inline keyboards
    message = await ann.next_message()
    assert message.buttons == [["Morning", "Evening"]]
    assert ann.reply_keyboard == [["Morning", "Evening"]]
    await bot.send_message(1001, "Done", reply_markup=ReplyKeyboardRemove())
    assert ann.reply_keyboard is None


async def test_replies_and_link_previews(api: LocalBotApi, bot: Bot, ann: SimulatedUser) -> None:
    sent = await bot.send_message(
        1001,
        "see https://example.com",
        reply_parameters=ReplyParameters(message_id=1),
        link_preview_options=LinkPreviewOptions(is_disabled=True),
    )
    assert sent.reply_to_message is not None
    assert sent.reply_to_message.text == "/start"
    assert sent.link_preview_options == LinkPreviewOptions(is_disabled=True)
    message = await ann.next_message()
    assert message.reply_to_message_id == 1
    with pytest.raises(BadRequest, match=r"(?i)message to be replied not found"):
        await bot.send_message(1001, "x", reply_parameters=ReplyParameters(message_id=999))
    await bot.send_message(
        1001,
        "x",
        reply_parameters=ReplyParameters(message_id=999, allow_sending_without_reply=True),
    )
    user_reply = await ann.send("answer", reply_to=message)
    assert user_reply["reply_to_message"]["message_id"] == message.message_id


async def test_cannot_initiate_conversation(api: LocalBotApi, bot: Bot) -> None:
    quiet = api.user(2002, "Quiet")
    with pytest.raises(Forbidden, match=r"(?i)bot can't initiate conversation with a user"):
        await bot.send_message(2002, "hello?")
    await quiet.send("hi")
    await bot.send_message(2002, "hello!")
    assert (await quiet.next_message()).text == "hello!"


async def test_chat_action_and_get_chat(api: LocalBotApi, bot: Bot, ann: SimulatedUser) -> None:
    assert await bot.send_chat_action(1001, "typing")
    with pytest.raises(BadRequest, match=r"(?i)wrong parameter action"):
        await bot.send_chat_action(1001, "dance")
    chat = await bot.get_chat(1001)
    assert chat.first_name == "Ann" and chat.type == "private"
