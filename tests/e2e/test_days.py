"""Important days (/days): the anniversary asked right after pairing, a birthday added with a
button and a date; reminders three days before and greetings on the day at 9:00 in each
partner's own zone, once (the clock is injectable: ticks are run after moving it)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from telegram.ext import Application

from bot.clock import FakeClock
from bot.local_api import LocalBotApi, SimulatedUser
from scheduler.jobs import tick
from tests.e2e.conftest import pair_up, quiet

Couple = tuple[SimulatedUser, SimulatedUser]


@pytest.fixture
async def couple(api: LocalBotApi, bot: Application, clock: FakeClock) -> Couple:
    """Ann in Berlin (UTC+2 in June), Ben in New York (UTC-4)."""
    clock.set(datetime(2026, 6, 1, 12, 0, tzinfo=UTC))
    ann, ben = api.user(1001, "Ann"), api.user(1002, "Ben")
    await pair_up(api, ann, ben)
    await ann.send("/timezone Europe/Berlin")
    await ann.wait_for("Berlin")
    await ben.send("/timezone America/New_York")
    await ben.wait_for("New_York")
    return ann, ben


NOTICE_MARKS = ("in three days", "Happy", "Today is")


def notices(person: SimulatedUser) -> list[str]:
    """The reminders and greetings among what `person` has not read yet (the tick also sends
    ritual prompts); all of it is read afterwards. Call after `tick`, which returns once what
    it sent has arrived."""
    found = [
        m.entities_text for m in person.unread if any(k in m.entities_text for k in NOTICE_MARKS)
    ]
    person.mark_all_read()
    return found


async def run_tick_at(bot: Application, clock: FakeClock, moment: datetime) -> None:
    clock.set(moment)
    await tick(bot)


async def test_anniversary_asked_after_pairing_reminded_and_greeted_in_each_zone(
    api: LocalBotApi, bot: Application, couple: Couple, clock: FakeClock
) -> None:
    ann, ben = couple
    paired = next(m for m in ben.messages if "You are now paired with Ann" in m.entities_text)
    assert paired.buttons == [["💍 Add our anniversary", "Not now"]]
    await ben.press("💍 Add our anniversary", paired)
    ask = await ben.wait_for("When is your anniversary?")
    await ben.send("14.06", reply_to=ask)
    kept = await ben.wait_for("Kept:")
    assert kept.entities_text.startswith("Kept: 💍 Your anniversary — June 14.")
    told = await ann.wait_for("added an important day")
    assert "Ben added an important day to /days: 💍 Your anniversary — June 14." in (
        told.entities_text
    )

    # June 11, 8:59 in Berlin: not yet. 9:00 in Berlin: Ann's reminder; Ben's night goes on.
    await run_tick_at(bot, clock, datetime(2026, 6, 11, 6, 59, tzinfo=UTC))
    assert notices(ann) == notices(ben) == []
    await run_tick_at(bot, clock, datetime(2026, 6, 11, 7, 0, tzinfo=UTC))
    assert notices(ann) == [
        "💍 Your anniversary is in three days, on June 14. Would you like to plan something "
        "together?"
    ]
    assert notices(ben) == []
    await run_tick_at(bot, clock, datetime(2026, 6, 11, 12, 59, tzinfo=UTC))
    assert notices(ann) == notices(ben) == []  # sent once: later ticks add nothing for Ann
    await run_tick_at(bot, clock, datetime(2026, 6, 11, 13, 0, tzinfo=UTC))  # 9:00 in New York
    assert [n[:39] for n in notices(ben)] == ["💍 Your anniversary is in three days, on"]
    assert notices(ann) == []
    await run_tick_at(bot, clock, datetime(2026, 6, 11, 20, 0, tzinfo=UTC))
    assert notices(ann) == notices(ben) == []

    # On the day, each at 9:00 in their own zone, once.
    greeting = "💍 Happy anniversary to you both! Today is your day. 💞"
    await run_tick_at(bot, clock, datetime(2026, 6, 14, 7, 0, tzinfo=UTC))
    assert (notices(ann), notices(ben)) == ([greeting], [])
    await run_tick_at(bot, clock, datetime(2026, 6, 14, 13, 0, tzinfo=UTC))
    assert (notices(ann), notices(ben)) == ([], [greeting])
    await run_tick_at(bot, clock, datetime(2026, 6, 14, 21, 0, tzinfo=UTC))
    assert notices(ann) == notices(ben) == []

    # /days lists it; Ann removes it.
    await ann.send("/days")
    listing = await ann.wait_for("Your important days")
    assert "1. 💍 Your anniversary — June 14" in listing.entities_text
    await ann.callback_answer(await ann.press("🗑 1", listing))
    assert "No important days" in (await ann.wait_edit(listing)).entities_text


async def test_a_birthday_reminder_goes_only_to_the_other_partner(
    api: LocalBotApi, bot: Application, couple: Couple, clock: FakeClock
) -> None:
    ann, ben = couple
    await ann.send("/days")
    listing = await ann.wait_for("No important days")
    await ann.press("🎂 My birthday", listing)
    await ann.wait_for("When is your birthday?")
    await ann.send("twentieth")  # not a date: asked again, nothing kept
    assert "couldn't read a date" in (await ann.next_message()).entities_text
    await ann.send("20.6")
    assert "Kept: 🎂 Your birthday — June 20" in (await ann.wait_for("Kept")).entities_text
    assert "🎂 Ann's birthday — June 20" in (await ben.wait_for("important day")).entities_text

    await quiet(api, bot, ann, ben)
    await run_tick_at(bot, clock, datetime(2026, 6, 17, 14, 0, tzinfo=UTC))  # 9:00+ for both
    assert notices(ann) == []
    assert notices(ben) == [
        "🎂 Ann's birthday is in three days, on June 20. Time to think of a small surprise?"
    ]

    await run_tick_at(bot, clock, datetime(2026, 6, 20, 14, 0, tzinfo=UTC))
    assert notices(ann) == ["🎂 Happy birthday, Ann! Wishing you a day full of warmth."]
    assert notices(ben) == [
        "🎂 Today is Ann's birthday. A good day to tell them what they mean to you."
    ]


async def test_days_without_a_partner(api: LocalBotApi, bot: Application) -> None:
    cat = api.user(1003, "Cat")
    await cat.send("/days")
    assert "not paired" in (await cat.next_message()).entities_text
