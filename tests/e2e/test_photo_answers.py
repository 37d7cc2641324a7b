"""Photo answers, as both partners see them in Telegram: a question or an appreciation prompt
that invites a picture takes a photo with its caption (kept until the reveal, or relayed at
once as that photo through the outbox, by Telegram's file id); anywhere else a photo gets the
hint of the step the bot waits for. Export shows the file id; erasure removes it."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.clock import FakeClock
from bot.context import BotApplication
from bot.db import Database
from bot.local_api import BotMessage, LocalBotApi, SimulatedUser
from bot.models import Appreciation, Base, CheckinAnswer, OutboxMessage, OutboxStatus
from bot.prompt_bank import Prompt
from bot.services import prompt_picker
from scheduler.jobs import tick
from tests.e2e.conftest import pair_up, quiet

Couple = tuple[SimulatedUser, SimulatedUser]
CAPTION = "us at the lake <3 & <b>sun</b>"
LEAD = "Today's question: "


def prefer(monkeypatch: pytest.MonkeyPatch, *, photo: bool) -> None:
    """The picker draws from the prompts that invite a photo (or from those that do not)
    whenever the pool has some: the rest of the picking is the real one."""
    original = prompt_picker.pick

    async def pick(session: Any, owner: Any, pool: Sequence[Prompt], *args: Any, **kw: Any) -> Any:
        chosen = [p for p in pool if p.invites_photo == photo]
        return await original(session, owner, chosen or pool, *args, **kw)

    monkeypatch.setattr(prompt_picker, "pick", pick)


@pytest.fixture
async def couple(api: LocalBotApi, bot: BotApplication, clock: FakeClock) -> Couple:
    clock.set(datetime(2026, 6, 8, 8, 0, tzinfo=UTC))
    ann = api.user(5001, "Ann")
    jonas = api.user(5002, "Jonas", language_code="de")
    await pair_up(api, ann, jonas)
    return ann, jonas


async def to_question(person: SimulatedUser, lead: str = LEAD) -> BotMessage:
    await person.send("/checkin")
    moods = await person.wait_for(predicate=lambda m: len(m.buttons[:1] and m.buttons[0]) == 5)
    await person.press("🙂", moods)
    await person.wait_edit(moods)
    return await person.wait_for(lead)


def file_id_of(sent: dict[str, Any]) -> str:
    return str(sent["photo"][-1]["file_id"])


async def all_values(db: Database) -> list[object]:
    found: list[object] = []
    async with db.transaction() as s:
        for table in Base.metadata.sorted_tables:
            for row in (await s.execute(select(table))).all():
                found.extend(row)
    return found


async def test_a_photo_answer_is_kept_until_the_reveal_then_sent_to_the_partner(
    api: LocalBotApi,
    bot: BotApplication,
    db: Database,
    couple: Couple,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    prefer(monkeypatch, photo=True)
    ann, jonas = couple
    question = await to_question(ann)
    assert "or a photo with a caption" in question.entities_text
    await ann.send_sticker()  # where a photo would do, the hint says so
    assert "only pass on text or a photo" in (await ann.next_message()).entities_text
    sent = await ann.send_photo(caption=CAPTION)
    photo_id = file_id_of(sent)
    need_step = await ann.wait_for("anything you need")
    assert "Saved for your check-in" in need_step.entities_text
    await quiet(api, bot, jonas)  # nothing reaches Jonas before the reveal
    async with db.transaction() as s:
        stored = (await s.execute(select(CheckinAnswer.photo_file_id))).scalars().all()
    assert photo_id in stored

    await ann.press("Skip", need_step)
    await ann.wait_for("as soon as Jonas has answered")
    frage = await to_question(jonas, "Frage des Tages")
    assert "Foto" in frage.entities_text
    await jonas.send("ein schöner Tag")
    need = await jonas.wait_for(predicate=lambda m: len(m.buttons) == 1)
    await jonas.press(need.buttons[0][0], need)

    reveal = await jonas.wait_for("Ann")
    assert "📷" in reveal.entities_text and "us at the lake" in reveal.entities_text
    photo = await jonas.wait_for(predicate=lambda m: m.media_kind == "photo")
    assert photo.file_id == photo_id  # the same photo, never downloaded and uploaded again
    assert photo.entities_text == "Ann 📷\n" + CAPTION  # the caption as written, escaped
    assert photo.parse_mode == "HTML"
    mine = await ann.wait_for("Your check-in")
    assert "📷 " + CAPTION in mine.entities_text and "ein schöner Tag" in mine.entities_text
    await quiet(api, bot, ann, jonas)  # Ann is not sent her own photo back

    # Ann's export shows her photo answer; Jonas's shows it as his partner's, once revealed.
    await ann.send("/export")
    data = json.loads((await ann.wait_for(predicate=lambda m: m.document)).document or b"")
    assert data["checkins"][0]["my_photo_file_id"] == photo_id
    assert data["checkins"][0]["my_answer"] == CAPTION
    await jonas.send("/export")
    theirs = json.loads((await jonas.wait_for(predicate=lambda m: m.document)).document or b"")
    assert theirs["checkins"][0]["partner_photo_file_id"] == photo_id


async def test_an_appreciation_photo_is_relayed_as_that_photo_with_its_caption(
    api: LocalBotApi,
    bot: BotApplication,
    db: Database,
    couple: Couple,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    prefer(monkeypatch, photo=True)
    ann, jonas = couple
    await ann.send("/appreciate")
    prompt = await ann.wait_for("photo of the two of you")
    assert "or a photo with a caption" in prompt.entities_text
    photo_id = file_id_of(await ann.send_photo(caption=CAPTION))
    await ann.wait_for("Sent to Jonas")
    relayed = await jonas.wait_for(predicate=lambda m: m.media_kind == "photo")
    assert relayed.file_id == photo_id
    assert relayed.entities_text == "💌 Liebe Worte von Ann:\n\n" + CAPTION
    assert relayed.buttons == [["Mit Liebe empfangen 💞"], ["⭐ Als Favorit merken"]]
    async with db.transaction() as s:
        rows = await s.execute(select(OutboxMessage).where(OutboxMessage.user_id == jonas.id))
        relay = [r for r in rows.scalars() if r.author_id == ann.id]
    assert [r.status for r in relay] == [OutboxStatus.SENT]  # through the outbox
    assert relay[0].payload is None  # the file id goes with the words once sent

    await jonas.press("Mit Liebe empfangen 💞", relayed)
    await ann.wait_for("received your appreciation with love")

    await ann.send("/export")
    data = json.loads((await ann.wait_for(predicate=lambda m: m.document)).document or b"")
    assert data["appreciations_sent"][0]["photo_file_id"] == photo_id

    # Erasing Ann removes the photo's file id everywhere.
    await ann.send("/deletemydata")
    confirm = await ann.next_message()
    await ann.press("Yes, delete everything", confirm)
    await ann.wait_edit(confirm)
    await jonas.wait_for("beendet")
    assert photo_id not in [str(v) for v in await all_values(db)]
    async with db.transaction() as s:
        assert (await s.execute(select(Appreciation))).scalars().all() == []


async def test_a_photo_where_none_is_invited_gets_the_steps_hint(
    api: LocalBotApi, bot: BotApplication, couple: Couple, monkeypatch: pytest.MonkeyPatch
) -> None:
    prefer(monkeypatch, photo=False)
    ann, jonas = couple
    await ann.send_photo()  # no step waits
    assert "/help" in (await ann.next_message()).entities_text
    await to_question(ann)
    await ann.send_photo(caption="look")
    hint = await ann.next_message()
    assert "only pass on text" in hint.entities_text
    assert "answer to today's question" in hint.entities_text
    # In German for Jonas, at his appreciation prompt.
    await jonas.send("/appreciate")
    await jonas.wait_for("☀️")
    await jonas.send_photo()
    assert "nur Text" in (await jonas.next_message()).entities_text
    await quiet(api, bot, ann, jonas)
    await ann.send("words after all")
    assert "anything you need" in (await ann.next_message()).entities_text


async def test_a_photo_while_several_steps_wait_goes_only_where_it_replies(
    api: LocalBotApi,
    bot: BotApplication,
    db: Database,
    couple: Couple,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    prefer(monkeypatch, photo=True)
    ann, jonas = couple
    question = await to_question(ann)
    await ann.send("/appreciate")
    await ann.wait_for("photo of the two of you")
    await ann.send_photo(caption="which one?")
    assert "as a reply to that question" in (await ann.next_message()).entities_text
    await quiet(api, bot, ann, jonas)  # nothing was relayed
    photo_id = file_id_of(await ann.send_photo(caption="for the question", reply_to=question))
    await ann.wait_for("Saved for your check-in")
    await quiet(api, bot, jonas)
    async with db.transaction() as s:
        stored = (await s.execute(select(CheckinAnswer.photo_file_id))).scalars().all()
        assert (await s.execute(select(Appreciation))).scalars().all() == []
    assert stored == [photo_id]


async def test_a_photo_answer_shared_anyway_reaches_the_partner_as_that_photo(
    api: LocalBotApi,
    bot: BotApplication,
    clock: FakeClock,
    couple: Couple,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    prefer(monkeypatch, photo=True)
    ann, jonas = couple
    await to_question(ann)
    photo_id = file_id_of(await ann.send_photo())  # no caption at all
    await ann.press("Skip", await ann.wait_for("anything you need"))
    await ann.wait_for("as soon as Jonas has answered")
    clock.advance(timedelta(hours=24, minutes=1))
    await tick(bot)
    closed = await ann.wait_for("closed before it could be shared")
    await ann.press("Share it anyway", closed)
    await ann.wait_edit(closed)
    shared = await jonas.wait_for("Ann")
    assert "📷" in shared.entities_text
    photo = await jonas.wait_for(predicate=lambda m: m.media_kind == "photo")
    assert photo.file_id == photo_id and photo.entities_text == "Ann 📷"
    await quiet(api, bot, ann, jonas)
