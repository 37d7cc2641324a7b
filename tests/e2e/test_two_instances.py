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
from bot.local_api import BotMessage, LocalBotApi, SimulatedUser
from bot.models import OutboxMessage, OutboxStatus
from bot.services import outbox, pairing, users
from bot.services.users import TelegramProfile
from tests.e2e.test_outbox_crash import DUE_AT, PAIRED_AT, prompts_seen, seed

ROOT = Path(__file__).resolve().parents[2]


class Instance:
    """One bot process, ticking when told (the shared test clock)."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    address: str = "-"  # where the proxy forwards updates (webhook mode)

    @classmethod
    async def start(cls, api: LocalBotApi, db: Database, mode: str = "ticks") -> Instance:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.e2e.instance_worker",
            db.url,
            api.base_url,
            api.base_file_url,
            api.token,
            mode,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        instance = cls(process)
        ready, instance.address = (await instance.line()).split()
        assert ready == "ready"
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
    instances = [await Instance.start(api, db) for _ in range(2)]
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
    assert final[OutboxStatus.UNKNOWN] == in_flight  # exactly the ones it had started
    assert final[OutboxStatus.SENT] + in_flight == len(ids)  # nothing else lost
    assert in_flight > 0  # it was killed in the middle of a send
    # The dead one did deliver a share first (rows it delivered whose outcomes it had not
    # written yet, at the end of its batch, are among the `unknown` ones: never resent).
    assert sum(after.values()) > sent_by_survivor
    unknown = {row.user_id for row in rows if row.status == OutboxStatus.UNKNOWN}
    assert all(after[uid] == 1 or uid in unknown for uid in ids)


PROMPT = "Time for your check-in"
REVEAL = "Your check-in"
WEBHOOK_COUPLES = 10


async def seed_couples(
    api: LocalBotApi, db: Database, first_id: int, couples: int
) -> list[SimulatedUser]:
    ids = list(range(first_id, first_id + 2 * couples))
    people = [api.user(uid, f"P{uid}") for uid in ids]
    for uid in ids:
        api.state.chats[uid].started = True  # they have written to the bot before
    async with db.transaction() as s:
        for a, b in zip(ids[::2], ids[1::2], strict=True):
            first = await users.ensure_user(s, TelegramProfile(a, a, f"P{a}"), PAIRED_AT)
            second = await users.ensure_user(s, TelegramProfile(b, b, f"P{b}"), PAIRED_AT)
            code = (await pairing.create_invite(s, first, PAIRED_AT)).code
            await pairing.join(s, second, code, PAIRED_AT)
    return people


def prompts_since(person: SimulatedUser, seen: int) -> list[BotMessage]:
    """Check-in prompts among the messages after the first `seen` (a prompt's text changes
    once its mood is tapped)."""
    return [m for m in person.messages[seen:] if PROMPT in m.entities_text]


async def check_in(person: SimulatedUser, day: int, prompt: BotMessage | None) -> None:
    """Answer today's prompt if it came (or ask with /checkin): mood, answer, skip the need."""
    if prompt is None:
        await person.send("/checkin")
        prompt = await person.wait_for("How are you feeling")
    await person.press("🙂", prompt)
    await person.wait_for("question")
    await person.send(f"day {day} answer of {person.first_name}")
    need = await person.wait_for("anything you need")
    await person.press(need.buttons[0][0], need)


async def all_reveals(people: list[SimulatedUser], count: int) -> None:
    for person in people:
        async with asyncio.timeout(60):
            while sum(REVEAL in m.entities_text for m in person.messages) < count:  # noqa: ASYNC110
                await asyncio.sleep(0.05)  # allow-sleep: several processes' progress


@pytest.mark.timeout(600)  # two bot processes in webhook mode over two simulated days
async def test_two_webhook_instances_over_two_days_with_one_killed_mid_tick(
    api: LocalBotApi, db: Database
) -> None:
    """Two instances in webhook mode behind a round-robin proxy, one database, their clocks
    moved together by the test. Day 1: every check-in prompt once, the couples' taps and words
    spread over both instances, each check-in revealed once. Day 2: one instance is killed with
    SIGKILL in the middle of the evening's prompts; the other carries on alone."""
    people = await seed_couples(api, db, 70_000, WEBHOOK_COUPLES)
    ids = [person.id for person in people]
    instances = [await Instance.start(api, db, "webhook") for _ in range(2)]
    api.webhook_fan_out.extend(instance.address for instance in instances)
    day_one = DUE_AT.replace(hour=21, minute=0, second=30)
    prompts: dict[int, list[int]] = {uid: [] for uid in ids}  # per person, per day
    try:
        for instance in instances:
            instance.tick_at(day_one)
        sent = sum([await instance.ticked() for instance in instances])
        assert sent == len(ids)
        today = {p.id: prompts_since(p, 0) for p in people}
        for person in people:
            prompts[person.id].append(len(today[person.id]))
        await asyncio.gather(*(check_in(p, 1, today[p.id][0]) for p in people))
        await all_reveals(people, 1)
        await api.wait_webhook_delivered(timeout=60)
        served = Counter(d.url.split("/tg/")[0] for d in api.webhook_deliveries if d.ok)
        assert set(served) == {instance.address for instance in instances}

        # Day 2: one instance dies while the prompts go out.
        seen = {p.id: len(p.messages) for p in people}
        api.delay_next("sendMessage", 1.0, times=len(ids))
        day_two = day_one + timedelta(days=1)
        for instance in instances:
            instance.tick_at(day_two)
        done = [asyncio.create_task(instance.ticked()) for instance in instances]
        async with asyncio.timeout(60):
            while sum(len(prompts_since(p, seen[p.id])) for p in people) < 2:  # noqa: ASYNC110
                await asyncio.sleep(0.02)  # allow-sleep: polling other processes' progress
        victim = next((i for i, finished in enumerate(done) if not finished.done()), 0)
        dead, survivor = instances[victim], instances[1 - victim]
        dead.process.send_signal(signal.SIGKILL)
        assert await dead.process.wait() == -signal.SIGKILL
        done[victim].cancel()
        await done[1 - victim]
        api.faults.clear()
        survivor.tick_at(day_two + outbox.LEASE * 2 + timedelta(seconds=1))
        await survivor.ticked()
        today = {p.id: prompts_since(p, seen[p.id]) for p in people}
        for person in people:
            prompts[person.id].append(len(today[person.id]))
        # Everyone checks in (through the prompt, or /checkin where it was lost in flight);
        # the proxy still lists the dead instance, and retries those updates on the other.
        await asyncio.gather(
            *(check_in(p, 2, today[p.id][0] if today[p.id] else None) for p in people)
        )
        await all_reveals(people, 2)
        await api.wait_webhook_delivered(timeout=60)
    finally:
        for instance in instances:
            if instance.process.returncode is None:
                instance.process.kill()
                await instance.process.wait()

    async with db.transaction() as s:
        rows = list((await s.execute(select(OutboxMessage))).scalars())
    unknown = {row.user_id for row in rows if row.status == OutboxStatus.UNKNOWN}
    reveals = {p.id: sum(REVEAL in m.entities_text for m in p.messages) for p in people}
    delivered = Counter(d.update_id for d in api.webhook_deliveries if d.ok)
    print(
        f"\ntwo webhook instances, {len(ids)} people, 2 days: "
        f"{sum(map(sum, prompts.values()))} prompts, {len(unknown)} in flight at the kill, "
        f"{sum(reveals.values())} reveals, {len(delivered)} updates handled, "
        f"{sum(1 for n in delivered.values() if n > 1)} twice"
    )
    assert all(n == 2 for n in reveals.values())  # each check-in revealed once, both days
    assert all(days[0] == 1 for days in prompts.values())
    assert all(days[1] == 1 or (days[1] == 0 and uid in unknown) for uid, days in prompts.items())
    assert all(n == 1 for n in delivered.values())  # each update applied once
