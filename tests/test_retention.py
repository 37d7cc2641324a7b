"""Retention: old exchanges are pruned, recent ones stay."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot.clock import FakeClock
from bot.db import Database
from bot.models import Appreciation, Checkin, CheckinAnswer, ProcessedUpdate, PromptShown
from bot.services import pairing, retention, users
from bot.services.users import TelegramProfile


async def count(db: Database, model: type) -> int:
    async with db.transaction() as s:
        return int((await s.execute(select(func.count()).select_from(model))).scalar_one())


async def test_old_exchanges_go_recent_stay(db: Database, clock: FakeClock) -> None:
    now = clock.now()
    async with db.transaction() as s:
        ann = await users.ensure_user(s, TelegramProfile(1, 1, "Ann"), now)
        ben = await users.ensure_user(s, TelegramProfile(2, 2, "Ben"), now)
        code = (await pairing.create_invite(s, ann, now)).code
        couple = (await pairing.join(s, ben, code, now)).couple_id
        for age in (400, 366, 364, 1):
            at = now - timedelta(days=age)
            checkin = Checkin(
                couple_id=couple,
                question_key="checkin.001",
                status="revealed",
                opened_at=at,
                closes_at=at + timedelta(days=1),
            )
            s.add(checkin)
            await s.flush()
            s.add(
                CheckinAnswer(
                    checkin_id=checkin.id,
                    user_id=1,
                    step="done",
                    mood=3,
                    answer=f"{age} days ago",
                    started_at=at,
                )
            )
            s.add(
                Appreciation(
                    couple_id=couple, from_user_id=1, to_user_id=2, text=f"{age}", created_at=at
                )
            )
            s.add(PromptShown(couple_id=couple, prompt_key="checkin.001", shown_at=at))
        s.add(ProcessedUpdate(update_id=1, processed_at=now - timedelta(days=3)))
        s.add(ProcessedUpdate(update_id=2, processed_at=now))
    async with db.transaction() as s:
        counts = await retention.prune(s, now, timedelta(days=365))
    assert counts["checkins"] == 2 and counts["appreciations"] == 2
    assert await count(db, Checkin) == 2
    assert await count(db, CheckinAnswer) == 2  # answers go with their check-in
    assert await count(db, Appreciation) == 2
    assert await count(db, PromptShown) == 2
    assert await count(db, ProcessedUpdate) == 1
    async with db.transaction() as s:
        left = sorted((await s.execute(select(CheckinAnswer.answer))).scalars())
    assert left == ["1 days ago", "364 days ago"]
