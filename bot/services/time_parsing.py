"""Understanding `/time` arguments: `checkin 21:30`, `date fri 19:00`, `recap So 18:00`,
`checkin off`. Weekdays are accepted in English and in the user's language."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import time

from babel.dates import get_day_names

from bot.services.rituals import Ritual, is_weekly

RITUAL_ALIASES: dict[str, Ritual] = {
    "checkin": Ritual.CHECKIN,
    "check-in": Ritual.CHECKIN,
    "appreciation": Ritual.APPRECIATION,
    "appreciate": Ritual.APPRECIATION,
    "date": Ritual.DATE,
    "recap": Ritual.RECAP,
}

TIME_PATTERN = re.compile(
    r"^(?P<h>\d{1,2})(?:[:.h](?P<m>\d{2}))?\s*(?P<ampm>am|pm|a\.m\.|p\.m\.)?$", re.IGNORECASE
)


class TimeError(enum.Enum):
    UNKNOWN_RITUAL = "unknown_ritual"
    MISSING_TIME = "missing_time"
    BAD_TIME = "bad_time"
    MISSING_WEEKDAY = "missing_weekday"
    BAD_WEEKDAY = "bad_weekday"


class TimeSpecError(ValueError):
    def __init__(self, error: TimeError, ritual: Ritual | None = None, word: str = "") -> None:
        super().__init__(error.value)
        self.error = error
        self.ritual = ritual
        self.word = word


@dataclass(frozen=True, slots=True)
class TimeChange:
    ritual: Ritual
    enabled: bool | None = None  # set for on/off
    at: time | None = None
    weekday: int | None = None


def parse_clock(text: str) -> time | None:
    """`21:30`, `9:05`, `21.30`, `21h30`, `9`, `9pm`, `9:30 am` -> time, else None."""
    match = TIME_PATTERN.match(text.strip())
    if match is None:
        return None
    hours, minutes = int(match["h"]), int(match["m"] or 0)
    ampm = (match["ampm"] or "").replace(".", "").lower()
    if ampm:
        if not 1 <= hours <= 12:
            return None
        hours = hours % 12 + (12 if ampm == "pm" else 0)
    if hours > 23 or minutes > 59:
        return None
    return time(hours, minutes)


def _weekday_names(language: str) -> dict[str, int]:
    names: dict[str, int] = {}
    for locale in ("en", language):
        for width in ("wide", "abbreviated", "short"):
            for index, name in get_day_names(width, locale=locale).items():
                names[name.lower().rstrip(".")] = index
    return names


def parse_weekday(word: str, language: str) -> int | None:
    key = word.strip().lower().rstrip(".")
    names = _weekday_names(language)
    if key in names:
        return names[key]
    if len(key) >= 2:  # unambiguous prefixes: "thur", "donn"
        hits = {i for name, i in names.items() if name.startswith(key)}
        if len(hits) == 1:
            return hits.pop()
    return None


def parse_ritual(word: str, localized_names: dict[str, Ritual] | None = None) -> Ritual | None:
    key = word.strip().lower()
    if key in RITUAL_ALIASES:
        return RITUAL_ALIASES[key]
    return (localized_names or {}).get(key)


def parse_time_command(
    args: list[str], language: str, localized_names: dict[str, Ritual] | None = None
) -> TimeChange:
    """Parse everything after `/time`; raise TimeSpecError saying what is wrong."""
    if not args:
        raise ValueError("nothing to parse: show the schedule instead")
    ritual = parse_ritual(args[0], localized_names)
    if ritual is None:
        raise TimeSpecError(TimeError.UNKNOWN_RITUAL, word=args[0][:32])
    rest = args[1:]
    if not rest:
        raise TimeSpecError(TimeError.MISSING_TIME, ritual)
    if len(rest) == 1 and rest[0].lower() in ("on", "off"):
        return TimeChange(ritual, enabled=rest[0].lower() == "on")
    clock_text = (
        " ".join(rest[-2:])
        if len(rest) >= 2 and rest[-1].lower() in ("am", "pm", "a.m.", "p.m.")
        else rest[-1]
    )
    consumed = 2 if clock_text != rest[-1] else 1
    at = parse_clock(clock_text)
    leading = rest[:-consumed]
    if is_weekly(ritual):
        if at is None and len(rest) == 1 and parse_weekday(rest[0], language) is not None:
            raise TimeSpecError(TimeError.MISSING_TIME, ritual)
        if not leading:
            if at is None:
                raise TimeSpecError(TimeError.BAD_TIME, ritual, word=clock_text[:32])
            raise TimeSpecError(TimeError.MISSING_WEEKDAY, ritual)
        weekday = parse_weekday(leading[0], language)
        if weekday is None or len(leading) > 1:
            raise TimeSpecError(TimeError.BAD_WEEKDAY, ritual, word=leading[0][:32])
        if at is None:
            raise TimeSpecError(TimeError.BAD_TIME, ritual, word=clock_text[:32])
        return TimeChange(ritual, at=at, weekday=weekday)
    if at is None or leading:
        raise TimeSpecError(TimeError.BAD_TIME, ritual, word=" ".join(rest)[:32])
    return TimeChange(ritual, at=at)
