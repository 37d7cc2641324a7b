"""A tick's bookkeeping and composing are done a batch at a time: a few transactions for a
batch of rows, not two or three per row; the results are the same as one by one."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import FakeClock
from bot.db import Database
from bot.models import Checkin, OutboxMessage, OutboxStatus
from bot.services import pairing, users
from bot.services.rituals import Ritual
from bot.services.users import TelegramProfile
from handlers.ritual_entry import compose_rituals
from scheduler.tick import DuePrompt, Outcome, SendResult, run_tick

COUPLES = 20
PAIRED_AT = datetime(2026, 6, 8, 8, 0, tzinfo=UTC)
DUE_AT = datetime(2026, 6, 8, 12, 31, tzinfo=UTC)  # everyone's 12:30 appreciation (UTC)


def counting(db: Database, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the transactions `db` opens from now on (one element, a counter)."""
    opened = [0]
    original = db.transaction

    @asynccontextmanager
    async def transaction() -> AsyncIterator[AsyncSession]:
        opened[0] += 1
        async with original() as session:
            yield session

    monkeypatch.setattr(db, "transaction", transaction)
    return opened


async def pair_up(db: Database, couples: int) -> list[int]:
    ids = list(range(1, 2 * couples + 1))
    async with db.transaction() as s:
        for a, b in zip(ids[::2], ids[1::2], strict=True):
            first = await users.ensure_user(s, TelegramProfile(a, a, f"P{a}"), PAIRED_AT)
            second = await users.ensure_user(s, TelegramProfile(b, b, f"P{b}"), PAIRED_AT)
            code = (await pairing.create_invite(s, first, PAIRED_AT)).code
            await pairing.join(s, second, code, PAIRED_AT)
    return ids


async def test_a_batch_takes_a_few_transactions_not_two_per_row(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = await pair_up(db, COUPLES)
    sent: list[int] = []

    async def send(row: DuePrompt) -> SendResult:
        sent.append(row.user_id)
        return SendResult(Outcome.SENT)

    opened = counting(db, monkeypatch)
    report = await run_tick(db, DUE_AT, send, grace=timedelta(minutes=120))
    assert sorted(sent) == ids and report.sent == len(ids)
    # Queue, close expired, claim, mark `sending` (40 rows, 30 at a time: two groups), the
    # outcomes, and the claim that finds nothing more: 7, where one by one took 84.
    assert opened[0] <= 8
    async with db.transaction() as s:
        states = (await s.execute(select(OutboxMessage.status))).scalars().all()
    assert states == [OutboxStatus.SENT] * len(ids)


async def test_a_batch_composed_together_is_what_one_by_one_composes(
    db: Database, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    ann, ben = await pair_up(db, 1)
    clock.set(DUE_AT)
    opened = counting(db, monkeypatch)
    wanted = [
        (ann, Ritual.CHECKIN),
        (404, Ritual.CHECKIN),
        (ben, Ritual.CHECKIN),
        (ben, Ritual.APPRECIATION),
    ]
    composed = await compose_rituals(db, clock, wanted)
    assert opened[0] == 1  # one unit of work for the whole batch
    assert composed[1] is None  # nobody by that id
    first, second, thanks = composed[0], composed[2], composed[3]
    assert first is not None and second is not None and thanks is not None
    assert (first[0], second[0], thanks[0]) == (ann, ben, ben)
    assert first[1].step_id is not None and second[1].step_id is not None  # each a mood step
    assert first[1].step_id != second[1].step_id
    assert "P1" in thanks[1].text  # Ben's partner is named
    async with db.transaction() as s:  # the partners share the day's one check-in
        assert await s.scalar(select(func.count()).select_from(Checkin)) == 1
