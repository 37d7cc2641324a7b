"""HTTP-level behaviour: routing, parameter decoding, error shapes, call log, socket writes."""

from __future__ import annotations

import asyncio
import json
from asyncio import selector_events
from typing import Any

import aiohttp
import pytest
from telegram import Bot
from telegram.error import BadRequest, InvalidToken

from bot.local_api import LocalBotApi

pytestmark = pytest.mark.asyncio


async def test_get_me_through_ptb(api: LocalBotApi, bot: Bot) -> None:
    me = await bot.get_me()
    assert me.id == 123456
    assert me.is_bot is True
    assert me.username == "couples_test_bot"
    assert me.first_name == "Couples"
    assert bot.username == "couples_test_bot"
    assert [call.method for call in api.calls_to("getMe")] == ["getMe", "getMe"]


async def test_custom_identity_and_token() -> None:
    async with LocalBotApi("42:OTHER", bot_id=42, bot_username="other_bot") as api:
        assert api.base_url.startswith("http://127.0.0.1:")
        assert api.base_url.endswith("/bot")
        assert api.base_file_url == api.base_url.replace("/bot", "/file/bot")
        async with Bot(api.token, base_url=api.base_url) as bot:
            assert bot.id == 42
            assert bot.username == "other_bot"


async def test_json_body_and_get_query(
    api: LocalBotApi, http: aiohttp.ClientSession, method_url: str
) -> None:
    user = api.user(1001, "Ann")
    await user.send("hi")
    payload = {
        "chat_id": 1001,
        "text": "<i>json</i>",
        "parse_mode": "HTML",
        "reply_markup": {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]},
    }
    async with http.post(f"{method_url}/sendMessage", json=payload) as response:
        body = await response.json()
    assert response.status == 200
    assert body["ok"] is True
    assert body["result"]["text"] == "json"
    assert body["result"]["entities"] == [{"type": "italic", "offset": 0, "length": 4}]
    assert user.messages[-1].button_data == {"A": "a"}

    async with http.get(f"{method_url}/sendMessage?chat_id=1001&text=from+query") as response:
        body = await response.json()
    assert body["result"]["text"] == "from query"


async def test_free_text_is_never_json_decoded(
    api: LocalBotApi, http: aiohttp.ClientSession, method_url: str
) -> None:
    api.user(1001, "Ann")
    await api.user(1001, "Ann").send("hi")
    for text in ("123", "true", "null", '{"a": 1}', "[1]"):
        form = {"chat_id": "1001", "text": text}
        async with http.post(f"{method_url}/sendMessage", data=form) as response:
            body = await response.json()
        assert body["result"]["text"] == text
        assert api.calls[-1].params["text"] == text
        assert api.calls[-1].params["chat_id"] == 1001


async def test_form_values_are_decoded_by_type(
    api: LocalBotApi, http: aiohttp.ClientSession, method_url: str
) -> None:
    await api.user(1001, "Ann").send("hi")
    form = {
        "chat_id": "1001",
        "text": "x",
        "disable_notification": "true",
        "reply_markup": json.dumps({"inline_keyboard": [[{"text": "B", "url": "https://x.y"}]]}),
    }
    async with http.post(f"{method_url}/sendMessage", data=form) as response:
        assert response.status == 200
    params = api.calls_to("sendMessage")[-1].params
    assert params["disable_notification"] is True
    assert params["reply_markup"]["inline_keyboard"][0][0]["url"] == "https://x.y"


async def test_error_shapes(api: LocalBotApi, http: aiohttp.ClientSession, method_url: str) -> None:
    async with http.post(f"{method_url}/noSuchMethod") as response:
        assert response.status == 404
        assert await response.json() == {
            "ok": False,
            "error_code": 404,
            "description": "Not Found",
        }
    async with http.post(f"{api.base_url}999:WRONG/getMe") as response:
        assert response.status == 401
        assert (await response.json())["description"] == "Unauthorized"
    async with http.post(
        f"{method_url}/sendMessage", data={"chat_id": "@someone", "text": "x"}
    ) as response:
        assert response.status == 400
        assert (await response.json())["description"] == "Bad Request: chat not found"
    async with http.post(f"{method_url}/sendMessage", data={"chat_id": "77", "text": "x"}) as r:
        assert (await r.json())["description"] == "Bad Request: chat not found"
    async with http.post(
        f"{method_url}/sendMessage",
        data={"chat_id": "1", "text": "x", "reply_markup": "{not json"},
    ) as response:
        assert response.status == 400
    assert [call.status for call in api.calls] == [404, 401, 400, 400, 400]
    assert api.calls[0].error == "Not Found"


async def test_ptb_maps_wrong_token_to_invalid_token(api: LocalBotApi) -> None:
    bot = Bot("999:WRONG", base_url=api.base_url)
    with pytest.raises(InvalidToken):
        await bot.initialize()


async def test_method_names_are_case_insensitive(
    api: LocalBotApi, http: aiohttp.ClientSession, method_url: str
) -> None:
    async with http.get(f"{method_url}/getme") as response:
        assert (await response.json())["result"]["username"] == "couples_test_bot"


async def test_calls_log_records_decoded_params(api: LocalBotApi, bot: Bot) -> None:
    user = api.user(1001, "Ann")
    await user.send("hi")
    await bot.send_message(1001, "hello", disable_notification=True)
    with pytest.raises(BadRequest):
        await bot.send_message(1001, "")
    sends = api.calls_to("sendmessage")
    assert len(sends) == 2
    assert sends[0].params == {"chat_id": 1001, "text": "hello", "disable_notification": True}
    assert sends[0].ok and sends[0].result["text"] == "hello"
    assert not sends[1].ok and sends[1].error == "Bad Request: message text is empty"
    assert sends[0].at <= sends[1].at


@pytest.fixture
def server_writes(api: LocalBotApi, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The sizes of the socket writes the server makes from now on, in order."""
    writes: list[int] = []
    original = selector_events._SelectorSocketTransport.write

    def counting_write(self: Any, data: Any) -> None:
        if self.get_extra_info("sockname")[1] == api.port:
            writes.append(len(data))
        original(self, data)

    monkeypatch.setattr(selector_events._SelectorSocketTransport, "write", counting_write)
    return writes


async def test_each_response_is_a_single_socket_write(
    api: LocalBotApi, server_writes: list[int]
) -> None:
    """Headers and body must leave in one send() to avoid delayed-ACK stalls."""
    await api.user(1001, "Ann").send("hi")
    reader, writer = await asyncio.open_connection(api.host, api.port)
    try:
        for i in range(5):
            body = f"chat_id=1001&text=msg{i}".encode()
            writer.write(
                f"POST /bot{api.token}/sendMessage HTTP/1.1\r\nHost: x\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\n"
                f"Content-Length: {len(body)}\r\n\r\n".encode()
                + body
            )
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(head.split(b"Content-Length: ")[1].split(b"\r\n")[0])
            payload = json.loads(await reader.readexactly(length))
            assert payload["result"]["text"] == f"msg{i}"
    finally:
        writer.close()
        await writer.wait_closed()
    assert len(server_writes) == 5, server_writes


async def test_sequential_ptb_calls_are_each_answered_in_one_write(
    api: LocalBotApi, bot: Bot, server_writes: list[int]
) -> None:
    """100 sequential PTB calls on keep-alive connections: each answered in order, each in one
    socket write (the cause of delayed-ACK stalls). How fast they are is measured by
    bench/local_api_roundtrip.py, not asserted here."""
    ann = api.user(1001, "Ann")
    await ann.send("hi")
    await bot.send_message(1001, "warm-up")
    writes_before = len(server_writes)
    for i in range(100):
        sent = await bot.send_message(1001, f"n{i}")
        assert sent.text == f"n{i}"
    assert len(server_writes) - writes_before == 100, server_writes[writes_before:]
    assert [m.text for m in ann.messages] == ["warm-up", *(f"n{i}" for i in range(100))]
