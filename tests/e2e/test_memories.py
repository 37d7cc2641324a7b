"""The memory book: paging through it in place, /remember (at once in the partner's book, a
photo kept by its file id), ⭐ favourites saved and unsaved, 🗑 for the author only, the
partner's unrevealed answer never in it, and the "on this day" line of a later check-in
(back-dated with the injectable clock; never after a low mood)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from telegram.ext import Application

from bot.clock import FakeClock
from bot.db import Database
from bot.local_api import LocalBotApi, SimulatedUser
from bot.models import MemoryNote
from scheduler.jobs import tick
from tests.e2e.conftest import pair_up, quiet
from tests.e2e.test_exchanges import check_in

Couple = tuple[SimulatedUser, SimulatedUser]


@pytest.fixture
async def couple(api: LocalBotApi, bot: Application, clock: FakeClock) -> Couple:
    clock.set(datetime(2026, 3, 8, 9, 0, tzinfo=UTC))
    ann, ben = api.user(1001, "Ann"), api.user(1002, "Ben")
    await pair_up(api, ann, ben)
    return ann, ben


async def test_paging_through_the_book_in_place(
    api: LocalBotApi, bot: Application, couple: Couple, clock: FakeClock
) -> None:
    ann, ben = couple
    for number in range(1, 8):
        clock.advance(minutes=1)
        await ann.send(f"/remember moment {number} & <more>")
        assert (
            "Kept in your memory book. Ben finds it there too"
            in (await ann.wait_for("memory book")).entities_text
        )
    await ben.send("/memories")  # the partner's book has them at once
    page = await ben.wait_for("Your story together")
    text = page.entities_text
    assert text.startswith("📖 Your story together, page 1 of 2")
    assert [f"moment {n}" in text for n in range(7, 0, -1)] == [True] * 5 + [False] * 2
    assert text.index("moment 7") < text.index("moment 3")  # newest first
    assert "“moment 7 & <more>”" in text and "Ann saved" in text
    assert page.buttons == [["▶"]]  # none of it is Ben's to take out
    await ben.press("▶", page)
    page = await ben.wait_edit(page)
    assert page.entities_text.startswith("📖 Your story together, page 2 of 2")
    assert "moment 2" in page.entities_text and "moment 3" not in page.entities_text
    assert page.buttons == [["◀"]]
    await ben.press("◀", page)
    page = await ben.wait_edit(page)
    assert "page 1 of 2" in page.entities_text and "moment 7" in page.entities_text

    await ann.send("/memories")
    own = await ann.wait_for("Your story together")
    assert own.buttons == [["🗑 1", "🗑 2", "🗑 3", "🗑 4", "🗑 5"], ["▶"]]
    await ann.press("🗑 1", own)
    own = await ann.wait_edit(own)
    assert "moment 7" not in own.entities_text and "moment 6" in own.entities_text
    await ben.send("/memories")
    assert "moment 7" not in (await ben.wait_for("Your story together")).entities_text
    await quiet(api, bot, ann, ben)


async def test_a_photo_is_kept_by_its_file_id_and_shown_again(
    api: LocalBotApi, bot: Application, couple: Couple, db: Database
) -> None:
    ann, ben = couple
    await ann.send_photo(caption="/remember the lake")
    await ann.wait_for("Kept in your memory book")
    async with db.transaction() as session:
        note = (await session.execute(select(MemoryNote))).scalar_one()
    assert note.text == "the lake" and note.photo_file_id
    await ben.send("/memories")
    page = await ben.wait_for("Your story together")
    assert "📷 “the lake”" in page.entities_text
    await ben.press("📷 1", page)
    shown = await ben.next_message()
    assert shown.media_kind == "photo"


async def test_a_favourite_is_saved_and_unsaved(
    api: LocalBotApi, bot: Application, couple: Couple
) -> None:
    ann, ben = couple
    await ann.send("/appreciate you made the <b>tea</b>")
    relay = await ben.wait_for("appreciates you")
    assert relay.buttons == [["Received with love 💞"], ["⭐ Keep as favourite"]]
    await ben.press("Received with love 💞", relay)
    relay = await ben.wait_edit(relay)
    assert relay.buttons == [["⭐ Keep as favourite"]]  # the ⭐ stays
    answer = await ben.callback_answer(await ben.press("⭐ Keep as favourite", relay))
    assert "Kept among your favourites" in answer["text"]
    assert (await ben.wait_edit(relay)).buttons == [["🌟 A favourite"]]
    await ben.send("/memories favourites")
    favourites = await ben.wait_for("Your favourites")
    assert favourites.entities_text.startswith("⭐ Your favourites, page 1 of 1")
    assert "Ann appreciated you:" in favourites.entities_text
    assert "“you made the <b>tea</b>”" in favourites.entities_text
    await ann.send("/memories favourites")  # Ben's favourite is his own
    assert "No favourites yet" in (await ann.wait_for("favourites")).entities_text

    answer = await ben.callback_answer(await ben.press("🌟 A favourite", relay))
    assert "No longer among your favourites" in answer["text"]
    assert (await ben.wait_edit(relay)).buttons == [["⭐ Keep as favourite"]]
    await ben.send("/memories favourites")
    assert "No favourites yet" in (await ben.wait_for("favourites")).entities_text
    await ben.send("/memories")
    assert "you made the" in (await ben.wait_for("Your story together")).entities_text


async def test_the_partners_unrevealed_answer_never_appears(
    api: LocalBotApi, bot: Application, couple: Couple
) -> None:
    ann, ben = couple
    await check_in(ann, "🙂", "ann-unrevealed-words", None)
    await ann.wait_for("as soon as Ben has answered")
    await ben.send("/memories")
    empty = await ben.wait_for("still empty")
    assert "ann-unrevealed-words" not in empty.entities_text
    await ann.send("/memories")
    assert "ann-unrevealed-words" not in (await ann.wait_for("still empty")).entities_text

    await check_in(ben, "😄", "ben-words", None)
    reveal = await ben.wait_for("Your check-in")
    assert reveal.buttons[-1] == ["⭐ Keep as favourite"]
    await ben.send("/memories")
    page = (await ben.wait_for("Your story together")).entities_text
    assert "You 😄: ben-words" in page and "Ann 🙂: ann-unrevealed-words" in page


@pytest.mark.parametrize(("mood", "recalled"), [("🙂", True), ("😕", False)])
async def test_on_this_day_three_months_later(
    api: LocalBotApi,
    bot: Application,
    couple: Couple,
    clock: FakeClock,
    mood: str,
    recalled: bool,
) -> None:
    ann, ben = couple
    await check_in(ann, mood, "the first snow", None)
    await ann.wait_for("as soon as Ben has answered")
    await check_in(ben, "🙂", "snow again", None)
    await ben.wait_for("Your check-in")
    await ann.wait_for("Your check-in")
    clock.set(datetime(2026, 3, 9, 9, 0, tzinfo=UTC))
    await ann.send("/remember sledding on the hill")
    await ann.wait_for("Kept in your memory book")

    clock.set(datetime(2026, 6, 8, 9, 0, tzinfo=UTC))  # three months to the day
    await ben.send("/checkin")
    question = await ben.wait_for("How are you feeling")
    text = question.entities_text
    if not recalled:  # a day with a low mood is never recalled
        assert "On this day" not in text
        return
    assert text.startswith("🕰 On this day, three months ago, ")
    assert "Ann wrote: “the first snow”" in text or "you wrote: “snow again”" in text
    assert question.buttons[0] == ["😞", "😕", "😐", "🙂", "😄"]

    clock.advance(timedelta(days=1))  # the note's day: at most one line a week per person
    await ben.send("/appreciate")
    assert "On this day" not in (await ben.wait_for("pass them on")).entities_text
    await ann.send("/appreciate")
    prompt = (await ann.wait_for("pass them on")).entities_text
    assert prompt.startswith("🕰 On this day, three months ago, you wrote: “sledding on the hill”")


async def test_a_scheduled_appreciation_prompt_carries_the_line(
    api: LocalBotApi, bot: Application, couple: Couple, clock: FakeClock
) -> None:
    ann, ben = couple
    await ann.send("/appreciate the soup you brought me")
    await ben.wait_for("appreciates you")

    clock.set(datetime(2026, 9, 8, 12, 0, tzinfo=UTC))  # six months later, before noon
    await tick(bot)  # the schedules catch up with the clock
    clock.set(datetime(2026, 9, 8, 12, 30, 10, tzinfo=UTC))  # 12:30 in their zone (UTC)
    await tick(bot)
    line = "🕰 On this day, six months ago, "
    prompt = await ann.wait_for("pass them on to Ben")
    assert prompt.entities_text.startswith(line + "you wrote: “the soup you brought me”")
    prompt = await ben.wait_for("pass them on to Ann")
    assert prompt.entities_text.startswith(line + "Ann wrote: “the soup you brought me”")
