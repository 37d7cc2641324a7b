"""Two bot instances as separate processes on one database (PostgreSQL in CI's stage 4,
SQLite otherwise), their clocks moved together by the test: they share 200 due prompts
without sending any twice; one is killed with SIGKILL in the middle of its batch, and the
other delivers everything the dead one had not started once its leases ran out."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.db import Database
from bot.local_api import LocalBotApi
from bot.models import OutboxMessage, OutboxStatus
from bot.services import outbox
from tests.e2e.test_outbox_crash import DUE_AT, prompts_seen, seed

ROOT = Path(__file__).resolve().parents[2]


class Instance:
    """One bot process, ticking when told (the shared test clock)."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    @classmethod
    async def start(cls, api: LocalBotApi, db: Database, name: str) -> Instance:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.e2e.instance_worker",
            db.url,
            api.base_url,
            api.base_file_url,
            api.token,
            name,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        instance = cls(process)
        assert await instance.line() == "ready"
        return instance

    async def line(self) -> str:
        assert self.process.stdout is not None
        return (await asyncio.wait_for(self.process.stdout.readline(), 120)).decode().strip()

    def tick_at(self, moment: datetime) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(f"{moment.isoformat()}\n".encode())

    async def ticked(self) -> int:
        answer = await self.line()
        assert answer.startswith("ticked "), answer
        return int(answer.split()[1])

    async def stop(self) -> None:
        if self.process.returncode is None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            await asyncio.wait_for(self.process.wait(), 60)


@pytest.mark.timeout(300)  # two bot processes and 200 prompts on a busy machine
async def test_two_instances_share_the_work_and_one_dies_mid_batch(
    api: LocalBotApi, db: Database
) -> None:
    ids = await seed(api, db)
    api.delay_next("sendMessage", 0.05, times=10_000)  # each send takes a moment
    instances = [await Instance.start(api, db, name) for name in ("first", "second")]
    try:
        for instance in instances:
            instance.tick_at(DUE_AT)
        done = [asyncio.create_task(instance.ticked()) for instance in instances]
        async with asyncio.timeout(60):
            while sum(prompts_seen(api, ids).values()) < 60:  # noqa: ASYNC110
                await asyncio.sleep(0.02)  # allow-sleep: polling other processes' progress
        # Kill one that is still sending (whichever claimed first may have taken it all).
        victim = next(i for i, finished in enumerate(done) if not finished.done())
        dead, survivor = instances[victim], instances[1 - victim]
        dead.process.send_signal(signal.SIGKILL)
        assert await dead.process.wait() == -signal.SIGKILL
        done[victim].cancel()
        sent_by_survivor = await done[1 - victim]  # it finishes what it had claimed
        async with db.transaction() as s:
            states = Counter(r.status for r in (await s.execute(select(OutboxMessage))).scalars())
        in_flight = states[OutboxStatus.SENDING]
        assert sum(states.values()) == len(ids)  # both ticked at once: each prompt queued once
        # Later (the same moment for every instance still alive), the dead one's leases ended.
        api.faults.clear()
        survivor.tick_at(DUE_AT + outbox.LEASE * 2 + timedelta(seconds=1))
        sent_by_survivor += await survivor.ticked()
    finally:
        for instance in instances:
            if instance.process.returncode is None:
                instance.process.kill()
                await instance.process.wait()

    after = prompts_seen(api, ids)
    async with db.transaction() as s:
        rows = list((await s.execute(select(OutboxMessage))).scalars())
    final = Counter(row.status for row in rows)
    print(
        f"\ntwo instances, one killed: {final[OutboxStatus.SENT]} sent "
        f"({sent_by_survivor} by the survivor), {in_flight} in flight at the kill, "
        f"{final[OutboxStatus.UNKNOWN]} unknown"
    )
    assert [uid for uid in ids if after[uid] > 1] == []  # nobody got two
    assert final[OutboxStatus.UNKNOWN] == in_flight  # exactly the ones it was sending
    assert final[OutboxStatus.SENT] + in_flight == len(ids)  # nothing else lost
    assert in_flight > 0  # it was killed in the middle of a send
    assert sent_by_survivor < len(ids) - in_flight  # the dead one did send a share first
    unknown = {row.user_id for row in rows if row.status == OutboxStatus.UNKNOWN}
    assert all(after[uid] == 1 or uid in unknown for uid in ids)
