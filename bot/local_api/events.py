"""A fan-out feed of what happens in the simulated chats (for tests and a web playground).

Every event is a JSON-serialisable dict with at least ``seq``, ``at``, ``type`` and
``chat_id``. Types:

* ``message`` - a new message; ``message`` is the Bot API Message JSON, ``from_bot`` tells
  whether the bot (True) or a simulated user (False) sent it.
* ``edit`` - a bot message was edited; ``message`` is its new JSON.
* ``delete`` - a message was deleted; ``message`` is its last JSON.
* ``callback_query`` - a simulated user pressed a button (``callback_query_id``, ``data``).
* ``callback_answer`` - the bot answered a callback query (``text``, ``show_alert``, ``url``);
  ``message`` is the message the pressed button belongs to.
* ``chat_action`` - the bot sent a chat action such as ``typing`` (``action``).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from collections import deque
from collections.abc import AsyncIterator
from types import TracebackType
from typing import Any

Event = dict[str, Any]


class EventFeed:
    """Publishes events to any number of subscriber queues and keeps a bounded history."""

    def __init__(self, history_size: int = 1000) -> None:
        self._subscribers: set[asyncio.Queue[Event]] = set()
        self.history: deque[Event] = deque(maxlen=history_size)
        self._seq = itertools.count(1)

    def publish(self, event_type: str, chat_id: int, **fields: Any) -> Event:
        event: Event = {
            "seq": next(self._seq),
            "at": time.time(),
            "type": event_type,
            "chat_id": chat_id,
            **fields,
        }
        self.history.append(event)
        for queue in self._subscribers:
            queue.put_nowait(event)
        return event

    def subscribe(self) -> asyncio.Queue[Event]:
        """A queue receiving every event published from now on (unbounded)."""
        queue: asyncio.Queue[Event] = asyncio.Queue()
        self._subscribers.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[Event]) -> None:
        self._subscribers.discard(queue)

    @property
    def subscriber_count(self) -> int:
        return len(self._subscribers)

    def stream(self, chat_id: int | None = None) -> EventStream:
        return EventStream(self, chat_id)


class EventStream(AsyncIterator[Event]):
    """Async iterator over events; subscribes immediately on creation, so nothing is missed.

    Use ``async with api.events() as events: async for event in events: ...`` or call
    :meth:`close` when done. ``chat_id`` restricts the stream to one chat.
    """

    def __init__(self, feed: EventFeed, chat_id: int | None = None) -> None:
        self._feed = feed
        self._chat_id = chat_id
        self._queue: asyncio.Queue[Event] | None = feed.subscribe()

    def __aiter__(self) -> EventStream:
        return self

    async def __anext__(self) -> Event:
        while True:
            if self._queue is None:
                raise StopAsyncIteration
            event = await self._queue.get()
            if self._chat_id is None or event.get("chat_id") == self._chat_id:
                return event

    async def next(self, timeout: float = 5.0) -> Event:  # noqa: ASYNC109
        """The next event, or ``AssertionError`` after ``timeout`` seconds."""
        try:
            return await asyncio.wait_for(self.__anext__(), timeout)
        except TimeoutError:
            raise AssertionError(f"no event within {timeout:.2f}s") from None

    def close(self) -> None:
        if self._queue is not None:
            self._feed.unsubscribe(self._queue)
            self._queue = None

    async def aclose(self) -> None:
        self.close()

    async def __aenter__(self) -> EventStream:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.close()
