"""Words relayed only as meant, as a couple would see it in Telegram: what someone types for
their private check-in never reaches the partner as an appreciation, and the writer always
learns what became of their words."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.clock import FakeClock
from bot.context import BotApplication
from bot.local_api import LocalBotApi, SimulatedUser
from tests.e2e.conftest import pair_up, settled

Couple = tuple[SimulatedUser, SimulatedUser]
SECRET_AT_MOOD = "secret-typed-at-the-mood-step"
SECRET_ANSWER = "secret-checkin-answer-7731"
THANKS = "thank you for the soup-4410"


@pytest.fixture
async def couple(api: LocalBotApi, bot: BotApplication, clock: FakeClock) -> Couple:
    clock.set(datetime(2026, 6, 8, 18, 0, tzinfo=UTC))
    sam = api.user(3001, "Sam")
    kim = api.user(3002, "Kim")
    await pair_up(api, sam, kim)
    return sam, kim


def seen_by(person: SimulatedUser, words: str) -> bool:
    return any(
        words in (m.entities_text + (m.text or "") + (m.caption or "")) for m in person.messages
    )


async def test_checkin_words_never_become_an_appreciation(
    api: LocalBotApi, bot: BotApplication, couple: Couple
) -> None:
    sam, kim = couple
    await sam.send("/appreciate")
    appreciation_prompt = await sam.wait_for("pass them on to Kim")
    await sam.send("/checkin")
    mood_question = await sam.wait_for("How are you feeling")

    # Words while the newest step is "tap a mood": a hint, and they go nowhere.
    await sam.send(SECRET_AT_MOOD)
    hint = await sam.next_message()
    assert "faces" in hint.entities_text and "haven't kept" in hint.entities_text

    await sam.press("🙂", mood_question)
    await sam.wait_for("Today's question")
    # Two steps take words now (today's question, the noon appreciation): Sam is asked.
    await sam.send(SECRET_ANSWER)
    which = await sam.wait_for("Which is this message for?")
    labels = [row[0] for row in which.buttons]
    assert labels == [
        "My answer to today's question",
        "Appreciation for Kim (sent at once)",
        "Don't use it",
    ]
    await sam.press("My answer to today's question", which)
    chosen = await sam.wait_edit(which)
    assert "For: My answer to today's question" in chosen.entities_text
    saved = await sam.wait_for("Saved for your check-in")
    assert "Kim sees it once they have answered too" in saved.entities_text
    assert "anything you need from Kim" in saved.entities_text

    # A Telegram reply to the appreciation prompt is for the appreciation, and only that.
    await sam.send(THANKS, reply_to=appreciation_prompt)
    relay = await kim.wait_for("appreciates you")
    assert THANKS in relay.entities_text
    assert "Sent to Kim" in (await sam.wait_for("Sent to Kim")).entities_text

    await settled(api, bot)  # "never seen" needs the bot to be done first
    for secret in (SECRET_AT_MOOD, SECRET_ANSWER):
        assert not seen_by(kim, secret), secret

    # The answer is revealed to Kim only once Kim has answered too; the mood-step words never.
    await sam.press("Skip")
    await sam.wait_for("as soon as Kim has answered")
    await settled(api, bot)
    assert not seen_by(kim, SECRET_ANSWER)
    await kim.send("/checkin")
    kim_mood = await kim.wait_for("How are you feeling")
    await kim.press("😐", kim_mood)
    await kim.wait_for("Today's question")
    await kim.send("a long day, glad it's over")
    await kim.wait_for("Saved for your check-in")
    await kim.press("Skip")
    reveal = await kim.wait_for("Your check-in")
    assert SECRET_ANSWER in reveal.entities_text
    await settled(api, bot)
    assert not seen_by(kim, SECRET_AT_MOOD) and not seen_by(sam, SECRET_AT_MOOD)


async def test_held_words_can_be_dropped(
    api: LocalBotApi, bot: BotApplication, couple: Couple
) -> None:
    sam, kim = couple
    await sam.send("/help")
    help_message = await sam.wait_for("/help")
    await sam.send("/appreciate")
    await sam.wait_for("pass them on to Kim")
    # A reply to a message that waits for nothing: never guessed, even with one open step.
    await sam.send("not meant for anyone", reply_to=help_message)
    which = await sam.wait_for("Which is this message for?")
    appreciation_data = which.button_data["Appreciation for Kim (sent at once)"]
    await sam.press("Don't use it", which)
    dropped = await sam.wait_edit(which)
    assert "haven't used those words" in dropped.entities_text
    # A stale second tap on the same question changes nothing and says so.
    again = await sam.press_data(appreciation_data, which)
    assert "no longer valid" in (await sam.callback_answer(again))["text"]
    await sam.send("/help")
    await sam.wait_for("/help")
    await settled(api, bot)
    assert not seen_by(kim, "not meant for anyone")
