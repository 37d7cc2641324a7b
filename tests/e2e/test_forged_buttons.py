"""Forged, stale and repeated button taps, as two real couples could send them.

Ann and Ben (couple 1) build real exchanges in several states; Cid and Dee (couple 2, Dee
reads German) and Ann and Ben themselves then send callback queries with the real ids of those
exchanges: from the wrong couple, from the wrong partner, at the wrong state, twice, after
/unpair, and in shapes no button of the bot ever has. Every such tap must get a short answer in
the tapper's language and change nothing: no message to anyone, no edit, the same rows in the
database.

The couples and their exchanges are built once per test class (building them takes a few
seconds; each case is one tap), so the world has its own server, bot and database instead of
the function-scoped `api`/`bot`/`db` fixtures. Each case snapshots the whole database and every
chat before its tap, so a case that does change something cannot hide behind an earlier one
(though what it changed may make later cases of its class fail too).

The cases in `TestStaleButtonsThatStillAct`, the superscript digits, the ids beyond 32 bits
and the missing ids of `in:` taps were bugs this file found; they are fixed and stay here.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy import select

from bot.app import build_application, start_application, stop_application
from bot.clock import FakeClock
from bot.config import Settings, normalize_database_url
from bot.context import BotApplication
from bot.db import Database, upgrade_database
from bot.local_api import BotMessage, LocalBotApi, SimulatedUser
from bot.models import Base, OpenStep, User
from bot.ratelimit import SlidingWindow
from bot.runtime import runtime_of
from bot.services.exchange_errors import ExchangeError, Stale
from handlers.actions import stale_text
from locales import Translator
from tests.conftest import TEST_DATABASE_URL, _reset_postgres
from tests.e2e.conftest import pair_up, settled

pytestmark = pytest.mark.asyncio(loop_scope="module")

NOT_YOURS, CLOSED, ALREADY, WRONG_STEP = (
    Stale.NOT_YOURS,
    Stale.CLOSED,
    Stale.ALREADY,
    Stale.WRONG_STEP,
)
LANGUAGE = {"ann": "en", "ben": "en", "cid": "en", "dee": "de"}
# Methods the bot may call while refusing a tap; anything else (send, edit, delete, chat
# action, ...) is something happening because of the tap.
QUIET_METHODS = {"getupdates", "answercallbackquery"}
COUPLE_2 = {"c2", "Hc", "Scid"}  # Cid's own ids: kept when couple 1's are replaced
MISSING_ID = "987654"
ON_SQLITE = not TEST_DATABASE_URL


def data_of(message: BotMessage, label: str) -> str:
    return message.button_data[label]


def part(data: str, index: int) -> str:
    return data.split(":")[index]


@dataclass
class World:
    """Two couples with real exchanges; `ids` names the exchanges for the case templates."""

    api: LocalBotApi
    app: BotApplication
    db: Database
    people: dict[str, SimulatedUser]
    ids: dict[str, str] = field(default_factory=dict)

    def fill(self, template: str) -> str:
        return template.format(**self.ids)

    async def settle(self) -> None:
        await settled(self.api, self.app)
        for person in self.people.values():
            person.mark_all_read()


async def check_in(person: SimulatedUser, partner: str, answer: str, need: str) -> str:
    """One partner's whole check-in (mood, answer, need); returns the check-in's id."""
    await person.send("/checkin")
    mood = await person.wait_for("How are you feeling")
    checkin_id = part(data_of(mood, "🙂"), 2)
    await person.press("🙂", mood)
    await person.wait_edit(mood)
    await person.wait_for("Today's question")
    await person.send(answer)
    await person.wait_for(f"anything you need from {partner}")
    await person.send(need)
    return checkin_id


async def build(world: World, clock: FakeClock, *, full: bool = True) -> None:
    """Couple 1's exchanges, one of each state a button can meet, and couple 2's held words
    (`full` False: only the dates, requests and held words)."""
    ann, ben, cid, dee = (world.people[n] for n in ("ann", "ben", "cid", "dee"))
    ids = world.ids
    await pair_up(world.api, ann, ben)
    await pair_up(world.api, cid, dee)

    if full:  # the check-ins and appreciations
        # Day 1: a check-in revealed to both, each with a need. Ann has answered Ben's need and
        # reacted; Ann's need is still unanswered (Ben's reply to it would be a real one).
        ids["R"] = await check_in(ann, "Ben", "ann-answer-R", "ann-need-R")
        await ann.wait_for("as soon as Ben has answered")
        await check_in(ben, "Ann", "ben-answer-R", "ben-need-R")
        reveal = await ann.wait_for("Your check-in")
        await ben.wait_for("Your check-in")
        await ben.wait_for("would like this from you")
        need_of_ben = await ann.wait_for("would like this from you")
        await ann.press("Yes", need_of_ben)
        await ann.wait_edit(need_of_ben)
        await ben.wait_for("answered your need")
        await ann.callback_answer(await ann.press("Thank you for sharing", reveal))
        await ben.wait_for("reacted to your check-in")

        # Day 2: an open check-in. Ann has stated her need; Ben has not started.
        clock.advance(timedelta(hours=24))
        ids["O"] = await check_in(ann, "Ben", "ann-answer-O", "ann-need-O")
        await ann.wait_for("as soon as Ben has answered")
        assert ids["O"] != ids["R"]

        # Appreciations from Ann: A0 received by Ben, A1 waiting for his tap.
        relays = []
        for name, words in (("A0", "thanks-zero"), ("A1", "thanks-one")):
            await ann.send(f"/appreciate {words}")
            await ann.wait_for("Sent to Ben")
            relays.append(await ben.wait_for(words))
            ids[name] = part(data_of(relays[-1], "Received with love 💞"), 2)
        await ben.callback_answer(await ben.press("Received with love 💞", relays[0]))
        await ben.wait_edit(relays[0])
        await ann.wait_for("received your appreciation")

        # A hug from Ann (G, its "💞 back" not tapped) and a day Ann keeps for them (D).
        await ann.send("/hug")
        await ann.wait_for("Sent to Ben")
        hug = await ben.wait_for(predicate=lambda m: "💞 back" in m.button_data)
        ids["G"] = part(data_of(hug, "💞 back"), 2)
        await ann.send("/days")
        await ann.press("✨ Another day", await ann.wait_for("No important days"))
        await ann.send("First date 14.02", reply_to=await ann.wait_for("e.g."))
        await ann.wait_for("Kept:")
        await ben.wait_for("added an important day")
        await ann.send("/days")
        ids["D"] = part(data_of(await ann.wait_for("First date"), "🗑 1"), 2)

    # Dates proposed by Ann: P0 accepted by Ben, P1 open. Ann's idea message for P1 keeps
    # the idea key its "Propose" button had.
    proposals = []
    for name in ("P0", "P1"):
        await ann.send("/date")
        idea = await ann.wait_for("A date-night idea")
        ids["K"] = part(data_of(idea, "Propose to Ben"), 2)
        await ann.press("Propose to Ben", idea)
        await ann.wait_edit(idea)
        proposals.append(await ben.wait_for("proposes a date"))
        ids[name] = part(data_of(proposals[-1], "Accept 💞"), 2)
    await ben.press("Accept 💞", proposals[0])
    await ben.wait_edit(proposals[0])
    await ann.wait_for("said yes")

    # Requests from Ann: Q1 open, Q2 answered "let's negotiate" (Ben's counter step waits).
    for name, words in (("Q1", "q-one?"), ("Q2", "q-two?")):
        await ann.send(f"/ask {words}")
        await ann.wait_for("I will tell you the answer")
        request = await ben.wait_for(words)
        ids[name] = part(data_of(request, "Yes"), 1)
    await ben.press("Let's negotiate", request)
    await ben.wait_edit(request)
    await ann.wait_for("would like to negotiate")
    await ben.wait_for("What would you suggest instead")

    # Held words: Ben has an appreciation step and the counter step open. H1 was dropped,
    # H2 waits for his choice. Ann and Cid each have an appreciation step; Cid has held words.
    await ann.send("/appreciate")
    await ann.wait_for("pass them on to Ben")
    await ben.send("/appreciate")
    await ben.wait_for("pass them on to Ann")
    await ben.send("held-one")
    dropped = await ben.wait_for("Which is this message for?")
    ids["H1"] = part(data_of(dropped, "Don't use it"), 1)
    await ben.send("held-two")
    which = await ben.wait_for("Which is this message for?")
    ids["H2"] = part(data_of(which, "Don't use it"), 1)
    ids["Sben"] = part(data_of(which, "Appreciation for Ann (sent at once)"), 2)
    ids["Sbct"] = part(data_of(which, "My suggestion to Ann"), 2)
    # Dropped while newer held words exist, so no later row can take its id again.
    await ben.press("Don't use it", dropped)
    await ben.wait_edit(dropped)
    assert int(ids["H1"]) < int(ids["H2"])
    await cid.send("/appreciate")
    await cid.wait_for("pass them on to Dee")
    await cid.send("/help")
    help_message = await cid.wait_for("/help")
    await cid.send("cid-held", reply_to=help_message)
    which = await cid.wait_for("Which is this message for?")
    ids["Hc"] = part(data_of(which, "Don't use it"), 1)
    ids["Scid"] = part(data_of(which, "Appreciation for Dee (sent at once)"), 2)

    async with world.db.transaction() as s:
        for name, person in (("c1", ann), ("c2", cid)):
            user = await s.get(User, person.id)
            assert user is not None and user.couple_id is not None
            ids[name] = str(user.couple_id)
        stmt = select(OpenStep.id).where(
            OpenStep.user_id == ann.id, OpenStep.kind == "appreciation"
        )
        ids["Sann"] = str((await s.execute(stmt)).scalar_one())


async def end_pairing(world: World) -> None:
    """Ben gets as far as his need in the open check-in (his Skip button is live), then Ann
    ends the pairing: every button couple 1 was shown must now be refused."""
    ann, ben = world.people["ann"], world.people["ben"]
    await ben.send("/checkin")
    mood = await ben.wait_for("How are you feeling")
    await ben.press("😐", mood)
    await ben.wait_edit(mood)
    question = await ben.wait_for("Today's question")
    await ben.send("ben-answer-O", reply_to=question)  # a reply: for this step only
    need = await ben.wait_for("anything you need from Ann")
    assert data_of(need, "Skip") == world.fill("ck:s:{O}")
    await ann.send("/unpair")
    confirm = await ann.wait_for("end the pairing")
    await ann.press("Yes, end it", confirm)
    await ann.wait_edit(confirm)
    await ben.wait_for("Your pairing with Ann has ended")


async def hold_again(world: World) -> None:
    """Ben holds words (Hd, the newest held row), drops them, and writes again: on SQLite the
    new held words (Hn) get the dropped row's id, so the dropped question's buttons point at
    them."""
    ben = world.people["ben"]
    await ben.send("held-three")
    dropped = await ben.wait_for("Which is this message for?")
    world.ids["Hd"] = part(data_of(dropped, "Don't use it"), 1)
    await ben.press("Don't use it", dropped)
    await ben.wait_edit(dropped)
    await ben.send("held-four")
    again = await ben.wait_for("Which is this message for?")
    world.ids["Hn"] = part(data_of(again, "Don't use it"), 1)


@asynccontextmanager
async def running_world(tmp: pytest.TempPathFactory, variant: str) -> AsyncIterator[World]:
    if TEST_DATABASE_URL:
        url = normalize_database_url(TEST_DATABASE_URL)
        _reset_postgres(url)
    else:
        url = normalize_database_url(None, data_dir=tmp.mktemp("forged"))
    upgrade_database(url)
    db = Database(url)
    api = LocalBotApi()
    await api.start()
    clock = FakeClock(datetime(2026, 6, 8, 8, 0, tzinfo=UTC))
    settings = Settings(
        token=api.token,
        database_url=url,
        api_base_url=api.base_url,
        api_base_file_url=api.base_file_url,
        telegram_chat_rate_limit=0,  # scripted users read fast; pacing has its own tests
        tick_seconds=0,  # nothing is scheduled behind the cases' backs
    )
    app = build_application(settings, database=db, clock=clock)
    runtime = runtime_of(app)
    runtime.flood = SlidingWindow(100_000, timedelta(seconds=10))
    runtime.relays = SlidingWindow(100_000, timedelta(minutes=10))
    try:
        await start_application(app, poll_timeout=1)
        people = {
            "ann": api.user(1101, "Ann"),
            "ben": api.user(1102, "Ben"),
            "cid": api.user(1201, "Cid"),
            "dee": api.user(1202, "Dee", language_code="de"),
        }
        world = World(api, app, db, people)
        await build(world, clock, full=variant != "held-again")
        if variant == "unpaired":
            await end_pairing(world)
        elif variant == "held-again":
            await hold_again(world)
        await world.settle()
        yield world
    finally:
        if app.running or (app.updater is not None and app.updater.running):
            await stop_application(app)
        await api.stop()
        await db.dispose()


@pytest_asyncio.fixture(scope="class", loop_scope="module")
async def paired(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[World]:
    async with running_world(tmp_path_factory, "paired") as world:
        yield world


@pytest_asyncio.fixture(scope="class", loop_scope="module")
async def unpaired(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[World]:
    async with running_world(tmp_path_factory, "unpaired") as world:
        yield world


@pytest_asyncio.fixture(scope="class", loop_scope="module")
async def held_again(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[World]:
    async with running_world(tmp_path_factory, "held-again") as world:
        yield world


# ---------------------------------------------------------------------------- observing


Rows = dict[str, list[tuple[Any, ...]]]


async def database_rows(db: Database) -> Rows:
    """Every row of every table, except the ids of handled updates (which every tap adds)."""
    rows: Rows = {}
    async with db.transaction() as s:
        for table in Base.metadata.sorted_tables:
            if table.name == "processed_updates":
                continue
            result = await s.execute(select(table).order_by(*table.primary_key.columns))
            rows[table.name] = [tuple(row) for row in result]
    return rows


def chats(world: World) -> dict[str, list[tuple[int, int]]]:
    """Each person's bot messages (deleted ones drop out) with their edit counts."""
    return {
        name: [(m.message_id, m.edits) for m in person.messages]
        for name, person in world.people.items()
    }


def refusal(who: str, why: Stale) -> str:
    return stale_text(Translator(LANGUAGE[who]), ExchangeError(why))


async def tap(world: World, who: str, data: str, on: BotMessage | None = None) -> str:
    """`who` sends a callback query with `data` on message `on` (default: their newest); the
    text the bot answered it with."""
    person = world.people[who]
    message = on or person.last_message
    assert message is not None
    query = await person.press_data(data, message)
    answer = await person.callback_answer(query)
    return str(answer.get("text") or "")


async def assert_refused(
    world: World, who: str, template: str, why: Stale, on: BotMessage | None = None
) -> None:
    """The tap is answered with the short refusal for `why`, in the tapper's language, and
    nothing else happens: no message or edit for anyone, no API call, no changed row."""
    await world.settle()
    rows_before, chats_before = await database_rows(world.db), chats(world)
    calls_before = len(world.api.calls)

    data = world.fill(template)
    text = await tap(world, who, data, on)
    await settled(world.api, world.app)
    arrived = {n: [m.describe() for m in p.unread] for n, p in world.people.items() if p.unread}
    assert not arrived, f"{who} tapped {data!r}: messages reached {arrived}"

    assert text, f"{who} tapped {data!r}: the answer has no text"
    assert len(text) <= 64, f"{who} tapped {data!r}: a long answer {text!r}"
    assert text == refusal(who, why), f"{who} tapped {data!r}: answered {text!r}"
    extra = [
        (c.method, c.params.get("chat_id"))
        for c in world.api.calls[calls_before:]
        if c.method.lower() not in QUIET_METHODS
    ]
    assert not extra, f"{who} tapped {data!r}: the bot called {extra}"
    assert chats(world) == chats_before, f"{who} tapped {data!r}: a message was edited"
    rows_after = await database_rows(world.db)
    changed = {
        table: (rows_before[table], rows_after[table])
        for table in rows_before
        if rows_before[table] != rows_after[table]
    }
    assert not changed, f"{who} tapped {data!r}: rows changed {changed}"


# ---------------------------------------------------------------------------- the cases
# Ids in the templates: R the revealed check-in, O the open one (Ann's need stated), A0/A1
# appreciations (received / waiting), P0/P1 date proposals (accepted / open), K the idea key
# of P1, Q1/Q2 requests (open / negotiated), H1/H2 Ben's held words (dropped / waiting),
# Hc Cid's held words, Sben/Sbct Ben's appreciation / counter steps, Sann Ann's and Scid
# Cid's appreciation steps, c1/c2 the couples; Hd/Hn dropped and newer held words of Ben.

# Every exchange button of couple 1, with couple 1's real ids, tapped by Cid and by Dee.
# ("dt:p:<idea key>" and "dt:a" carry no exchange id: Cid proposing an idea to Dee by its key
# is his own right; they are tapped after /unpair and in forged shapes instead.)
OTHER_COUPLE = [
    ("ck:m:{O}:4", "mood-on-open-checkin"),
    ("ck:s:{O}", "skip-need-of-open-checkin"),
    ("ck:n:{O}:yes", "need-reply-on-open-checkin"),
    ("ck:n:{R}:yes", "need-reply-on-revealed-checkin"),
    ("ck:r:{R}:hard", "reaction-on-revealed-checkin"),
    ("ck:r:{O}:thanks", "reaction-on-open-checkin"),
    ("ck:q:{O}", "another-question-of-open-checkin"),
    ("ck:k:{O}", "skip-question-of-open-checkin"),
    ("dp:y:{c1}:3", "accept-deeper-questions-of-couple-1"),
    ("dp:n:{c1}:2", "decline-deeper-questions-of-couple-1"),
    ("ap:r:{A1}", "receive-appreciation"),
    ("dt:r:{P1}:accepted", "accept-date"),
    ("dt:r:{P1}:swapped", "swap-date"),
    ("rq:{Q1}:yes", "answer-request"),
    ("rq:{Q2}:no", "answer-negotiated-request"),
    ("in:{H2}:{Sbct}", "choose-step-for-bens-held-words"),
    ("in:{H2}:x", "drop-bens-held-words"),
    ("in:{H2}:{Scid}", "bens-held-words-into-cids-step"),
    ("in:{Hc}:{Sben}", "cids-held-words-into-bens-step"),
    ("unpair:yes:{c1}", "end-couple-1"),
    ("mb:p:{c1}:0:a", "page-of-couple-1s-book"),
    ("mb:p:{c1}:1:f", "favourites-page-of-couple-1s-book"),
    ("mb:f:a:{A0}", "keep-couple-1s-appreciation"),
    ("mb:f:c:{R}", "keep-couple-1s-revealed-checkin"),
    ("mb:d:a:{A1}:0:a", "take-out-couple-1s-appreciation"),
    ("mb:d:c:{R}:0:f", "take-out-couple-1s-checkin"),
    ("hg:b:{G}", "hug-back-on-couple-1s-hug"),
    ("dy:r:{D}", "remove-couple-1s-day"),
]

# Couple 1 itself: the other partner's button, the wrong state, a second tap, a step of the
# partner's or of another couple.
WITHIN_COUPLE = [
    ("ben", "ck:m:{O}:4", NOT_YOURS, "ben-taps-anns-mood"),
    ("ben", "ck:s:{O}", NOT_YOURS, "ben-skips-anns-need"),
    ("ben", "ck:n:{O}:yes", CLOSED, "ben-answers-need-before-reveal"),
    ("ben", "ck:n:{O}:talk", CLOSED, "ben-answers-need-before-reveal-talk"),
    ("ann", "ck:n:{O}:yes", CLOSED, "ann-answers-need-before-reveal"),
    ("ben", "ck:r:{O}:thanks", CLOSED, "ben-reacts-before-reveal"),
    ("ann", "ck:m:{O}:4", ALREADY, "ann-mood-again"),
    ("ann", "ck:s:{O}", ALREADY, "ann-skip-after-her-need"),
    ("ann", "ck:m:{R}:4", CLOSED, "ann-mood-on-revealed-checkin"),
    ("ann", "ck:n:{R}:no", ALREADY, "ann-answers-bens-need-again"),
    ("ann", "ck:r:{R}:thanks", ALREADY, "ann-same-reaction-again"),
    ("ben", "ck:q:{O}", NOT_YOURS, "ben-another-question-before-starting"),
    ("ben", "ck:k:{O}", NOT_YOURS, "ben-skips-a-question-before-starting"),
    ("ann", "ck:q:{O}", ALREADY, "ann-another-question-after-answering"),
    ("ann", "ck:k:{O}", ALREADY, "ann-skips-the-question-after-answering"),
    ("ann", "dp:y:{c1}:3", CLOSED, "ann-accepts-a-depth-nobody-asked-for"),
    ("ben", "dp:n:{c1}:2", CLOSED, "ben-declines-a-depth-nobody-asked-for"),
    ("ann", "dp:y:{c2}:3", NOT_YOURS, "ann-accepts-for-couple-2"),
    ("ann", "ap:r:{A1}", NOT_YOURS, "ann-receives-her-own-appreciation"),
    ("ben", "ap:r:{A0}", ALREADY, "ben-receives-again"),
    ("ann", "dt:r:{P1}:accepted", NOT_YOURS, "ann-accepts-her-own-date"),
    ("ben", "dt:r:{P0}:declined", ALREADY, "ben-answers-accepted-date-again"),
    ("ann", "rq:{Q1}:yes", NOT_YOURS, "ann-answers-her-own-request"),
    ("ann", "rq:{Q2}:no", NOT_YOURS, "ann-answers-her-negotiated-request"),
    ("ben", "rq:{Q2}:yes", ALREADY, "ben-answers-negotiated-request-again"),
    ("ann", "in:{H2}:{Sben}", NOT_YOURS, "ann-chooses-for-bens-held-words"),
    ("ann", "in:{H2}:{Sann}", NOT_YOURS, "ann-takes-bens-held-words-into-her-step"),
    ("ann", "in:{H2}:x", NOT_YOURS, "ann-drops-bens-held-words"),
    ("ben", "in:{H2}:{Sann}", NOT_YOURS, "ben-held-words-into-anns-step"),
    ("ben", "in:{H2}:{Scid}", NOT_YOURS, "ben-held-words-into-cids-step"),
    ("ben", "in:{H1}:{Sben}", NOT_YOURS, "ben-chooses-for-dropped-words"),
    ("ben", "in:{H1}:x", NOT_YOURS, "ben-drops-dropped-words-again"),
    ("ann", "unpair:yes:{c2}", NOT_YOURS, "ann-ends-couple-2"),
    ("ben", "mb:d:a:{A0}:0:a", NOT_YOURS, "ben-takes-out-anns-appreciation"),
    ("ben", "mb:f:c:{O}", NOT_YOURS, "ben-keeps-an-unrevealed-checkin"),
    ("ann", "mb:f:c:{O}", NOT_YOURS, "ann-keeps-her-own-unrevealed-checkin"),
    ("ben", "mb:d:c:{O}:0:a", NOT_YOURS, "ben-takes-out-an-unrevealed-checkin"),
    ("ben", "mb:f:d:{P0}", NOT_YOURS, "ben-keeps-a-date-with-no-star"),
    ("ann", "mb:p:{c2}:0:a", NOT_YOURS, "ann-pages-couple-2s-book"),
    ("ann", "hg:b:{G}", NOT_YOURS, "ann-hugs-back-her-own-hug"),
]

# Shapes no button has, with real ids where there is one; Ben is the one these buttons are
# for, so only the shape is wrong.
SHAPES = [
    ("ck:m", NOT_YOURS, "ck-m-no-parts"),
    ("ck:m:{O}", NOT_YOURS, "ck-m-three-parts"),
    ("ck:m:{O}:4:4", NOT_YOURS, "ck-m-five-parts"),
    ("ck:m:{O}:four", NOT_YOURS, "ck-m-word-mood"),
    ("ck:m:{O}:9", WRONG_STEP, "ck-m-mood-out-of-range"),
    ("ck:m:{O}:0", WRONG_STEP, "ck-m-mood-zero"),
    ("ck:s:", NOT_YOURS, "ck-s-empty-id"),
    ("ck:s:{O}:x", NOT_YOURS, "ck-s-extra-part"),
    ("ck:s:-{O}", NOT_YOURS, "ck-s-negative-id"),
    ("ck:r:{R}", NOT_YOURS, "ck-r-three-parts"),
    ("ck:r:{R}:love", NOT_YOURS, "ck-r-unknown-reaction"),
    ("ck:r:{R}:THANKS", NOT_YOURS, "ck-r-upper-case-reaction"),
    ("ck:n:{R}", NOT_YOURS, "ck-n-three-parts"),
    ("ck:n:{R}:yes:no", NOT_YOURS, "ck-n-five-parts"),
    ("ck:n:{R}:maybe", NOT_YOURS, "ck-n-unknown-reply"),
    ("ck:n: {R}:yes", NOT_YOURS, "ck-n-space-before-id"),
    ("ck:n:+{R}:yes", NOT_YOURS, "ck-n-plus-sign"),
    ("ck:n:{R}.0:yes", NOT_YOURS, "ck-n-decimal-id"),
    ("ck:n:0x1:yes", NOT_YOURS, "ck-n-hex-id"),
    ("ck:q:", NOT_YOURS, "ck-q-empty-id"),
    ("ck:q:{O}:x", NOT_YOURS, "ck-q-extra-part"),
    ("ck:k:-{O}", NOT_YOURS, "ck-k-negative-id"),
    ("ck:k", NOT_YOURS, "ck-k-no-id-part"),
    ("dp:s:4", NOT_YOURS, "dp-s-unknown-depth"),
    ("dp:s:0", NOT_YOURS, "dp-s-depth-zero"),
    ("dp:s:deep", NOT_YOURS, "dp-s-word-depth"),
    ("dp:s:2:2", NOT_YOURS, "dp-s-extra-part"),
    ("dp:y:{c1}", NOT_YOURS, "dp-y-three-parts"),
    ("dp:y:{c1}:deep", NOT_YOURS, "dp-y-word-depth"),
    ("dp:y:{c1}:9", NOT_YOURS, "dp-y-unknown-depth"),
    ("ap:r", NOT_YOURS, "ap-r-no-id-part"),
    ("ap:r:", NOT_YOURS, "ap-r-empty-id"),
    ("ap:r:{A1}:x", NOT_YOURS, "ap-r-extra-part"),
    ("ap:r:abc", NOT_YOURS, "ap-r-word-id"),
    ("ap:r:0", NOT_YOURS, "ap-r-zero-id"),
    ("ap:r:" + MISSING_ID, NOT_YOURS, "ap-r-missing-id"),
    ("ap:r:" + "9" * 59, NOT_YOURS, "ap-r-59-digits"),
    ("dt:r:{P1}", NOT_YOURS, "dt-r-three-parts"),
    ("dt:r:{P1}:accept", NOT_YOURS, "dt-r-unknown-answer"),
    ("dt:r:{P1}:accepted:x", NOT_YOURS, "dt-r-five-parts"),
    ("dt:r:x:accepted", NOT_YOURS, "dt-r-word-id"),
    ("dt:p:", CLOSED, "dt-p-empty-key"),
    ("dt:p:no-such-idea", CLOSED, "dt-p-unknown-key"),
    ("dt:p:{K}:x", NOT_YOURS, "dt-p-extra-part"),
    ("dt:a:1", NOT_YOURS, "dt-a-with-a-part"),
    ("rq:{Q1}", NOT_YOURS, "rq-two-parts"),
    ("rq:{Q1}:yes:1", NOT_YOURS, "rq-four-parts"),
    ("rq:{Q1}:", NOT_YOURS, "rq-empty-answer"),
    ("rq:{Q1}:YES", NOT_YOURS, "rq-upper-case-answer"),
    ("rq:{Q1}:maybe", NOT_YOURS, "rq-unknown-answer"),
    ("rq::yes", NOT_YOURS, "rq-empty-id"),
    ("rq:" + "9" * 40 + ":yes", NOT_YOURS, "rq-huge-id"),
    ("in:{H2}", NOT_YOURS, "in-two-parts"),
    ("in:{H2}:{Sben}:x", NOT_YOURS, "in-four-parts"),
    ("in:{H2}:", NOT_YOURS, "in-empty-step"),
    ("in::x", NOT_YOURS, "in-empty-held"),
    ("in:x:x", NOT_YOURS, "in-word-held"),
    ("in:{H2}:X", NOT_YOURS, "in-upper-case-cancel"),
    ("unpair:yes:x", NOT_YOURS, "unpair-word-id"),
    ("mb:p:{c1}:0", NOT_YOURS, "mb-p-four-parts"),
    ("mb:p:{c1}:0:x", NOT_YOURS, "mb-p-unknown-view"),
    ("mb:p:{c1}:-1:a", NOT_YOURS, "mb-p-negative-page"),
    ("mb:f:x:{A0}", NOT_YOURS, "mb-f-unknown-kind"),
    ("mb:f:a", NOT_YOURS, "mb-f-no-id"),
    ("mb:f:a:{A0}:x", NOT_YOURS, "mb-f-extra-part"),
    ("mb:d:n:" + MISSING_ID + ":0:a", NOT_YOURS, "mb-d-missing-note"),
    ("mb:d:a:{A0}:0", NOT_YOURS, "mb-d-five-parts"),
    ("mb:v:" + MISSING_ID, NOT_YOURS, "mb-v-missing-photo"),
    ("hg:b", NOT_YOURS, "hg-b-no-id-part"),
    ("hg:b:", NOT_YOURS, "hg-b-empty-id"),
    ("hg:b:{G}:x", NOT_YOURS, "hg-b-extra-part"),
    ("hg:x:{G}", NOT_YOURS, "hg-unknown-kind"),
    ("hg:s:{G}", NOT_YOURS, "hg-s-with-an-id"),
    ("dy:r:abc", NOT_YOURS, "dy-r-word-id"),
    ("dy:r:{D}:x", NOT_YOURS, "dy-r-extra-part"),
    ("dy:a:holiday", NOT_YOURS, "dy-a-unknown-kind"),
    ("dy:a:BIRTHDAY", NOT_YOURS, "dy-a-upper-case-kind"),
    # /lovelanguage buttons carry no ids: each acts on the tapper's own quiz, and Ben has none.
    ("ll:q:1:0", WRONG_STEP, "ll-q-without-a-quiz"),
    ("ll:q:1", NOT_YOURS, "ll-q-three-parts"),
    ("ll:q:1:2", WRONG_STEP, "ll-q-no-third-option"),
    ("ll:sh:1", CLOSED, "ll-sh-without-a-profile"),
    ("ll:sh:yes", NOT_YOURS, "ll-sh-unknown-choice"),
    ("zz", NOT_YOURS, "unknown-prefix"),
    ("x" * 64, NOT_YOURS, "64-letters"),
    (":" * 64, NOT_YOURS, "64-colons"),
    ("ck:n:" + ":" * 59, NOT_YOURS, "ck-n-and-59-colons"),
    ("💣" * 16, NOT_YOURS, "64-bytes-of-emoji"),
    ("ck:r:" + "%s" * 29 + "!", NOT_YOURS, "ck-r-format-garbage"),
]

# Digits Python's str.isdigit() accepts but int() does not: the tap ends in the error handler
# ("Sorry, something went wrong") instead of a refusal.
UNICODE_DIGITS = [
    ("ck:m:²:4", "ck-m-superscript-id"),
    ("ck:s:²", "ck-s-superscript-id"),
    ("ck:r:²:thanks", "ck-r-superscript-id"),
    ("ck:n:²:yes", "ck-n-superscript-id"),
    ("ap:r:²", "ap-r-superscript-id"),
    ("dt:r:²:accepted", "dt-r-superscript-id"),
    ("rq:²:yes", "rq-superscript-id"),
    ("in:²:x", "in-superscript-held"),
    ("ck:q:²", "ck-q-superscript-id"),
    ("ck:k:²", "ck-k-superscript-id"),
    ("dp:s:²", "dp-s-superscript-depth"),
    ("dp:y:²:3", "dp-y-superscript-couple"),
    ("mb:p:²:0:a", "mb-p-superscript-couple"),
    ("mb:f:a:²", "mb-f-superscript-id"),
    ("hg:b:²", "hg-b-superscript-id"),
    ("dy:r:²", "dy-r-superscript-id"),
    ("ll:q:²:0", "ll-q-superscript-number"),
]

# Ids parse_int accepts (fewer than 12 digits) beyond the 32-bit INTEGER id columns: on
# PostgreSQL the lookup raises DataError and the error handler answers instead of a refusal.
INT32_OVERFLOW = "2147483648"
BIG_IDS = [
    ("ck:m:{big}:4", NOT_YOURS, "ck-m"),
    ("ck:s:{big}", NOT_YOURS, "ck-s"),
    ("ck:r:{big}:thanks", NOT_YOURS, "ck-r"),
    ("ck:n:{big}:yes", NOT_YOURS, "ck-n"),
    ("ap:r:{big}", NOT_YOURS, "ap-r"),
    ("dt:r:{big}:accepted", NOT_YOURS, "dt-r"),
    ("rq:{big}:yes", NOT_YOURS, "rq"),
    ("in:{big}:x", NOT_YOURS, "in-held"),
    ("ck:q:{big}", NOT_YOURS, "ck-q"),
    ("ck:k:{big}", NOT_YOURS, "ck-k"),
    ("dp:y:{big}:3", NOT_YOURS, "dp-y"),
    ("in:{Hc}:{big}", NOT_YOURS, "in-step"),
    ("mb:f:a:{big}", NOT_YOURS, "mb-f"),
    ("mb:d:n:{big}:0:a", NOT_YOURS, "mb-d"),
    ("mb:p:{c1}:{big}:a", NOT_YOURS, "mb-p-page"),  # Cid's own held words, a step beyond any id
    ("hg:b:{big}", NOT_YOURS, "hg-b"),
    ("dy:r:{big}", NOT_YOURS, "dy-r"),  # Cid's own held words, a step beyond any id
    ("ap:r:99999999999", NOT_YOURS, "ap-r-eleven-digits"),
]

# After Ann's /unpair: the buttons both were shown, tapped by the one they were for.
AFTER_UNPAIR = [
    ("ben", "ck:s:{O}", NOT_YOURS, "ben-skips-his-need"),
    ("ben", "ck:m:{O}:4", NOT_YOURS, "ben-taps-a-mood"),
    ("ben", "ck:q:{O}", NOT_YOURS, "ben-asks-another-question"),
    ("ben", "ck:k:{O}", NOT_YOURS, "ben-skips-the-question"),
    ("ben", "dp:s:1", NOT_YOURS, "ben-lowers-the-depth"),
    ("ann", "dp:y:{c1}:3", NOT_YOURS, "ann-accepts-deeper-questions"),
    ("ben", "ck:n:{R}:yes", NOT_YOURS, "ben-answers-anns-need"),
    ("ann", "ck:r:{R}:hard", NOT_YOURS, "ann-reacts"),
    ("ben", "ap:r:{A1}", NOT_YOURS, "ben-receives-appreciation"),
    ("ben", "dt:r:{P1}:accepted", NOT_YOURS, "ben-accepts-date"),
    ("ann", "dt:p:{K}", NOT_YOURS, "ann-proposes-a-date"),
    ("ann", "dt:a", NOT_YOURS, "ann-asks-another-idea"),
    ("ben", "mb:f:a:{A0}", NOT_YOURS, "ben-keeps-an-appreciation"),
    ("ann", "mb:p:{c1}:0:a", NOT_YOURS, "ann-turns-a-page"),
    ("ann", "mb:d:a:{A0}:0:a", NOT_YOURS, "ann-takes-out-her-appreciation"),
    ("ben", "rq:{Q1}:yes", NOT_YOURS, "ben-answers-request"),
    ("ben", "in:{H2}:{Sbct}", NOT_YOURS, "ben-chooses-for-held-words"),
    ("ben", "unpair:yes:{c1}", NOT_YOURS, "ben-ends-it-again"),
    ("cid", "ap:r:{A1}", NOT_YOURS, "cid-receives-appreciation"),
    ("ben", "hg:b:{G}", NOT_YOURS, "ben-hugs-back"),
    ("ben", "hg:s", NOT_YOURS, "ben-sends-a-hug"),
    ("ann", "dy:r:{D}", NOT_YOURS, "ann-removes-a-day"),
    ("ann", "dy:a:birthday", NOT_YOURS, "ann-adds-her-birthday"),
    ("ann", "ll:sh:1", CLOSED, "ann-shares-a-profile-she-never-made"),
]


class TestPaired:
    @pytest.mark.parametrize("who", ["cid", "dee"])
    @pytest.mark.parametrize("template", [pytest.param(t, id=name) for t, name in OTHER_COUPLE])
    async def test_other_couple_taps_with_real_ids(
        self, paired: World, who: str, template: str
    ) -> None:
        await assert_refused(paired, who, template, NOT_YOURS)

    @pytest.mark.parametrize(
        ("who", "template", "why"),
        [pytest.param(who, t, why, id=name) for who, t, why, name in WITHIN_COUPLE],
    )
    async def test_partner_state_and_repeat(
        self, paired: World, who: str, template: str, why: Stale
    ) -> None:
        await assert_refused(paired, who, template, why)

    @pytest.mark.parametrize(
        ("template", "why"), [pytest.param(t, why, id=name) for t, why, name in SHAPES]
    )
    async def test_forged_shapes(self, paired: World, template: str, why: Stale) -> None:
        await assert_refused(paired, "ben", template, why)

    @pytest.mark.parametrize(
        ("template", "why"),
        [
            pytest.param(
                t,
                why,
                id=name,
            )
            for t, why, name in BIG_IDS
        ],
    )
    async def test_ids_beyond_32_bits(self, paired: World, template: str, why: Stale) -> None:
        await assert_refused(paired, "cid", template.replace("{big}", INT32_OVERFLOW), why)

    @pytest.mark.parametrize(
        "template",
        [pytest.param(t, id=name) for t, name in UNICODE_DIGITS],
    )
    async def test_unicode_digits(self, paired: World, template: str) -> None:
        await assert_refused(paired, "ben", template, NOT_YOURS)

    @pytest.mark.parametrize(
        "template",
        [
            pytest.param(
                t,
                id=name,
            )
            for t, name in OTHER_COUPLE
        ],
    )
    async def test_missing_ids_are_answered_like_another_couples(
        self, paired: World, template: str
    ) -> None:
        """Cid learns nothing about couple 1 from the answers: with couple 1's ids replaced
        by ids that do not exist, the answer is the one he gets for their real ids."""
        for name in paired.ids.keys() - COUPLE_2:
            template = template.replace("{" + name + "}", MISSING_ID)
        await assert_refused(paired, "cid", template, NOT_YOURS)


class TestAfterUnpair:
    @pytest.mark.parametrize(
        ("who", "template", "why"),
        [pytest.param(who, t, why, id=name) for who, t, why, name in AFTER_UNPAIR],
    )
    async def test_buttons_after_unpair(
        self, unpaired: World, who: str, template: str, why: Stale
    ) -> None:
        await assert_refused(unpaired, who, template, why)


class TestStaleButtonsThatStillAct:
    """Stale taps that once acted (bugs found by this file, now refused)."""

    async def test_new_held_words_never_get_a_dropped_id(self, held_again: World) -> None:
        """Ids in buttons are never reused (SQLite AUTOINCREMENT)."""
        assert held_again.ids["Hn"] != held_again.ids["Hd"]

    async def test_appreciation_button_of_the_dropped_question(self, held_again: World) -> None:
        """Ben taps "Appreciation for Ann" on the question whose words he dropped: his newer
        words ("held-four") must not be sent to Ann. (One case only: the tap, when taken,
        uses up the newer words.)"""
        await assert_refused(held_again, "ben", "in:{Hd}:{Sben}", NOT_YOURS)

    async def test_propose_the_same_idea_again(self, held_again: World) -> None:
        """Ann's idea message was already turned into a proposal; a second "Propose" tap on
        it (a double tap, an old client) must not propose again."""
        ann = held_again.people["ann"]
        proposed = [m for m in ann.messages if "You proposed to Ben" in m.entities_text]
        await assert_refused(held_again, "ann", "dt:p:{K}", ALREADY, on=proposed[-1])
