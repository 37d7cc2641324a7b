"""Uploads, file ids, getFile and downloads, and media sent by simulated users."""

from __future__ import annotations

import aiohttp
import pytest
from telegram import Bot
from telegram.error import BadRequest

from bot.local_api import LocalBotApi, SimulatedUser
from bot.local_api.files import TINY_PNG

pytestmark = pytest.mark.asyncio


@pytest.fixture
async def ann(api: LocalBotApi) -> SimulatedUser:
    user = api.user(1001, "Ann")
    await user.send("/start")
    return user


async def test_send_photo_bytes_round_trip(api: LocalBotApi, bot: Bot, ann: SimulatedUser) -> None:
    sent = await bot.send_photo(1001, TINY_PNG, caption="<b>Us</b> ❤", parse_mode="HTML")
    assert sent.caption == "Us ❤"
    assert sent.caption_entities[0].type == "bold"
    size = sent.photo[-1]
    assert (size.width, size.height) == (2, 2)
    assert size.file_size == len(TINY_PNG)
    message = await ann.next_message()
    assert message.photo == TINY_PNG
    assert message.media_kind == "photo"
    assert message.caption == "<b>Us</b> ❤" and message.entities_text == "Us ❤"

    telegram_file = await bot.get_file(size.file_id)
    assert telegram_file.file_path is not None
    assert telegram_file.file_path.startswith(api.base_file_url)
    assert bytes(await telegram_file.download_as_bytearray()) == TINY_PNG


async def test_send_document_with_name_and_reuse_by_file_id(
    api: LocalBotApi, bot: Bot, ann: SimulatedUser
) -> None:
    data = b"date,idea\n2026-03-02,picnic\n"
    sent = await bot.send_document(1001, data, filename="plans.csv", caption="plans")
    document = sent.document
    assert document is not None
    assert document.file_name == "plans.csv"
    assert document.mime_type == "text/csv"
    assert document.file_size == len(data)
    message = await ann.next_message()
    assert (message.document, message.document_name) == (data, "plans.csv")

    again = await bot.send_document(1001, document.file_id)
    assert again.document is not None and again.document.file_unique_id == document.file_unique_id
    assert (await ann.next_message()).document == data

    with pytest.raises(BadRequest, match=r"(?i)wrong file identifier"):
        await bot.send_document(1001, "no-such-file-id")
    with pytest.raises(BadRequest, match=r"(?i)invalid file_id"):
        await bot.get_file("no-such-file-id")


async def test_download_requires_token_and_existing_path(
    api: LocalBotApi, bot: Bot, ann: SimulatedUser, http: aiohttp.ClientSession
) -> None:
    sent = await bot.send_document(1001, b"secret", filename="a.txt")
    assert sent.document is not None
    stored = api.state.files.get(sent.document.file_id)
    assert stored is not None
    async with http.get(f"{api.base_file_url}{api.token}/{stored.file_path}") as response:
        assert response.status == 200 and await response.read() == b"secret"
    async with http.get(f"{api.base_file_url}1:WRONG/{stored.file_path}") as response:
        assert response.status == 401
    async with http.get(f"{api.base_file_url}{api.token}/documents/missing.txt") as response:
        assert response.status == 404


async def test_media_from_users_is_valid_and_downloadable(
    api: LocalBotApi, bot: Bot, ann: SimulatedUser
) -> None:
    await bot.get_updates(offset=-1)
    last = (await bot.get_updates())[0].update_id
    await ann.send_photo(caption="look")
    await ann.send_sticker("🐱")
    voice_json = await ann.send_voice(b"OggS-voice", duration=3)
    assert voice_json["voice"]["duration"] == 3
    await ann.send_document(b"notes", "notes.txt")
    photo_u, sticker_u, voice_u, doc_u = await bot.get_updates(offset=last + 1)

    assert photo_u.message is not None and photo_u.message.caption == "look"
    photo_file = await bot.get_file(photo_u.message.photo[-1].file_id)
    assert bytes(await photo_file.download_as_bytearray()) == TINY_PNG

    assert sticker_u.message is not None and sticker_u.message.sticker is not None
    assert sticker_u.message.sticker.emoji == "🐱"
    assert (sticker_u.message.sticker.width, sticker_u.message.sticker.height) == (512, 512)

    assert voice_u.message is not None and voice_u.message.voice is not None
    voice_file = await bot.get_file(voice_u.message.voice.file_id)
    assert bytes(await voice_file.download_as_bytearray()) == b"OggS-voice"

    assert doc_u.message is not None and doc_u.message.document is not None
    assert doc_u.message.document.file_name == "notes.txt"

    # The bot may send a user's photo back by file_id.
    echoed = await bot.send_photo(1001, photo_u.message.photo[-1].file_id)
    assert echoed.photo[-1].file_unique_id == photo_u.message.photo[-1].file_unique_id
    assert (await ann.next_message()).photo == TINY_PNG


async def test_empty_upload_and_other_media_kinds(
    api: LocalBotApi, bot: Bot, ann: SimulatedUser
) -> None:
    with pytest.raises(BadRequest, match=r"(?i)file must be non-empty"):
        await bot.send_document(1001, b"", filename="empty.txt")
    voice = await bot.send_voice(1001, b"OggS...", duration=2)
    assert voice.voice is not None
    assert ann.messages[-1].raw["voice"]["duration"] == 2
    sticker = await bot.send_sticker(1001, b"RIFF....WEBP")
    assert sticker.sticker is not None
    kinds = [m.media_kind for m in ann.messages]
    assert kinds == ["voice", "sticker"]
