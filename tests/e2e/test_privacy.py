"""Export, erase, forged buttons, floods, and what reaches the logs."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from telegram.ext import Application

from bot.clock import FakeClock
from bot.db import Database
from bot.local_api import LocalBotApi, SimulatedUser
from bot.logging_setup import install_redaction
from bot.models import Appreciation, Base, Request
from bot.ratelimit import SlidingWindow
from bot.runtime import runtime_of
from scheduler.jobs import housekeeping, tick
from tests.e2e.conftest import pair_up, quiet, settled
from tests.e2e.test_exchanges import check_in
from tests.e2e.test_logs import production_log_levels  # noqa: F401  (a fixture)

ZELDA_ID = 777_001
NAME = "Zelda-Q7xk"
MARKERS = {
    "answer": "marker-answer-4f1c",
    "need": "marker-need-9d2e",
    "prompted": "marker-prompted-appreciation-77aa",
    "direct": "marker-direct-appreciation-31bc",
    "request": "marker-request-58de",
    "draft": "marker-draft-0ab9",
    "counter": "marker-counter-proposal-e5f3",  # written on Jonas's request: his row
    "day": "marker-day-6c0d",  # the name of a day she keeps in /days
}
JONAS_NEED = "Jonas's own need stays"
JONAS_REQUEST = "Jonas's own request stays"


async def everything_zelda_writes(api: LocalBotApi, clock: FakeClock) -> tuple[SimulatedUser, ...]:
    clock.set(datetime(2026, 6, 8, 8, 0, tzinfo=UTC))
    zelda = api.user(ZELDA_ID, NAME)
    jonas = api.user(1002, "Jonas", language_code="de")
    await pair_up(api, zelda, jonas)
    await zelda.send("/timezone Berlin")
    await zelda.next_message()
    # A too-long draft is kept until shortened: it must be erased too.
    await zelda.send("/checkin")
    await zelda.press("🙂", await zelda.next_message())
    await zelda.next_message()
    await zelda.send(MARKERS["draft"] + "x" * 600)
    await zelda.next_message()
    await zelda.send(MARKERS["answer"])
    await zelda.next_message()
    await zelda.send(MARKERS["need"])
    await zelda.next_message()
    await check_in(jonas, "😄", "Jonas's own words stay", JONAS_NEED)
    reveal = await zelda.wait_for("Your check-in")
    await zelda.press(reveal.buttons[0][0], reveal)  # a reaction to Jonas's answer
    need = await zelda.wait_for(JONAS_NEED, predicate=lambda m: len(m.buttons) == 1)
    await zelda.press("Yes", need)  # her answer, stored on Jonas's row
    await zelda.wait_edit(need)
    await zelda.send("/appreciate")
    await zelda.next_message()
    await zelda.send(MARKERS["prompted"])
    await zelda.wait_for("Sent to Jonas")
    await zelda.send("/appreciate " + MARKERS["direct"])
    await zelda.wait_for("Sent to Jonas")
    await zelda.send("/ask " + MARKERS["request"])
    await zelda.wait_for("Sent to Jonas")
    await zelda.send("/date")
    await zelda.press("Propose to Jonas", await zelda.next_message())
    await jonas.send("/appreciate Jonas thanks Zelda for everything")
    await jonas.wait_for("geschickt")
    await zelda.wait_for("Jonas appreciates you")
    clock.advance(timedelta(minutes=1))  # after Zelda's request, in the exports' order
    await jonas.send("/ask " + JONAS_REQUEST)
    await zelda.press("Let's negotiate", await zelda.wait_for(JONAS_REQUEST))
    await zelda.wait_for("suggest instead")
    await zelda.send(MARKERS["counter"])  # her words, stored on Jonas's request
    await jonas.wait_for(MARKERS["counter"])
    await zelda.send("/pair")  # refused: already paired
    await zelda.wait_for("already paired")
    await zelda.send("/join wrong-code-attempt")
    await zelda.wait_for("already paired")
    await zelda.send("/hug")  # a hug each way
    await zelda.wait_for("Sent to Jonas")
    await jonas.send("/hug")
    await jonas.wait_for("💞 An")
    await zelda.wait_for(predicate=lambda m: "💞 back" in m.button_data)
    days = (("✨ Another day", MARKERS["day"] + " 14.02"), ("🎂 My birthday", "20.12"))
    for button, words in days:
        await zelda.send("/days")
        await zelda.press(button, await zelda.wait_for("📅"))
        await zelda.send(words, reply_to=await zelda.wait_for("e.g."))
        await zelda.wait_for("Kept:")
        await jonas.wait_for("besonderen Tag")
    clock.set(datetime(2026, 6, 8, 10, 30, tzinfo=UTC))
    report = await tick(bot_app_of(api))
    assert report.sent == 1  # a delivery record for Zelda
    await zelda.wait_for("pass them on")
    return zelda, jonas


_APPS: dict[int, Application] = {}


def bot_app_of(api: LocalBotApi) -> Application:
    return _APPS[id(api)]


@pytest.fixture(autouse=True)
def _remember_app(api: LocalBotApi, bot: Application) -> None:
    _APPS[id(api)] = bot


async def all_values(db: Database) -> list[tuple[str, str, object]]:
    found = []
    async with db.transaction() as s:
        for table in Base.metadata.sorted_tables:
            for row in (await s.execute(select(table))).all():
                for column, value in zip(table.columns, row, strict=True):
                    found.append((table.name, column.name, value))
    return found


async def export_of(person: SimulatedUser) -> dict[str, Any]:
    await person.send("/export")
    document = await person.wait_for(predicate=lambda m: m.document is not None)
    data: dict[str, Any] = json.loads(document.document or b"")
    return data


def traces_of_zelda(data: dict[str, Any]) -> list[str]:
    text = json.dumps(data, ensure_ascii=False)
    return [m for m in (NAME, str(ZELDA_ID), *MARKERS.values()) if m in text]


async def test_deletemydata_erases_every_trace(
    api: LocalBotApi, bot: Application, db: Database, clock: FakeClock
) -> None:
    zelda, jonas = await everything_zelda_writes(api, clock)
    values = await all_values(db)
    kept = [NAME, *(v for k, v in MARKERS.items() if k != "draft")]  # drafts clear on success
    for marker in kept:  # the markers really were stored
        assert any(marker in str(v) for _t, _c, v in values), marker
    for where in (("reactions", "from_user_id"), ("requests", "to_user_id")):
        assert (*where, ZELDA_ID) in values, where  # and so were her id on both sides

    before = await export_of(jonas)  # what Zelda wrote on his rows, until she erases it
    assert before["checkins"][0]["partner_reply_to_my_need"] == "yes"
    assert MARKERS["counter"] in json.dumps(before)

    await zelda.send("/deletemydata")
    confirm = await zelda.next_message()
    assert confirm.buttons == [["Yes, delete everything", "Cancel"]]
    await zelda.press("Yes, delete everything", confirm)
    assert "erased" in (await zelda.wait_edit(confirm)).entities_text
    notice = await jonas.wait_for("Verbindung")
    assert notice.entities_text == (
        "Eure Verbindung ist beendet. Mit /pair kannst du dich jederzeit neu verbinden."
    )
    await quiet(api, bot, jonas)

    leftovers = [
        (table, column, value)
        for table, column, value in await all_values(db)
        if value == ZELDA_ID
        or str(ZELDA_ID) in str(value)
        or any(m in str(value) for m in [NAME, *MARKERS.values()])
    ]
    assert leftovers == []
    texts = {str(v) for t, c, v in await all_values(db) if c in ("answer", "need", "text")}
    for own_words in (
        "Jonas's own words stay",
        JONAS_NEED,
        JONAS_REQUEST,
        "Jonas thanks Zelda for everything",
    ):
        assert own_words in texts
    # Jonas's export holds his own words, and nothing of Zelda's any more.
    after = await export_of(jonas)
    assert after["checkins"][0]["partner_reply_to_my_need"] is None
    assert [r["text"] for r in after["requests"]] == [JONAS_REQUEST]
    assert after["requests"][0]["counter_proposal"] is None
    assert traces_of_zelda(after) == []
    # Zelda can start again from scratch.
    await zelda.send("/start")
    assert "Pair with my partner" in (await zelda.next_message()).buttons[0][0]


async def test_export_holds_what_the_user_wrote_and_was_shown(
    api: LocalBotApi, bot: Application, clock: FakeClock
) -> None:
    zelda, jonas = await everything_zelda_writes(api, clock)
    await zelda.send("/export")
    document = await zelda.next_message()
    assert document.document_name == "my-couples-bot-data.json"
    data = json.loads(document.document or b"")
    assert data["profile"]["first_name"] == NAME
    assert data["profile"]["time_zone"] == "Europe/Berlin"
    checkin = data["checkins"][0]
    assert checkin["my_answer"] == MARKERS["answer"] and checkin["my_need"] == MARKERS["need"]
    assert checkin["partner_answer"] == "Jonas's own words stay"
    assert checkin["date"].endswith("+02:00")  # in the user's zone
    sent = [a["text"] for a in data["appreciations_sent"]]
    assert MARKERS["prompted"] in sent and MARKERS["direct"] in sent
    assert [a["text"] for a in data["appreciations_received"]] == [
        "Jonas thanks Zelda for everything"
    ]
    assert data["requests"][0]["text"] == MARKERS["request"]
    assert data["requests"][1]["text"] == JONAS_REQUEST
    assert data["requests"][1]["counter_proposal"] == MARKERS["counter"]
    assert data["dates"][0]["proposed_by_me"] is True
    assert {r["ritual"] for r in data["rituals"]} == {"checkin", "appreciation", "date", "recap"}
    assert [(d["kind"], d["name"], d["mine"]) for d in data["important_days"]] == [
        ("other", MARKERS["day"], None),
        ("birthday", None, True),
    ]
    assert [h["direction"] for h in data["hugs"]] == ["sent", "received"]
    # Jonas's export shows Zelda's answer only because it was revealed to him.
    await jonas.send("/export")
    theirs = json.loads((await jonas.wait_for(predicate=lambda m: m.document)).document or b"")
    assert theirs["checkins"][0]["partner_answer"] == MARKERS["answer"]


async def test_forged_callbacks_cannot_reach_another_couple(
    api: LocalBotApi, bot: Application, db: Database, clock: FakeClock
) -> None:
    zelda, jonas = await everything_zelda_writes(api, clock)
    eve, max_ = api.user(1066, "Eve"), api.user(1067, "Max")
    await pair_up(api, eve, max_)
    async with db.transaction() as s:
        appreciation = (await s.execute(select(Appreciation))).scalars().first()
        request = (await s.execute(select(Request))).scalars().first()
    assert appreciation is not None and request is not None
    some_message = eve.messages[-1]
    for data in (
        "ck:r:1:thanks",
        "ck:n:1:yes",
        "ck:m:1:5",
        "ck:s:1",
        f"ap:r:{appreciation.id}",
        f"rq:{request.id}:yes",
        f"rq:{request.id}:negotiate",
        "dt:r:1:accepted",
        "dt:p:not-a-key",
        "unpair:yes:1",
        "tz:Mars/Olympus",
        "lang:xx",
    ):
        query = await eve.press_data(data, some_message)
        assert (await eve.callback_answer(query)).get("text"), data
    await quiet(api, bot, zelda, jonas)
    async with db.transaction() as s:
        assert (await s.get(Appreciation, appreciation.id)).received_at is None  # type: ignore[union-attr]
        assert (await s.get(Request, request.id)).status == "open"  # type: ignore[union-attr]


async def test_a_flood_is_answered_calmly_and_the_partner_is_spared(
    api: LocalBotApi, bot: Application, clock: FakeClock
) -> None:
    ann, jonas = api.user(1001, "Ann"), api.user(1002, "Jonas", language_code="de")
    await pair_up(api, ann, jonas)
    runtime = runtime_of(bot)
    # The product's rules (the e2e fixture relaxes them), on a wall clock that stands still:
    # the whole burst lands in one instant, however slowly this machine handles it.
    runtime.wall = wall = FakeClock()
    runtime.flood = SlidingWindow(12, timedelta(seconds=10))
    runtime.flood_warned = SlidingWindow(1, timedelta(seconds=10))
    runtime.relays = SlidingWindow(5, timedelta(minutes=10))
    await quiet(api, bot, ann, jonas)
    for i in range(50):
        await ann.send(f"/appreciate flood {i}")
    await settled(api, bot)
    answers = [m.text or "" for m in ann.unread]
    # 12 pass the flood guard: 5 are relayed, 7 refused to spare Jonas; then one calm answer,
    # and the other 37 are skipped without a word.
    assert sum("Sent to Jonas" in text for text in answers) == 5
    assert sum("several messages" in text for text in answers) == 7
    calm = [text for text in answers if "lot of messages" in text]
    assert len(calm) == 1 and answers[-1] == calm[0]
    assert len(answers) == 13
    relayed = [m for m in jonas.unread if "flood" in (m.text or "")]
    assert len(relayed) == 5 and len(jonas.unread) == 5  # never more than 5 relays
    ann.mark_all_read()
    jonas.mark_all_read()
    # Still within the window: skipped, and not answered calmly a second time.
    await ann.send("/help")
    await quiet(api, bot, ann)
    wall.advance(seconds=11)  # calm again
    await ann.send("/help")
    assert "/pair" in (await ann.wait_for("/help")).entities_text
    await quiet(api, bot, jonas)


@pytest.mark.usefixtures("production_log_levels")
async def test_logs_hold_no_token_and_no_words_at_debug(
    api: LocalBotApi, bot: Application, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    install_redaction((api.token,), handler=caplog.handler)
    caplog.set_level(logging.DEBUG)
    zelda, _jonas = await everything_zelda_writes(api, clock)
    await zelda.send("/export")
    await zelda.next_message()
    await zelda.send("/deletemydata")
    await zelda.press("Yes, delete everything", await zelda.next_message())
    await quiet(api, bot, zelda)
    await housekeeping(bot)
    ours = [r for r in caplog.records if not r.name.startswith("bot.local_api")]
    assert len(ours) >= 2  # the bot did log (ticks, housekeeping, the flood guard...)
    text = "\n".join(r.getMessage() for r in ours) + caplog.text
    assert api.token not in text and api.token.split(":", 1)[1] not in text
    for marker in MARKERS.values():
        assert marker not in text, marker
    assert "Jonas's own words stay" not in text
