"""When Telegram cannot reach a partner: the couple's rituals pause, the other partner is told
once (in the same transaction, through the outbox), and hears when they are back."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.clock import FakeClock
from bot.db import Database
from bot.models import OutboxMessage
from bot.services import reachability, users
from bot.services.people import Person
from bot.services.users import TelegramProfile
from bot.services.work import Work
from tests.couples import load, make_couple

GRACE = timedelta(hours=2)


def notice(recipient: Person, absent: Person) -> str:
    return f"to {recipient.first_name}: {absent.first_name} away"


def back(recipient: Person, returned: Person) -> str:
    return f"to {recipient.first_name}: {returned.first_name} back"


async def texts_to(db: Database, user_id: int) -> list[str]:
    async with db.transaction() as s:
        rows = await s.execute(select(OutboxMessage).where(OutboxMessage.user_id == user_id))
        return [json.loads(r.payload)["parts"][0]["text"] for r in rows.scalars()]


async def test_the_partner_is_told_once_and_hears_when_they_are_back(
    db: Database, clock: FakeClock
) -> None:
    clock.set(datetime(2026, 6, 8, 18, 0, tzinfo=UTC))
    pair = await make_couple(db, clock, 301, 302)
    await make_couple(db, clock, 401, 402)  # another couple: never told anything
    for _ in range(2):
        async with db.transaction() as s:
            await reachability.stopped_receiving(s, pair.b, clock.now(), GRACE, notice)
    assert not (await load(db, pair.b)).is_active
    assert await texts_to(db, pair.a) == ["to A301: B302 away"]

    async with db.transaction() as s:  # B writes to the bot again
        work = Work(s)
        person = await users.identify(work, TelegramProfile(pair.b, pair.b, "B302"), clock.now())
        assert await reachability.welcome_back(work, person, clock.now(), GRACE, back)
        assert await reachability.welcome_back(work, person, clock.now(), GRACE, back) is None
    assert (await load(db, pair.b)).is_active
    assert await texts_to(db, pair.a) == ["to A301: B302 away", "to A301: B302 back"]
    assert await texts_to(db, 401) == [] and await texts_to(db, 402) == []

    async with db.transaction() as s:  # away again later: told again, once
        await reachability.stopped_receiving(s, pair.b, clock.now(), GRACE, notice)
    assert (await texts_to(db, pair.a))[-1] == "to A301: B302 away"


async def test_someone_who_was_never_away_brings_no_news(db: Database, clock: FakeClock) -> None:
    clock.set(datetime(2026, 6, 8, 18, 0, tzinfo=UTC))
    pair = await make_couple(db, clock, 301, 302)
    async with db.transaction() as s:
        work = Work(s)
        person = await users.identify(work, TelegramProfile(pair.b, pair.b, "B302"), clock.now())
        assert await reachability.welcome_back(work, person, clock.now(), GRACE, back) is None
    assert await texts_to(db, pair.a) == []


async def test_nobody_is_told_about_an_unpaired_user(db: Database, clock: FakeClock) -> None:
    clock.set(datetime(2026, 6, 8, 18, 0, tzinfo=UTC))
    async with db.transaction() as s:
        await users.ensure_user(s, TelegramProfile(501, 501, "Solo"), clock.now())
    async with db.transaction() as s:
        assert await reachability.stopped_receiving(s, 501, clock.now(), GRACE, notice) is None
    assert not (await load(db, 501)).is_active
    async with db.transaction() as s:
        assert await s.scalar(select(OutboxMessage.id)) is None
