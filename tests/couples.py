"""Paired couples for service-level tests (real pairing through the service)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import FakeClock
from bot.db import Database
from bot.models import User
from bot.services import pairing, users
from bot.services.users import TelegramProfile


@dataclass(frozen=True, slots=True)
class Pair:
    couple_id: int
    a: int
    b: int


async def make_couple(db: Database, clock: FakeClock, a: int, b: int) -> Pair:
    async with db.transaction() as s:
        first = await users.ensure_user(s, TelegramProfile(a, a, f"A{a}"), clock.now())
        second = await users.ensure_user(s, TelegramProfile(b, b, f"B{b}"), clock.now())
        code = (await pairing.create_invite(s, first, clock.now())).code
        joined = await pairing.join(s, second, code, clock.now())
        return Pair(joined.couple_id, a, b)


async def load(db: Database, user_id: int) -> User:
    async with db.transaction() as s:
        user = await users.get_user(s, user_id)
        assert user is not None
        return user
