"""Handled update ids are recorded with the handler's own changes (`bot.services.updates`)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import pytest

from bot.clock import FakeClock
from bot.db import Database
from bot.services import updates, users
from bot.services.users import TelegramProfile
from bot.services.work import begin
from tests.couples import load

NOW = datetime(2026, 6, 8, 8, 0, tzinfo=UTC)


@asynccontextmanager
async def delivery(update_id: int) -> AsyncIterator[updates.HandlingUpdate]:
    """The handlers of one delivery of an update, as the update processor runs them."""
    current = updates.HandlingUpdate(update_id, NOW)
    token = updates.handling.set(current)
    try:
        yield current
    finally:
        updates.handling.reset(token)


async def rename(db: Database, user_id: int, name: str) -> None:
    async with begin(db) as work:
        user = await users.identify(work, TelegramProfile(user_id, user_id, name), NOW)
        assert user.first_name == name


async def test_only_a_unit_of_work_that_changed_something_records_the_update(
    db: Database, clock: FakeClock
) -> None:
    await rename(db, 7, "Ann")  # no update being handled: nothing recorded
    async with delivery(41) as handling:
        await rename(db, 7, "Ann")  # the same name: nothing written
        assert not handling.recorded and not await updates.was_handled(db, 41)
        await rename(db, 7, "Anna")
        assert handling.recorded and await updates.was_handled(db, 41)
        await rename(db, 7, "Anne")  # a later unit of work of the same update: fine
    assert (await load(db, 7)).first_name == "Anne"
    assert not await updates.was_handled(db, 42)


async def test_a_failed_unit_of_work_leaves_no_record(db: Database) -> None:
    await rename(db, 7, "Ann")
    async with delivery(41) as handling:
        with pytest.raises(RuntimeError):
            async with begin(db) as work:
                await users.identify(work, TelegramProfile(7, 7, "Changed"), NOW)
                raise RuntimeError("the handler failed here")
        assert not handling.recorded
    assert not await updates.was_handled(db, 41)
    assert (await load(db, 7)).first_name == "Ann"


async def test_a_second_delivery_of_a_handled_update_changes_nothing(db: Database) -> None:
    await rename(db, 7, "Ann")
    async with delivery(41):
        await rename(db, 7, "Anna")
    async with delivery(41):  # handled again (by another process, say) after the first
        with pytest.raises(updates.AlreadyHandled):
            await rename(db, 7, "Someone else")
    assert (await load(db, 7)).first_name == "Anna"


async def test_two_deliveries_at_once_commit_once(db: Database) -> None:
    """Two handlers of the same update running side by side (a webhook retried while the
    first delivery is still being handled): exactly one's changes are kept."""
    await rename(db, 7, "Ann")

    async def handle(name: str) -> str:
        async with delivery(41):
            try:
                async with begin(db) as work:
                    await users.identify(work, TelegramProfile(7, 7, name), NOW)
                    await asyncio.sleep(0)  # let the other one in (where the database can)
            except updates.AlreadyHandled:
                return "dropped"
            return "kept"

    results = await asyncio.gather(handle("First"), handle("Second"))
    assert sorted(results) == ["dropped", "kept"]
    kept = "First" if results[0] == "kept" else "Second"
    assert (await load(db, 7)).first_name == kept
