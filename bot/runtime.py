"""What handlers and jobs share: the database, the clock and facts about the bot."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Protocol

from bot.clock import Clock, SystemClock
from bot.db import Database
from bot.outgoing import BatchComposer, Composer, Dispatcher
from bot.ratelimit import SlidingWindow
from bot.update_processing import HandledUpdates

if TYPE_CHECKING:
    from telegram import Bot
    from telegram.ext import Application

RUNTIME_KEY = "runtime"


class TickHook(Protocol):
    """Extra work before each tick (e.g. closing expired check-ins)."""

    async def __call__(self, bot: Bot, runtime: Runtime) -> object: ...


@dataclass(slots=True)
class Runtime:
    db: Database
    clock: Clock
    # Builds a ritual's first message; set by the application factory (see handlers/).
    compose: Composer
    # The same for a batch of the scheduler's prompts, in one transaction (None: one by one).
    compose_batch: BatchComposer | None = None
    bot_username: str = field(default="")
    ritual_grace: timedelta = field(default=timedelta(minutes=120))
    retention: timedelta = field(default=timedelta(days=365))
    # Floods happen in real time: limiters read this clock, not the (movable) ritual clock.
    wall: Clock = field(default_factory=SystemClock)
    # Flood protection: updates per user, and relays to the partner per user.
    flood: SlidingWindow = field(default_factory=lambda: SlidingWindow(12, timedelta(seconds=10)))
    flood_warned: SlidingWindow = field(
        default_factory=lambda: SlidingWindow(1, timedelta(seconds=10))
    )
    relays: SlidingWindow = field(default_factory=lambda: SlidingWindow(5, timedelta(minutes=10)))
    tick_hooks: list[TickHook] = field(default_factory=list)
    # Sends outbox rows at once (set by the application factory; see scheduler.jobs).
    dispatch: Dispatcher | None = None
    # The bot's overall sending rate (messages a second): timers' edits take a share of it.
    send_rate: float = 30.0
    # What each guided flow's timer message shows now (flow part id -> text): it is edited
    # only when that changes. Lost on restart: the next pass simply edits once more.
    timer_texts: dict[int, str] = field(default_factory=dict)
    # Updates fully handled (see bot.update_processing).
    handled: HandledUpdates = field(default_factory=HandledUpdates)


def runtime_of(application: Application[Any, Any, Any, Any, Any, Any]) -> Runtime:
    runtime = application.bot_data[RUNTIME_KEY]
    assert isinstance(runtime, Runtime)
    return runtime
