"""Time zones for the recurrence properties: read from the `tzdata` package only, so the
results do not depend on the machine's /usr/share/zoneinfo.

Zones are built with `ZoneInfo.no_cache` while the search path is empty, and kept in a cache of
our own: `ZoneInfo`'s process-wide cache is left alone, so other tests keep the objects they
already hold.
"""

from __future__ import annotations

import functools
import importlib.metadata
import importlib.resources
import os
import zoneinfo
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

from bot.services import timezones

FIRST = datetime(2020, 1, 1, tzinfo=UTC)
END = datetime(2036, 1, 1, tzinfo=UTC)  # the properties look at 2020-2035
MINUTE = timedelta(minutes=1)
DAY = timedelta(days=1)
ZERO = timedelta(0)


@contextmanager
def tzdata_only() -> Iterator[None]:
    """An empty zoneinfo search path (and no PYTHONTZPATH): zones come from `tzdata`."""
    saved_env = os.environ.pop("PYTHONTZPATH", None)
    saved_path = zoneinfo.TZPATH
    zoneinfo.reset_tzpath(to=[])
    timezones._index.cache_clear()  # its zone list is read again, from tzdata
    try:
        yield
    finally:
        zoneinfo.reset_tzpath(to=saved_path)
        if saved_env is not None:
            os.environ["PYTHONTZPATH"] = saved_env
        timezones._index.cache_clear()


def tzdata_version() -> str:
    return importlib.metadata.version("tzdata")


def tzdata_file(key: str) -> importlib.resources.abc.Traversable:
    return importlib.resources.files("tzdata.zoneinfo").joinpath(*key.split("/"))


with tzdata_only():
    # Sorted, so that a sampled zone is the same on every machine with this tzdata.
    ZONE_KEYS: tuple[str, ...] = tuple(sorted(available_timezones()))


@functools.cache
def zone(key: str) -> ZoneInfo:
    """The zone `key` from tzdata (only while the search path is empty)."""
    if zoneinfo.TZPATH:
        raise RuntimeError("zones are loaded only inside tzdata_only()")
    return ZoneInfo.no_cache(key)


def local(moment: datetime, tz: ZoneInfo) -> datetime:
    """The naive wall-clock reading of `moment` in `tz` (UTC -> local only)."""
    return moment.astimezone(tz).replace(tzinfo=None)


def expected_firing(tz: ZoneInfo, day: date, at: time) -> datetime:
    """The first instant at which the local clock reads `day` `at` or later.

    Worked out only from UTC -> local conversions, never from `fold` or a local -> UTC
    conversion, so it is independent of the code under test: an existing time gives its
    (first) instant; a skipped time gives the instant the gap ends.
    """
    wall = datetime.combine(day, at)
    as_utc = wall.replace(tzinfo=UTC)
    # Transitions are weeks apart, so a day either side holds every offset that applies.
    offsets = {(as_utc + shift).astimezone(tz).utcoffset() for shift in (-DAY, ZERO, DAY)}
    instants = sorted(as_utc - offset for offset in offsets if offset is not None)
    hits = [u for u in instants if local(u, tz) == wall]
    if hits:
        return hits[0]
    moment = instants[0].replace(second=0, microsecond=0)
    while local(moment, tz) < wall:
        moment += MINUTE
    return moment


@dataclass(frozen=True, slots=True)
class Transition:
    key: str
    at: datetime  # UTC
    before: timedelta  # UTC offset before `at`
    after: timedelta  # UTC offset from `at` on

    @property
    def is_gap(self) -> bool:
        return self.after > self.before

    @property
    def minutes(self) -> int:
        return abs(int((self.after - self.before) / MINUTE))

    @property
    def first_wall(self) -> datetime:
        """The first local wall time that is skipped (gap) or repeated (fold)."""
        return (self.at + min(self.before, self.after)).replace(tzinfo=None)

    @property
    def end_wall(self) -> datetime:
        """The first local wall time after the skipped or repeated stretch."""
        return (self.at + max(self.before, self.after)).replace(tzinfo=None)

    @property
    def crosses_midnight(self) -> bool:
        """Whether the stretch ends on a later local date than it starts (Nuuk springs from
        23:00 straight to 00:00 of the next day)."""
        return self.end_wall.date() != self.first_wall.date()

    @property
    def shape(self) -> tuple[bool, int, time, bool]:
        return (self.is_gap, self.minutes, self.first_wall.time(), self.crosses_midnight)


def _offset(tz: ZoneInfo, seconds: int) -> timedelta | None:
    return datetime.fromtimestamp(seconds, tz).utcoffset()


def _scan(key: str) -> tuple[Transition, ...]:
    """The UTC-offset changes of `key` in 2020-2035, to the minute (weekly steps, then
    bisection; no zone changes twice within a week there)."""
    tz = zone(key)
    start, end, week = int(FIRST.timestamp()), int(END.timestamp()), 7 * 86400
    found: list[Transition] = []
    previous = _offset(tz, start)
    for seconds in range(start, end, week):
        current = _offset(tz, seconds + week)
        if current != previous and current is not None and previous is not None:
            low, high = seconds // 60, (seconds + week) // 60
            while high - low > 1:
                middle = (low + high) // 2
                if _offset(tz, middle * 60) == previous:
                    low = middle
                else:
                    high = middle
            moment = datetime.fromtimestamp(high * 60, UTC)
            found.append(Transition(key, moment, previous, current))
        previous = current
    return tuple(found)


@functools.cache
def all_transitions() -> dict[str, tuple[Transition, ...]]:
    """Every zone's transitions in 2020-2035; zones without any are left out. A coarse pass
    (every 30 days) finds the zones whose offset changes at all."""
    start, end = int(FIRST.timestamp()), int(END.timestamp())
    changing = [
        key
        for key in ZONE_KEYS
        if len({_offset(zone(key), s) for s in range(start, end, 30 * 86400)}) > 1
    ]
    return {key: found for key in changing if (found := _scan(key))}


def transitions_of(key: str) -> tuple[Transition, ...]:
    return all_transitions().get(key, ())


@functools.cache
def transitions_by_shape(gap: bool) -> dict[tuple[bool, int, time, bool], list[Transition]]:
    """Gaps (or folds) grouped by their shape: size, local start time, whether they cross
    midnight. Sampling a shape first gives the rare ones (Lord Howe's half hour, Casey's three
    hours, Nuuk's 23:00) the same weight as the hundreds of ordinary 02:00 changes."""
    groups: dict[tuple[bool, int, time, bool], list[Transition]] = defaultdict(list)
    for found in all_transitions().values():
        for transition in found:
            if transition.is_gap == gap:
                groups[transition.shape].append(transition)
    return dict(sorted(groups.items()))
