"""Words routed to a step are taken in the unit of work that routed them (`handed_on`): the
step's action runs in it and commits it; a failure before the action rolls it back."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from telegram import Chat, Message, Update, User

from bot.clock import FakeClock
from bot.db import Database
from bot.runtime import Runtime
from bot.services import users
from bot.services.people import Person
from bot.services.users import TelegramProfile
from bot.services.work import Work
from handlers.actions import handed_on, open_work, run_action
from tests.couples import load

NOW = datetime(2026, 6, 8, 8, 0, tzinfo=UTC)


async def _no_composer(*_: Any) -> None:
    return None


def words_from(user_id: int, name: str) -> Update:
    chat = Chat(id=user_id, type=Chat.PRIVATE)
    sender = User(id=user_id, first_name=name, is_bot=False)
    return Update(1, message=Message(1, NOW, chat, from_user=sender, text="hello"))


def context_for(db: Database) -> Any:
    return SimpleNamespace(runtime=Runtime(db=db, clock=FakeClock(NOW), compose=_no_composer))


async def rename(work: Work, user_id: int, name: str) -> None:
    await users.identify(work, TelegramProfile(user_id, user_id, name), NOW)


async def test_the_action_runs_in_the_work_handed_on_and_commits_it(db: Database) -> None:
    context = context_for(db)
    opened = await open_work(context.runtime, words_from(7, "Ann"))
    await rename(opened.work, 7, "Routed")  # what the routing wrote
    seen: list[Work] = []

    async def act(work: Work, user: Person, partner: Person | None, now: datetime) -> None:
        seen.append(work)

    async with handed_on(opened):
        outcome = await run_action(words_from(7, "Ann"), context, act)
        assert opened.closed  # committed by the action, before anything is sent
        assert (await load(db, 7)).first_name == "Routed"
    assert seen == [opened.work] and outcome.user == opened.user
    # The next action of the update (or of the next update) opens a unit of work of its own.
    async with handed_on(await open_work(context.runtime, words_from(7, "Ann"))):
        await run_action(words_from(7, "Ann"), context, act)
    assert seen[1] is not opened.work


async def test_a_failure_before_the_action_rolls_the_routing_back(db: Database) -> None:
    context = context_for(db)
    await (await open_work(context.runtime, words_from(7, "Ann"))).close()  # Ann is known
    opened = await open_work(context.runtime, words_from(7, "Ann"))
    await rename(opened.work, 7, "Routed")
    with pytest.raises(RuntimeError):
        async with handed_on(opened):
            raise RuntimeError("the step failed before its action")
    assert opened.closed and (await load(db, 7)).first_name == "Ann"


async def test_work_no_action_took_is_committed_when_the_step_ends(db: Database) -> None:
    context = context_for(db)
    opened = await open_work(context.runtime, words_from(7, "Ann"))
    await rename(opened.work, 7, "Routed")
    async with handed_on(opened):
        pass
    assert opened.closed and (await load(db, 7)).first_name == "Routed"
