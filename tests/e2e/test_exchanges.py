"""The exchanges between partners, as both of them see them in Telegram."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from telegram.ext import Application

from bot.clock import FakeClock
from bot.local_api import LocalBotApi, SimulatedUser
from scheduler.jobs import tick
from tests.e2e.conftest import pair_up, quiet, settled

Couple = tuple[SimulatedUser, SimulatedUser]


@pytest.fixture
async def couple(api: LocalBotApi, bot: Application, clock: FakeClock) -> Couple:
    clock.set(datetime(2026, 6, 8, 8, 0, tzinfo=UTC))
    ann = api.user(1001, "Ann")
    jonas = api.user(1002, "Jonas", language_code="de")
    await pair_up(api, ann, jonas)
    return ann, jonas


async def check_in(person: SimulatedUser, mood: str, answer: str, need: str | None) -> None:
    await person.send("/checkin")
    question = await person.next_message()
    assert len(question.buttons[0]) == 5
    await person.press(mood, question)
    await person.wait_edit(question)
    await person.next_message()  # the day's question
    await person.send(answer)
    need_question = await person.next_message()
    if need is None:
        await person.press(need_question.buttons[0][0], need_question)
        await person.wait_edit(need_question)
    else:
        await person.send(need)


@pytest.mark.parametrize("first", ["ann", "jonas"])
async def test_checkin_is_revealed_only_when_both_answered(
    api: LocalBotApi, bot: Application, couple: Couple, first: str
) -> None:
    ann, jonas = couple
    a_first = first == "ann"
    one, other = (ann, jonas) if a_first else (jonas, ann)
    await check_in(
        one, "🙂", f"first answer by {one.first_name}", f"a walk with {other.first_name}"
    )
    saved = await one.next_message()
    assert other.first_name in saved.entities_text
    assert ("saved" in saved.entities_text) or ("gespeichert" in saved.entities_text)
    # Nothing of the first answer reached the other partner.
    await quiet(api, bot, other)

    await check_in(other, "😕", f"second answer by {other.first_name}", None)
    ann_reveal = await ann.wait_for("Your check-in")
    jonas_reveal = await jonas.wait_for("Euer Check-in")
    for reveal in (ann_reveal, jonas_reveal):
        assert "first answer by" in reveal.entities_text
        assert "second answer by" in reveal.entities_text
        assert sum(len(row) for row in reveal.buttons) == 5  # reactions, and ⭐
    assert "You" in ann_reveal.entities_text and "Du" in jonas_reveal.entities_text
    # The one need reaches the other partner, with yes / no / let's talk.
    need = await other.wait_for(predicate=lambda m: len(m.buttons) == 1 and len(m.buttons[0]) == 3)
    assert f"a walk with {other.first_name}" in need.entities_text


async def test_reactions_and_needs_are_relayed_once(
    api: LocalBotApi, bot: Application, couple: Couple
) -> None:
    ann, jonas = couple
    await check_in(ann, "😞", "long day", "a hug tonight")
    await ann.next_message()
    await check_in(jonas, "😄", "good news at work", None)
    reveal = await ann.wait_for("Your check-in")
    need = await jonas.wait_for("wünscht sich das von dir")
    assert "a hug tonight" in need.entities_text
    assert need.buttons == [["Ja", "Heute nicht", "Lass uns darüber reden"]]

    yes_data = need.button_data["Ja"]
    await jonas.press("Ja", need)
    edited = await jonas.wait_edit(need)
    assert "Deine Antwort: Ja" in edited.entities_text and edited.reply_markup is None
    relay = await ann.wait_for("answered your need")
    assert "Jonas answered your need “a hug tonight”: Yes" in relay.entities_text
    again = await jonas.press_data(yes_data, need)
    assert "Schon erledigt" in (await jonas.callback_answer(again))["text"]

    first = await ann.press("I'm so happy for you", reveal)
    assert "Sent to Jonas" in (await ann.callback_answer(first))["text"]
    got = await jonas.wait_for("reagiert")
    assert "Ann hat auf deinen Check-in reagiert: „Ich freue mich für dich“" in got.entities_text
    second = await ann.press("I'm so happy for you", reveal)
    assert "Already done" in (await ann.callback_answer(second))["text"]
    await quiet(api, bot, jonas)


async def test_one_answer_closes_after_24_hours(
    api: LocalBotApi, couple: Couple, bot: Application, clock: FakeClock
) -> None:
    ann, jonas = couple
    await check_in(ann, "🙂", "quiet day", None)
    await ann.next_message()
    await jonas.send("/checkin")
    mood = await jonas.next_message()
    clock.advance(timedelta(hours=24, minutes=1))
    await tick(bot)
    closed = await ann.wait_for("closed before it could be shared")
    assert "Jonas" not in closed.entities_text and "Only you" not in closed.entities_text
    assert closed.buttons == [["Keep it private", "Share it anyway"]]
    notice = (await jonas.wait_for("geschlossen")).entities_text
    assert "Ann" not in notice  # nobody is pointed at
    query = await jonas.press("🙂", mood)
    assert "abgeschlossen" in (await jonas.callback_answer(query))["text"]
    await ann.press("Keep it private", closed)
    kept = await ann.wait_edit(closed)
    assert "stays private" in kept.entities_text and kept.reply_markup is None
    await quiet(api, bot, ann)  # Ann's answer is never shown to Jonas or relayed
    assert not [m for m in jonas.messages if "quiet day" in m.entities_text]


async def test_sharing_anyway_reaches_the_partner_labelled_and_escaped(
    api: LocalBotApi, couple: Couple, bot: Application, clock: FakeClock
) -> None:
    ann, jonas = couple
    await check_in(ann, "🙂", "<b>quiet</b> day & night", None)
    await ann.next_message()
    clock.advance(timedelta(hours=24, minutes=1))
    await tick(bot)
    closed = await ann.wait_for("closed before it could be shared")
    share_data = closed.button_data["Share it anyway"]
    query = await ann.press("Share it anyway", closed)
    assert "Sent to Jonas" in (await ann.callback_answer(query))["text"]
    assert "shared your answer with Jonas" in (await ann.wait_edit(closed)).entities_text
    shared = await jonas.wait_for("<b>quiet</b> day & night")
    assert "Ann" in shared.entities_text and "Check-in" in shared.entities_text
    again = await ann.press_data(share_data, closed)
    assert "Already done" in (await ann.callback_answer(again))["text"]
    await quiet(api, bot, jonas)
    assert len([m for m in jonas.messages if "quiet</b>" in m.entities_text]) == 1


async def test_a_closed_check_in_is_mentioned_at_most_once_a_week(
    api: LocalBotApi, couple: Couple, bot: Application, clock: FakeClock
) -> None:
    ann, jonas = couple
    for day in range(3):  # Monday (told), Tuesday and Wednesday (not told again)
        await check_in(ann, "🙂", f"day {day}", None)
        await ann.next_message()
        clock.advance(timedelta(hours=24, minutes=1))
        await tick(bot)
        await settled(api, bot)
        ann.mark_all_read()
        jonas.mark_all_read()
    assert len([m for m in ann.messages if "closed before" in m.entities_text]) == 1
    assert len([m for m in jonas.messages if "geschlossen" in m.entities_text]) == 1
    clock.advance(timedelta(days=4))  # a week after the first notice
    await check_in(ann, "🙂", "a week later", None)
    await ann.next_message()
    clock.advance(timedelta(hours=24, minutes=1))
    await tick(bot)
    await ann.wait_for("closed before it could be shared")
    await jonas.wait_for("geschlossen")


async def test_too_long_answer_is_kept_until_shortened(couple: Couple) -> None:
    ann, _ = couple
    await ann.send("/checkin")
    await ann.press("🙂", await ann.next_message())
    await ann.next_message()
    await ann.send("x" * 501)
    ask = await ann.next_message()
    assert "501 characters" in ask.entities_text and "500" in ask.entities_text
    await ann.send("short now")
    assert "anything you need from Jonas" in (await ann.next_message()).entities_text


async def test_markup_in_partner_text_is_shown_literally(couple: Couple) -> None:
    ann, jonas = couple
    nasty = '<b>bold</b> </i> <a href="https://x.example">link</a> *star* _under_ & done'
    await check_in(ann, "🙂", nasty, "x < y & y > z")
    await ann.next_message()
    await check_in(jonas, "🙂", "fine", None)
    reveal = await jonas.wait_for("Euer Check-in")
    assert nasty in reveal.entities_text
    assert "x < y & y > z" in (await jonas.wait_for("x < y")).entities_text
    await ann.send("/appreciate " + nasty)
    relay = await jonas.wait_for("Liebe Worte von")
    assert relay.entities_text.endswith(nasty)
    await ann.send("/appreciate " + "y" * 4096)
    assert "4096 characters" in (await ann.wait_for("characters")).entities_text


async def test_appreciation_prompt_relay_and_received_tap(
    api: LocalBotApi, bot: Application, couple: Couple
) -> None:
    ann, jonas = couple
    await ann.send("/appreciate")
    prompt = await ann.next_message()
    assert "pass them on to Jonas" in prompt.entities_text
    await ann.send("You made my morning with that coffee.")
    assert "Sent to Jonas" in (await ann.next_message()).entities_text
    relay = await jonas.next_message()
    assert "Liebe Worte von Ann" in relay.entities_text
    assert "You made my morning with that coffee." in relay.entities_text
    assert relay.buttons == [["Mit Liebe empfangen 💞"], ["⭐ Als Favorit merken"]]
    received_data = relay.button_data["Mit Liebe empfangen 💞"]
    await jonas.press("Mit Liebe empfangen 💞", relay)
    assert "Jonas received your appreciation with love" in (await ann.next_message()).entities_text
    twice = await jonas.press_data(received_data, relay)
    assert "Schon erledigt" in (await jonas.callback_answer(twice))["text"]
    await quiet(api, bot, ann)


async def test_date_idea_propose_and_answers(couple: Couple) -> None:
    ann, jonas = couple
    await ann.send("/date")
    idea = await ann.next_message()
    assert idea.buttons == [["Propose to Jonas", "Another idea"]]
    first_text = idea.entities_text
    await ann.press("Another idea", idea)
    other = await ann.wait_edit(idea)
    assert other.entities_text != first_text
    await ann.press("Propose to Jonas", other)
    proposal = await jonas.next_message()
    assert "Ann schlägt ein Date vor" in proposal.entities_text
    assert proposal.buttons == [["Annehmen 💞", "Diese Woche nicht", "Andere Idee vorschlagen"]]
    await jonas.press("Annehmen 💞", proposal)
    assert "Deine Antwort: Annehmen" in (await jonas.wait_edit(proposal)).entities_text
    assert "Jonas said yes to your date" in (await ann.wait_for("said yes")).entities_text

    await ann.send("/date")
    await ann.press("Propose to Jonas", await ann.next_message())
    proposal = await jonas.next_message()
    await jonas.press("Andere Idee vorschlagen", proposal)
    assert "would like another idea" in (await ann.wait_for("another idea")).entities_text
    fresh = await jonas.wait_for("Idee für einen Date-Abend")
    assert fresh.buttons == [["Ann fragen", "Andere Idee"]]


async def test_request_answered_by_negotiation(couple: Couple) -> None:
    ann, jonas = couple
    await ann.send("/ask")
    assert "/ask Could we" in (await ann.next_message()).entities_text
    await ann.send("/ask Could you cook on Friday?")
    assert "Sent to Jonas" in (await ann.next_message()).entities_text
    request = await jonas.next_message()
    assert "Ann bittet dich" in request.entities_text
    assert request.buttons == [["Ja", "Nein", "Lass uns verhandeln"]]
    yes_data = request.button_data["Ja"]
    await jonas.press("Lass uns verhandeln", request)
    assert "negotiate" in (await ann.wait_for("negotiate")).entities_text
    await jonas.wait_for("Was schlägst du stattdessen vor")
    await jonas.send("Saturday works better")
    counter = await ann.wait_for("suggests")
    assert "Saturday works better" in counter.entities_text
    assert "Could you cook on Friday?" in counter.entities_text
    again = await jonas.press_data(yes_data, request)  # a stale "Ja" from an old client
    assert "Schon erledigt" in (await jonas.callback_answer(again))["text"]


async def test_forged_and_stale_buttons_do_nothing(
    api: LocalBotApi, bot: Application, couple: Couple, clock: FakeClock
) -> None:
    ann, jonas = couple
    eve, max_ = api.user(1066, "Eve"), api.user(1067, "Max")
    await pair_up(api, eve, max_)
    await ann.send("/ask Tea?")
    await ann.next_message()
    request = await jonas.next_message()
    data = request.button_data["Ja"]
    forged = await eve.press_data(data, request)
    assert "no longer valid" in (await eve.callback_answer(forged))["text"]
    for fake in ("ck:r:1:thanks", "ck:n:1:yes", "ap:r:1", "dt:r:1:accepted", "rq:999:yes", "zz"):
        query = await eve.press_data(fake, request)
        answer = await eve.callback_answer(query)
        assert answer.get("text"), fake
    await quiet(api, bot, ann, jonas)


async def test_unpair_in_the_middle(api: LocalBotApi, bot: Application, couple: Couple) -> None:
    ann, jonas = couple
    await ann.send("/ask Tea?")
    await ann.next_message()
    request = await jonas.next_message()
    await jonas.send("/checkin")
    await jonas.press("🙂", await jonas.next_message())
    await jonas.next_message()
    await ann.send("/unpair")
    await ann.press("Yes, end it", await ann.next_message())
    await jonas.wait_for("beendet")
    await jonas.send("my answer after the end")  # no flow is waiting any more
    assert "/help" in (await jonas.next_message()).entities_text
    query = await jonas.press("Ja", request)
    assert "gilt nicht mehr" in (await jonas.callback_answer(query))["text"]
    await quiet(api, bot, ann)


async def test_media_inside_and_outside_a_flow(couple: Couple) -> None:
    ann, _ = couple
    await ann.send_sticker()
    assert "/help" in (await ann.next_message()).entities_text
    await ann.send("/checkin")
    await ann.press("🙂", await ann.next_message())
    await ann.next_message()
    await ann.send_photo()
    assert "only pass on text" in (await ann.next_message()).entities_text
    await ann.send_voice()
    assert "answer to today's question" in (await ann.next_message()).entities_text
    await ann.send("words after all")
    assert "anything you need" in (await ann.next_message()).entities_text


async def test_recap_arrives_as_a_chart_and_figures(
    api: LocalBotApi, couple: Couple, bot: Application, clock: FakeClock
) -> None:
    ann, jonas = couple
    await check_in(ann, "🙂", "nice", None)
    await ann.next_message()
    await check_in(jonas, "😄", "schön", None)
    await ann.wait_for("Your check-in")
    await ann.send("/appreciate thank you for today")
    await ann.wait_for("Sent to Jonas")
    await ann.send("/recap")
    chart = await ann.next_message()
    assert chart.photo is not None and chart.photo[:8] == b"\x89PNG\r\n\x1a\n"
    assert "in moods" in (chart.caption or "")
    figures = (await ann.next_message()).entities_text
    assert "Your week with Jonas" in figures
    assert "You checked in together on 1 day this week" in figures
    assert "1 day in a row together" in figures
    assert "sent" not in figures and "received" not in figures and "of 7" not in figures
    assert "One appreciation from this week" in figures
    assert "“thank you for today” — Ann" in figures
    assert "A moment from your week" in figures and "“schön” — Jonas" in figures
    # Jonas gets his at his own recap time (Sunday 19:00 UTC), in German.
    clock.set(datetime(2026, 6, 14, 19, 0, tzinfo=UTC))
    await tick(bot)
    german_chart = await jonas.wait_for(predicate=lambda m: m.photo is not None)
    assert "Stimmungen" in (german_chart.caption or "")
    german = (await jonas.next_message()).entities_text
    assert "gemeinsam eingecheckt" in german and "geschickt" not in german
    # (Pacing per chat, scheduled sends included, is the rate limiter's: tests/e2e/test_pacing.py
    # runs with it on; here it is lifted, as in every other end-to-end test.)
