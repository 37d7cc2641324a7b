"""What people type after /time."""

from __future__ import annotations

from datetime import time

import pytest

from bot.services.rituals import Ritual
from bot.services.time_parsing import TimeError, TimeSpecError, parse_clock, parse_time_command


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("21:30", time(21, 30)),
        ("9:05", time(9, 5)),
        ("07.15", time(7, 15)),
        ("21h30", time(21, 30)),
        ("9", time(9, 0)),
        ("9pm", time(21, 0)),
        ("12am", time(0, 0)),
        ("12:30 pm", time(12, 30)),
        ("0:00", time(0, 0)),
    ],
)
def test_clock_times(text: str, expected: time) -> None:
    assert parse_clock(text) == expected


@pytest.mark.parametrize("text", ["25:61", "24:00", "12:60", "13pm", "noon", "9:5", "", "-1:00"])
def test_bad_clock_times(text: str) -> None:
    assert parse_clock(text) is None


def test_daily_and_weekly_changes() -> None:
    assert parse_time_command(["checkin", "21:30"], "en").at == time(21, 30)
    change = parse_time_command(["date", "fri", "19:00"], "en")
    assert (change.ritual, change.weekday, change.at) == (Ritual.DATE, 4, time(19, 0))
    change = parse_time_command(["recap", "Sunday", "6", "pm"], "en")
    assert (change.weekday, change.at) == (6, time(18, 0))
    assert parse_time_command(["checkin", "off"], "en").enabled is False
    assert parse_time_command(["Appreciation", "ON"], "en").enabled is True


def test_weekdays_in_the_users_language() -> None:
    assert parse_time_command(["recap", "So", "18:00"], "de").weekday == 6
    assert parse_time_command(["date", "Freitag", "19:00"], "de").weekday == 4
    assert parse_time_command(["date", "fri", "19:00"], "de").weekday == 4  # English always works


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["nap", "9:00"], TimeError.UNKNOWN_RITUAL),
        (["checkin"], TimeError.MISSING_TIME),
        (["checkin", "25:61"], TimeError.BAD_TIME),
        (["checkin", "mon", "9:00"], TimeError.BAD_TIME),
        (["date", "19:00"], TimeError.MISSING_WEEKDAY),
        (["date", "fri"], TimeError.MISSING_TIME),
        (["date", "someday", "19:00"], TimeError.BAD_WEEKDAY),
        (["recap", "sun", "25:00"], TimeError.BAD_TIME),
    ],
)
def test_errors_say_what_is_wrong(args: list[str], error: TimeError) -> None:
    with pytest.raises(TimeSpecError) as caught:
        parse_time_command(args, "en")
    assert caught.value.error is error
