"""The playground's server without a browser: event stream, actions, clock, files, guards."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.local_api.files import TINY_PNG
from bot.playground import OffsetClock, Playground
from bot.playground.session import DEFAULTS, PlaygroundError, persona_from
from tests.playground.conftest import pair_without_browser, wait_bot_text


async def sse_events(response: aiohttp.ClientResponse) -> AsyncIterator[dict[str, Any]]:
    async for line in response.content:
        if line.startswith(b"data: "):
            yield json.loads(line[len(b"data: ") :])


async def next_matching(events: AsyncIterator[dict[str, Any]], **wanted: Any) -> dict[str, Any]:
    async for event in events:
        if all(event.get(key) == value for key, value in wanted.items()):
            return event
    raise AssertionError("the event stream ended")


async def test_event_stream_shows_the_bot_answering_start(
    http: aiohttp.ClientSession, playground: Playground
) -> None:
    async with http.get("/api/events", timeout=aiohttp.ClientTimeout(total=15)) as response:
        assert response.headers["Content-Type"] == "text/event-stream"
        events = sse_events(response)
        snapshot = await anext(events)
        assert snapshot["type"] == "snapshot"
        assert snapshot["session"] is None
        assert snapshot["bot"]["username"] == "CouplesRitualsBot"
        assert snapshot["defaults"]["b"] == DEFAULTS["b"].to_json()

        started = await http.post("/api/session", json={"a": {"name": "Ann"}, "b": {}})
        assert started.status == 200
        session = (await next_matching(events, type="session"))["session"]
        ann = session["people"]["a"]
        assert (ann["name"], ann["language"], ann["device_zone"]) == ("Ann", "en", "Europe/Berlin")
        assert session["people"]["b"]["name"] == "Sam"

        typed = (await next_matching(events, type="message"))["message"]
        assert (typed["chat_id"], typed["from_bot"]) == (ann["user_id"], False)
        assert "/start" in typed["html"]
        while True:
            message = (await next_matching(events, type="message"))["message"]
            if message["from_bot"] and message["chat_id"] == ann["user_id"]:
                break
        assert message["html"].startswith("Hi Ann!")
        assert message["buttons"] == [[{"text": "💞 Pair with my partner", "kind": "callback"}]]

        # Tapping the button: the invite arrives on the same stream, with a deep link.
        pressed = await http.post(
            "/api/press", json={"who": "a", "message_id": message["id"], "row": 0, "col": 0}
        )
        assert pressed.status == 200
        answered = await next_matching(events, type="answered", chat_id=ann["user_id"])
        assert answered["id"] == message["id"]
        while True:
            invite = (await next_matching(events, type="message"))["message"]
            if "t.me/" in invite["html"]:
                break
        assert 'href="https://t.me/CouplesRitualsBot?start=' in invite["html"]

    state = await (await http.get("/api/state")).json()
    assert [m["from_bot"] for m in state["messages"]["a"][:2]] == [False, False]
    assert state["people"]["a"]["timezone"] == "Europe/Berlin"
    assert any(c["command"] == "checkin" for c in state["commands"]["a"])


async def test_clock_endpoint_moves_time_and_skips_to_rituals(
    http: aiohttp.ClientSession, playground: Playground
) -> None:
    await http.post("/api/session", json={})
    refused = await http.post("/api/clock", json={"action": "next"})
    assert refused.status == 409
    assert "paired" in (await refused.json())["error"]

    before = playground.clock.now()
    moved = await http.post("/api/clock", json={"action": "advance", "hours": 24})
    assert moved.status == 200
    clock = (await moved.json())["clock"]
    assert clock["now_ms"] >= (before + timedelta(days=1)).timestamp() * 1000
    assert playground.clock.offset >= timedelta(days=1)

    await wait_bot_text(playground, "b", "America/New_York")
    await pair_without_browser(playground)
    upcoming = (await (await http.get("/api/state")).json())["clock"]["next"]
    assert upcoming is not None and upcoming["role"] in ("a", "b")
    who = upcoming["role"]
    before_skip = len(playground.participant(who).user.messages)
    skipped = await (await http.post("/api/clock", json={"action": "next"})).json()
    assert skipped["ritual"] == upcoming["ritual"] and skipped["role"] == who
    assert skipped["clock"]["now_ms"] >= upcoming["at_ms"]
    assert skipped["sent"] >= 1
    assert len(playground.participant(who).user.messages) > before_skip  # the prompt

    for bad in ({"action": "back"}, {"action": "advance", "hours": -1}, {"hours": "x"}):
        assert (await http.post("/api/clock", json=bad)).status == 400


async def test_actions_refuse_what_a_person_cannot_do(
    http: aiohttp.ClientSession, playground: Playground
) -> None:
    early = await http.post("/api/send", json={"who": "a", "text": "hi"})
    assert early.status == 409
    await http.post("/api/session", json={})
    assert (await http.post("/api/send", json={"who": "c", "text": "hi"})).status == 400
    assert (await http.post("/api/send", json={"who": "a", "text": "  "})).status == 400
    gone = await http.post("/api/press", json={"who": "a", "message_id": 999, "row": 0, "col": 0})
    assert gone.status == 404
    bad = await http.post("/api/press", json={"who": "a", "message_id": "1", "row": 0, "col": 0})
    assert bad.status == 400
    form = await http.post("/api/send", data={"who": "a", "text": "hi"})
    assert form.status == 415  # another site's form cannot post here
    rebound = await http.get("/api/state", headers={"Host": "evil.example:8080"})
    assert rebound.status == 403
    sent = await http.post("/api/send", json={"who": "a", "text": "hello <b>there</b>"})
    assert sent.status == 200
    history = (await (await http.get("/api/state")).json())["messages"]["a"]
    assert any(m["html"] == "hello &lt;b&gt;there&lt;/b&gt;" for m in history)


async def test_files_are_served_from_the_local_api(
    http: aiohttp.ClientSession, playground: Playground
) -> None:
    stored = playground.api.state.files.add("photo", TINY_PNG)
    response = await http.get(f"/files/{stored.file_path}")
    assert response.status == 200
    assert await response.read() == TINY_PNG
    document = playground.api.state.files.add("document", b'{"a": 1}', file_name="export.json")
    response = await http.get(f"/files/{document.file_path}")
    assert response.headers["Content-Type"].startswith("application/json")
    assert 'filename="export.json"' in response.headers["Content-Disposition"]
    assert (await http.get("/files/photos/nope.jpg")).status == 404


async def test_the_page_and_its_assets_are_served(http: aiohttp.ClientSession) -> None:
    page = await http.get("/")
    assert page.status == 200
    html = await page.text()
    assert "/static/app.js" in html and "/static/style.css" in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)  # no CDN, no network
    for asset in ("app.js", "style.css"):
        response = await http.get(f"/static/{asset}")
        assert response.status == 200
        assert "url(http" not in await response.text()


async def test_default_database_is_a_throwaway_temp_dir() -> None:
    playground = Playground(poll_timeout=1)
    await playground.start("127.0.0.1", 0)
    try:
        assert playground.db is not None
        path = Path(playground.db.url.removeprefix("sqlite+aiosqlite:///"))
        assert path.exists() and "couples-playground-" in str(path)  # noqa: ASYNC240
        assert playground.url.startswith("http://127.0.0.1:")
    finally:
        await playground.stop()
    assert not path.parent.exists()


def test_offset_clock_only_moves_forward() -> None:
    clock = OffsetClock()
    start = clock.now()
    assert start.tzinfo is not None
    clock.advance(timedelta(hours=2))
    assert clock.now() - start >= timedelta(hours=2)
    target = datetime.now(UTC) + timedelta(days=3)
    assert clock.jump_to(target) >= target
    assert clock.jump_to(target - timedelta(days=1)) >= target  # the past: no change
    with pytest.raises(ValueError):
        clock.advance(timedelta(seconds=-1))


def test_personas_from_the_form() -> None:
    assert persona_from(None, DEFAULTS["a"]) == DEFAULTS["a"]
    custom = persona_from(
        {"name": "  Jo   Ann ", "language": "de", "timezone": "Lisbon"}, DEFAULTS["a"]
    )
    assert (custom.name, custom.language, custom.timezone) == ("Jo Ann", "de", "Lisbon")
    with pytest.raises(PlaygroundError):
        persona_from({"language": "xx"}, DEFAULTS["a"])
