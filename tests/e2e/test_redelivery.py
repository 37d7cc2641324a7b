"""An update's id is recorded with the handler's own changes: a handler that failed midway
runs again when Telegram delivers the update again; one whose changes were kept does not."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import event, func, select
from telegram.ext import Application

from bot.clock import FakeClock
from bot.db import Database
from bot.local_api import LocalBotApi
from bot.models import Appreciation
from tests.e2e.conftest import pair_up, quiet
from tests.e2e.test_exchanges import check_in

WORDS = "an-answer-that-fails-once-7b1e"


@contextmanager
def refused_once(db: Database, statement_part: str) -> Iterator[list[int]]:
    """The database refuses the first statement containing `statement_part` whose values hold
    WORDS, as if the process died there: nothing of that transaction is committed. Yields the
    refusal count."""
    driver_error = db.engine.dialect.loaded_dbapi.OperationalError
    refused: list[int] = []

    def refuse_once(
        conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool
    ) -> None:
        if not refused and statement_part in statement and WORDS in str(parameters):
            refused.append(1)
            raise driver_error("the process died here")

    event.listen(db.engine.sync_engine, "before_cursor_execute", refuse_once)
    try:
        yield refused
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", refuse_once)


@pytest.fixture
def first_write_fails(db: Database) -> Iterator[list[int]]:
    """The first write of an answer holding WORDS fails (mid-handler)."""
    with refused_once(db, "checkin_answers") as refused:
        yield refused


async def test_a_handler_that_failed_midway_runs_again_when_redelivered(
    api: LocalBotApi, bot: Application, clock: FakeClock, first_write_fails: list[int]
) -> None:
    ann, ben = api.user(1001, "Ann"), api.user(1002, "Ben")
    clock.set(datetime(2026, 6, 8, 8, 0, tzinfo=UTC))
    await pair_up(api, ann, ben)
    await ann.send("/checkin")
    await ann.press("🙂", await ann.next_message())
    await ann.next_message()  # the day's question
    await api.wait_for_long_poll()
    await ann.send(f"my answer: {WORDS}")
    answer_update = api.state.last_update_id
    assert "something went wrong" in (await ann.next_message()).entities_text
    assert first_write_fails == [1]
    # Telegram delivers it again (as after a crash before PTB confirmed it): this time the
    # answer is kept and the check-in goes on to its next step.
    await api.wait_for_long_poll()
    api.redeliver(answer_update)
    assert "anything you need from Ben" in (await ann.next_message()).entities_text
    # Delivered once more after that, it changes nothing and says nothing.
    await api.wait_for_long_poll()
    api.redeliver(answer_update)
    await quiet(api, bot, ann, ben)


@pytest.fixture
def first_relay_fails(db: Database) -> Iterator[list[int]]:
    """The first outbox row holding WORDS (a relay to the partner) fails, as if the process
    died between storing the change and queueing its relay."""
    with refused_once(db, "INSERT INTO outbox") as refused:
        yield refused


async def test_words_and_their_relay_are_kept_together_or_not_at_all(
    api: LocalBotApi, bot: Application, db: Database, clock: FakeClock, first_relay_fails: list[int]
) -> None:
    ann, ben = api.user(1001, "Ann"), api.user(1002, "Ben")
    clock.set(datetime(2026, 6, 8, 8, 0, tzinfo=UTC))
    await pair_up(api, ann, ben)
    await api.wait_for_long_poll()
    await ann.send(f"/appreciate {WORDS}")
    update_id = api.state.last_update_id
    assert "something went wrong" in (await ann.next_message()).entities_text
    assert first_relay_fails == [1]
    async with db.transaction() as s:  # the appreciation went with its relay
        assert await s.scalar(select(func.count()).select_from(Appreciation)) == 0
    await quiet(api, bot, ben)
    # Redelivered, it is handled as new: stored, relayed once, confirmed to Ann.
    await api.wait_for_long_poll()
    api.redeliver(update_id)
    assert WORDS in (await ben.next_message()).entities_text
    assert "Sent to Ben" in (await ann.next_message()).entities_text
    await quiet(api, bot, ann, ben)


async def test_a_reveal_is_kept_with_the_answer_that_revealed_it(
    api: LocalBotApi, bot: Application, db: Database, clock: FakeClock, first_relay_fails: list[int]
) -> None:
    """The last answer reveals the check-in and queues both reveals in one transaction: if
    queueing fails, the answer is not kept either, and Telegram's redelivery reveals it."""
    ann, ben = api.user(1001, "Ann"), api.user(1002, "Ben")
    clock.set(datetime(2026, 6, 8, 8, 0, tzinfo=UTC))
    await pair_up(api, ann, ben)
    await check_in(ann, "🙂", "Ann's answer", None)
    await ann.wait_for("as soon as Ben has answered")
    await ben.send("/checkin")
    await ben.press("🙂", await ben.next_message())
    await ben.wait_for("question")
    await ben.send("Ben's answer")
    await ben.wait_for("anything you need")
    await api.wait_for_long_poll()
    await ben.send(f"a need: {WORDS}")  # the reveal carries it: its relay fails once
    need_update = api.state.last_update_id
    assert "something went wrong" in (await ben.next_message()).entities_text
    assert first_relay_fails == [1]
    await quiet(api, bot, ann)  # no reveal, and the check-in is not revealed either
    await api.wait_for_long_poll()
    api.redeliver(need_update)
    for person in (ann, ben):
        reveal = await person.wait_for("Your check-in")
        assert "Ann's answer" in reveal.entities_text and "Ben's answer" in reveal.entities_text
    assert WORDS in (await ann.wait_for("would like this from you")).entities_text
    await quiet(api, bot, ann, ben)
