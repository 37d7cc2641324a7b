"""Fan-out of page events to every open browser tab (server-sent events), and a logging
handler that shows the bot's errors in the page."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

PageEvent = dict[str, Any]


class Hub:
    """Every subscriber gets every event published after it subscribed, in order."""

    def __init__(self) -> None:
        self._queues: set[asyncio.Queue[PageEvent | None]] = set()

    def subscribe(self) -> asyncio.Queue[PageEvent | None]:
        queue: asyncio.Queue[PageEvent | None] = asyncio.Queue()
        self._queues.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[PageEvent | None]) -> None:
        self._queues.discard(queue)

    def publish(self, event: PageEvent) -> None:
        for queue in self._queues:
            queue.put_nowait(event)

    def close(self) -> None:
        """Tell every subscriber to finish (``None`` ends an event stream)."""
        for queue in self._queues:
            queue.put_nowait(None)


class PageErrorHandler(logging.Handler):
    """Publishes ERROR records (e.g. a handler that crashed) as ``error`` page events."""

    def __init__(self, hub: Hub, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__(level=logging.ERROR)
        self._hub = hub
        self._loop = loop

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            text += f": {type(error).__name__}: {error}"
        event = {"type": "error", "text": text[:500], "logger": record.name}
        with contextlib.suppress(RuntimeError):  # the loop is closing
            self._loop.call_soon_threadsafe(self._hub.publish, event)
