"""A bot process killed with SIGKILL in the middle of sending 200 due prompts: another process
delivers every prompt the first had not started, exactly once, within the grace window; the
ones it was sending end as `unknown` and are never sent again; nobody gets two."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.clock import FakeClock
from bot.db import Database
from bot.local_api import LocalBotApi
from bot.models import OutboxMessage, OutboxStatus
from bot.services import outbox, pairing, users
from bot.services.users import TelegramProfile
from scheduler.jobs import tick
from tests.e2e.conftest import StartBot

COUPLES = 100
FIRST_ID = 50_000
PAIRED_AT = datetime(2026, 6, 8, 8, 0, tzinfo=UTC)
DUE_AT = datetime(2026, 6, 8, 12, 31, tzinfo=UTC)  # everyone's 12:30 appreciation (UTC zone)
ROOT = Path(__file__).resolve().parents[2]


async def seed(api: LocalBotApi, db: Database) -> list[int]:
    ids = list(range(FIRST_ID, FIRST_ID + 2 * COUPLES))
    for uid in ids:
        api.user(uid, f"P{uid}")
        api.state.chats[uid].started = True  # they have written to the bot before
    async with db.transaction() as s:
        for a, b in zip(ids[::2], ids[1::2], strict=True):
            first = await users.ensure_user(s, TelegramProfile(a, a, f"P{a}"), PAIRED_AT)
            second = await users.ensure_user(s, TelegramProfile(b, b, f"P{b}"), PAIRED_AT)
            code = (await pairing.create_invite(s, first, PAIRED_AT)).code
            await pairing.join(s, second, code, PAIRED_AT)
    return ids


def prompts_seen(api: LocalBotApi, ids: list[int]) -> Counter[int]:
    return Counter(
        {uid: len(api.state.chats[uid].bot_messages) for uid in ids if uid in api.state.chats}
    )


@pytest.mark.timeout(300)  # two bot processes and 200 couples' prompts on a busy machine
async def test_kill_9_mid_batch_loses_nothing_unstarted_and_sends_nothing_twice(
    api: LocalBotApi, db: Database, clock: FakeClock, start_bot: StartBot
) -> None:
    ids = await seed(api, db)
    api.delay_next("sendMessage", 0.05, times=10_000)  # each send takes a moment
    worker = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.e2e.outbox_worker",
        db.url,
        api.base_url,
        api.base_file_url,
        api.token,
        DUE_AT.isoformat(),
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=asyncio.subprocess.PIPE,
    )
    assert worker.stdout is not None
    assert (await asyncio.wait_for(worker.stdout.readline(), 60)).strip() == b"ticking"
    # Wait (for another process's progress: only polling can see it) until a part is sent.
    async with asyncio.timeout(50):
        while sum(prompts_seen(api, ids).values()) < 40:  # noqa: ASYNC110
            await asyncio.sleep(0.02)  # allow-sleep: polling a subprocess's progress
    worker.send_signal(signal.SIGKILL)
    assert await worker.wait() == -signal.SIGKILL
    before = prompts_seen(api, ids)

    async with db.transaction() as s:
        states = Counter(row.status for row in (await s.execute(select(OutboxMessage))).scalars())
    assert sum(states.values()) == 2 * COUPLES  # every due prompt was recorded once
    in_flight = states[OutboxStatus.SENDING]

    # The restarted (or a second) process, after the dead one's leases ran out.
    api.faults.clear()
    clock.set(DUE_AT + outbox.LEASE * 2 + timedelta(seconds=1))
    report = await tick(await start_bot())
    after = prompts_seen(api, ids)

    async with db.transaction() as s:
        rows = list((await s.execute(select(OutboxMessage))).scalars())
    final = Counter(row.status for row in rows)
    duplicated = [uid for uid in ids if after[uid] > 1]
    lost = [
        row.user_id for row in rows if row.status not in (OutboxStatus.SENT, OutboxStatus.UNKNOWN)
    ]
    print(
        f"\nkill -9 after {sum(before.values())} of {len(ids)} prompts: {in_flight} in flight, "
        f"{report.sent} sent by the second process, {final[OutboxStatus.UNKNOWN]} unknown, "
        f"{len(lost)} lost, {len(duplicated)} duplicated"
    )
    assert duplicated == []
    assert lost == []
    assert final[OutboxStatus.UNKNOWN] == in_flight  # exactly the ones it was sending
    assert final[OutboxStatus.SENT] + in_flight == len(ids)
    unknown_users = {row.user_id for row in rows if row.status == OutboxStatus.UNKNOWN}
    for uid in ids:  # everyone not in flight has their prompt, once
        assert after[uid] == 1 or uid in unknown_users
