"""The update processor: different users' updates at once, each user's own in order, and the
"everything so far was handled" signal the end-to-end tests wait on."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from telegram import Chat, Message, Update, User

from bot.update_processing import HandledUpdates, NotifyingUpdateProcessor


def update_from(update_id: int, user_id: int) -> Update:
    message = Message(
        message_id=update_id,
        date=datetime.now(UTC),
        chat=Chat(user_id, Chat.PRIVATE),
        from_user=User(user_id, f"U{user_id}", is_bot=False),
        text="hi",
    )
    return Update(update_id, message=message)


async def test_one_users_updates_wait_for_each_other_and_other_users_do_not() -> None:
    handled = HandledUpdates()
    processor = NotifyingUpdateProcessor(handled)
    events: list[str] = []
    release_first = asyncio.Event()

    async def first() -> None:
        events.append("1 starts")
        await release_first.wait()
        events.append("1 ends")

    other_ran = asyncio.Event()

    async def later(name: str) -> None:
        events.append(f"{name} runs")
        if "another" in name:
            other_ran.set()

    tasks = [
        asyncio.create_task(processor.process_update(update_from(1, 7), first())),
        asyncio.create_task(processor.process_update(update_from(2, 7), later("2 (same user)"))),
        asyncio.create_task(processor.process_update(update_from(3, 8), later("3 (another)"))),
    ]
    async with asyncio.timeout(10):  # another user's update did not wait for the first
        await other_ran.wait()
    assert events == ["1 starts", "3 (another) runs"]
    assert not handled.all_done_up_to(3)  # update 1 is still being handled
    release_first.set()
    await handled.wait_for(3, timeout=10)
    await asyncio.gather(*tasks)
    assert events == ["1 starts", "3 (another) runs", "1 ends", "2 (same user) runs"]
    assert all(update_id in handled for update_id in (1, 2, 3))


async def test_a_users_updates_keep_their_order_when_many_arrive_at_once() -> None:
    handled = HandledUpdates()
    processor = NotifyingUpdateProcessor(handled, concurrency=4)
    seen: dict[int, list[int]] = {7: [], 8: []}

    async def record(user_id: int, update_id: int) -> None:
        await asyncio.sleep(0)  # let others interleave
        seen[user_id].append(update_id)

    tasks = []
    for update_id in range(1, 41):
        user_id = 7 if update_id % 3 else 8
        update = update_from(update_id, user_id)
        tasks.append(
            asyncio.create_task(processor.process_update(update, record(user_id, update_id)))
        )
    await asyncio.gather(*tasks)
    assert seen[7] == sorted(seen[7]) and seen[8] == sorted(seen[8])
    assert len(seen[7]) + len(seen[8]) == 40
    assert handled.all_done_up_to(40)
