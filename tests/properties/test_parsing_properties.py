"""What people type after /time, /timezone and /pause: nothing crashes, and whatever is
accepted reads back the same when typed the way the bot shows it."""

from __future__ import annotations

import re
from datetime import time

import pytest
from babel.dates import format_time, get_day_names
from hypothesis import example, given
from hypothesis import strategies as st

from bot.services.rituals import Ritual, is_weekly, parse_hhmm
from bot.services.time_parsing import (
    RITUAL_ALIASES,
    TIME_PATTERN,
    TimeChange,
    TimeSpecError,
    parse_clock,
    parse_time_command,
)
from bot.services.timezones import REGIONS, _key, resolve_timezone
from handlers.rituals import example as time_example
from handlers.rituals import parse_days
from locales import LANGUAGES, Translator
from tests.properties.strategies import numerals
from tests.properties.tz_support import ZONE_KEYS, zone

languages = st.sampled_from(sorted(LANGUAGES))
clock_times = st.builds(time, st.integers(0, 23), st.integers(0, 59))


def day_names(language: str) -> list[str]:
    return [
        name
        for width in ("wide", "abbreviated", "short")
        for context in ("format", "stand-alone")
        for name in get_day_names(width, context=context, locale=language).values()
    ]


# Words /time understands, with their neighbours: the fragments random text rarely hits.
VOCABULARY = sorted(
    {
        *RITUAL_ALIASES,
        "on",
        "off",
        "am",
        "pm",
        "a.m.",
        "p.m.",
        "ON",
        "Pm",
        *(name for language in LANGUAGES for name in day_names(language)),
        "21:30",
        "9",
        "12am",
        "0:00",
        "24:00",
        "23:59",
        "9.05",
        "7h15",
        "١٢:٣٠",  # Arabic-Indic digits are \d too
        "²",
        "12:60",
        "-1",
    }
)
words = st.one_of(
    st.sampled_from(VOCABULARY),
    st.from_regex(TIME_PATTERN, fullmatch=True),
    st.text(min_size=1, max_size=12),
    st.text(st.characters(exclude_categories=["Z", "Cc"]), min_size=30, max_size=60),  # long
)
# What Telegram users type after /time; python-telegram-bot splits it on whitespace.
typed = st.one_of(
    st.text(max_size=60),
    st.lists(words, max_size=5).map(" ".join),
)


def command_args(text: str) -> list[str]:
    return [word for word in text.split() if word]  # as handlers/rituals.py time_command


def as_the_bot_shows(change: TimeChange, language: str) -> list[str]:
    """The change typed back the way the bot's schedule shows it (handlers/rituals.describe:
    Babel's short time and wide weekday name in the user's language)."""
    args = [change.ritual.value]
    if change.enabled is not None:
        return [*args, "on" if change.enabled else "off"]
    assert change.at is not None
    if change.weekday is not None:
        args.append(get_day_names("wide", locale=language)[change.weekday])
    return [*args, *format_time(change.at, format="short", locale=language).split()]


def as_hhmm(change: TimeChange, language: str) -> list[str]:
    args = [change.ritual.value]
    if change.enabled is not None:
        return [*args, "on" if change.enabled else "off"]
    assert change.at is not None
    if change.weekday is not None:
        args.append(get_day_names("abbreviated", locale=language)[change.weekday])
    return [*args, change.at.strftime("%H:%M")]


@given(st.one_of(st.text(), st.from_regex(TIME_PATTERN, fullmatch=True)))
@example("١٢:٣٠")
def test_clock_parsing_never_crashes_and_round_trips(text: str) -> None:
    parsed = parse_clock(text)
    if parsed is None:
        return
    assert parsed.second == 0 and parsed.microsecond == 0 and parsed.tzinfo is None
    stored = parsed.strftime("%H:%M")  # how rituals.set_time stores it
    assert parse_hhmm(stored) == parsed
    assert parse_clock(stored) == parsed


@given(clock_times, languages)
def test_every_time_the_bot_shows_parses_back(at: time, language: str) -> None:
    shown = format_time(at, format="short", locale=language)  # e.g. "9:05\u202fPM", "21:05"
    assert parse_clock(shown) == at
    assert parse_time_command(["checkin", *shown.split()], language).at == at


@given(typed, languages)
@example("date fri 19:00", "en")
@example("recap So 6 pm", "de")
def test_time_command_only_raises_time_spec_errors_and_round_trips(
    text: str, language: str
) -> None:
    args = command_args(text)
    try:
        change = parse_time_command(args, language)
    except TimeSpecError as error:
        assert len(error.word) <= 32  # echoed back to the user
        return
    except ValueError as error:  # documented: no arguments at all
        assert not args, error
        return
    if change.enabled is None:
        assert change.at is not None
        assert (change.weekday is not None) == is_weekly(change.ritual)
        assert change.weekday is None or 0 <= change.weekday <= 6
    else:
        assert change.at is None and change.weekday is None
    assert parse_time_command(as_the_bot_shows(change, language), language) == change
    assert parse_time_command(as_hhmm(change, language), language) == change


@pytest.mark.parametrize("language", sorted(LANGUAGES))
@pytest.mark.parametrize("ritual", list(Ritual))
def test_the_example_in_each_error_message_parses(language: str, ritual: Ritual) -> None:
    command, *args = time_example(Translator(language), ritual).split()
    assert command == "/time"
    assert parse_time_command(args, language).ritual is ritual


zone_shaped = re.compile(r"[A-Za-z0-9_+\-]+(/[A-Za-z0-9_+\-]+)*")


@st.composite
def typed_zone_names(draw: st.DrawFn) -> tuple[str, str]:
    """A zone name from tzdata as someone might type it: any case, spaces or dashes for the
    underscores, " / " around the slashes, padding."""
    key = draw(st.sampled_from(ZONE_KEYS))
    parts = key.split("/")
    separator = draw(st.sampled_from(["_", " ", "-"]))
    parts = [part.replace("_", separator) for part in parts]
    text = draw(st.sampled_from(["/", " / "])).join(parts)
    text = draw(st.sampled_from([str.lower, str.upper, str.swapcase, str]))(text)
    padding = st.text(st.sampled_from(" \t\u00a0"), max_size=3)
    return key, draw(padding) + text + draw(padding)


@given(st.one_of(st.text(), st.sampled_from(ZONE_KEYS), typed_zone_names().map(lambda t: t[1])))
@example("../etc/passwd")
def test_timezone_parsing_never_crashes_and_round_trips(text: str) -> None:
    resolved = resolve_timezone(text)
    if resolved is None:
        return
    assert resolved in ZONE_KEYS or resolved == "UTC"
    zone(resolved)  # loads (from tzdata)
    # the bot shows the name without escaping (handlers/settings.py _zone_set_text)
    assert zone_shaped.fullmatch(resolved)
    # typed back as shown: the same zone
    assert resolve_timezone(resolved) == resolved


@given(typed_zone_names())
def test_typed_zone_names_resolve_to_that_zone(typed_name: tuple[str, str]) -> None:
    key, text = typed_name
    assert resolve_timezone(text) == key


@given(st.sampled_from(ZONE_KEYS))
def test_a_zones_city_resolves_to_a_zone_of_that_city(key: str) -> None:
    city = key.rsplit("/", 1)[-1]
    resolved = resolve_timezone(city.replace("_", " "))
    if key.split("/", 1)[0] in REGIONS:
        assert resolved is not None
    if resolved is not None:
        assert resolved in ZONE_KEYS or resolved == "UTC"
        assert _key(resolved.rsplit("/", 1)[-1]) == _key(city)


ascii_pause_args = st.lists(st.text(st.characters(max_codepoint=127), max_size=6), max_size=3)


@given(ascii_pause_args)
def test_pause_days_are_read_without_crashing(args: list[str]) -> None:
    days = parse_days(args)
    assert days is None or (isinstance(days, int) and days >= 1)


@given(st.lists(numerals(), max_size=2))
@example(["²"])
def test_pause_days_with_any_digits_are_read_without_crashing(args: list[str]) -> None:
    days = parse_days(args)
    assert days is None or (isinstance(days, int) and days >= 1)
