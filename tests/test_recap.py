"""The weekly recap: figures from a known week, the chart, and the therapist rule."""

from __future__ import annotations

import logging
import math
import random
import struct
import traceback
import warnings
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from matplotlib.text import Text
from sqlalchemy import select

import handlers.recap
from bot.clock import FakeClock
from bot.db import Database
from bot.models import Appreciation, Checkin, CheckinAnswer, DateProposal, Request, User
from bot.recap_chart import build_figure, mood_chart_png
from bot.services import pairing, recap, users
from bot.services.users import TelegramProfile
from handlers.recap import recap_text
from locales import Translator

BERLIN = ZoneInfo("Europe/Berlin")
ANN, JONAS = 1, 2
SUNDAY_EVENING = datetime(2026, 6, 14, 19, 0, tzinfo=BERLIN)  # the recap moment
MONDAY = date(2026, 6, 8)


def at(day: date, hour: int = 21) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=BERLIN).astimezone(UTC)


@pytest.fixture
async def couple_id(db: Database, clock: FakeClock) -> int:
    clock.set(datetime(2026, 5, 1, 8, 0, tzinfo=UTC))
    async with db.transaction() as s:
        ann = await users.ensure_user(s, TelegramProfile(ANN, ANN, "Ann"), clock.now())
        jonas = await users.ensure_user(s, TelegramProfile(JONAS, JONAS, "Jonas"), clock.now())
        code = (await pairing.create_invite(s, ann, clock.now())).code
        result = await pairing.join(s, jonas, code, clock.now())
        await users.set_timezone(s, ann, "Europe/Berlin", clock.now())
        await users.set_timezone(s, jonas, "Europe/Berlin", clock.now())
        return result.couple_id


async def add_checkin(
    db: Database, couple: int, day: date, moods: dict[int, int], status: str = "revealed"
) -> None:
    async with db.transaction() as s:
        row = Checkin(
            couple_id=couple,
            question_key="checkin.001",
            status=status,
            opened_at=at(day),
            closes_at=at(day) + timedelta(days=1),
        )
        s.add(row)
        await s.flush()
        for uid, mood in moods.items():
            s.add(
                CheckinAnswer(
                    checkin_id=row.id,
                    user_id=uid,
                    step="done",
                    mood=mood,
                    answer="fine",
                    started_at=at(day),
                    completed_at=at(day),
                )
            )


async def seed_week(db: Database, couple: int) -> None:
    days = [MONDAY + timedelta(days=i) for i in range(7)]
    ann_moods = [4, 3, 4, 2, 4, 5, 4]
    jonas_moods = [3, 4, 4, None, 3, 4, 5]
    await add_checkin(db, couple, MONDAY - timedelta(days=1), {ANN: 3, JONAS: 3})  # last Sunday
    for day, mine, theirs in zip(days, ann_moods, jonas_moods, strict=True):
        if theirs is None:  # Thursday: only Ann answered
            await add_checkin(db, couple, day, {ANN: mine}, status="partial")
        else:
            await add_checkin(db, couple, day, {ANN: mine, JONAS: theirs})
    async with db.transaction() as s:
        for sender, receiver, text, day in (
            (ANN, JONAS, "Thank you for the flowers", MONDAY),
            (ANN, JONAS, "You were so patient today", MONDAY + timedelta(days=3)),
            (JONAS, ANN, "Danke für das Frühstück", MONDAY + timedelta(days=5)),
            (ANN, JONAS, "last week's words", MONDAY - timedelta(days=2)),
        ):
            s.add(
                Appreciation(
                    couple_id=couple,
                    from_user_id=sender,
                    to_user_id=receiver,
                    text=text,
                    created_at=at(day, 12),
                )
            )
        # Done: accepted and planned for a day that has passed (Saturday); tonight's date
        # and a declined one are not.
        for status, planned in (
            ("accepted", MONDAY + timedelta(days=5)),
            ("accepted", MONDAY + timedelta(days=6)),
            ("declined", None),
        ):
            s.add(
                DateProposal(
                    couple_id=couple,
                    proposer_id=ANN,
                    idea_key="date.001",
                    status=status,
                    created_at=at(MONDAY + timedelta(days=3), 18),
                    planned_on=planned,
                )
            )
        for status in ("yes", "negotiate", "open"):
            s.add(
                Request(
                    couple_id=couple,
                    from_user_id=JONAS,
                    to_user_id=ANN,
                    text="tea?",
                    status=status,
                    created_at=at(MONDAY + timedelta(days=1), 9),
                )
            )


async def build_for(db: Database, reader_id: int, now: datetime, seed: int = 1) -> recap.WeekRecap:
    async with db.transaction() as s:
        reader = await s.get(User, reader_id)
        partner = await s.get(User, JONAS if reader_id == ANN else ANN)
        assert reader and partner
        return await recap.build(s, reader, partner, now.astimezone(UTC), rng=random.Random(seed))


async def test_every_figure_of_a_known_week(db: Database, couple_id: int) -> None:
    await seed_week(db, couple_id)
    week = await build_for(db, ANN, SUNDAY_EVENING)
    assert week.days[0] == MONDAY and week.days[-1] == MONDAY + timedelta(days=6)
    assert week.my_moods == [4, 3, 4, 2, 4, 5, 4]
    assert week.partner_moods == [3, 4, 4, None, 3, 4, 5]  # a gap, not a zero
    assert week.both_checked_in == 6
    assert week.streak == 3  # Fri, Sat, Sun
    assert week.dates_done == 1  # accepted and planned for a day that has passed
    assert week.favourite is not None
    assert week.favourite in {
        ("Ann", "Thank you for the flowers"),
        ("Ann", "You were so patient today"),
        ("Jonas", "Danke für das Frühstück"),
    }
    # The brightest revealed answer, the newest of equals: Jonas's 5 on Sunday (Ann's 5 was
    # on Saturday).
    assert week.moment is not None and week.moment.author == "Jonas"
    assert week.moment.words == "fine"
    assert week.suggestion is None  # nothing was low
    assert week.therapist_hint is False
    text = recap_text(Translator("en"), week)
    for expected in (
        "You checked in together on 6 days this week",
        "3 days in a row",
        "1 date together this week",
        "One appreciation from this week",
        "A moment from your week",
    ):
        assert expected in text
    # No score: nothing counted per partner, no "of 7", no best streak to fall short of.
    for score in (" sent,", "received", "of 7", "best", "asked", "answered", "proposed"):
        assert score not in text
    assert "Therapist" not in text and "therapist" not in text


async def test_a_quiet_week_shows_no_zeros(db: Database, couple_id: int) -> None:
    week = await build_for(db, ANN, SUNDAY_EVENING)
    assert (week.both_checked_in, week.streak, week.dates_done) == (0, 0, 0)
    assert week.favourite is None and week.moment is None
    text = recap_text(Translator("en"), week)
    assert "0" not in text.replace("2026", "")
    assert "A quiet week" in text
    assert "Every check-in you share starts a new streak" in text
    assert "date" not in text.split("\n", 2)[2].lower()


async def test_the_favourite_is_one_received_with_love(db: Database, couple_id: int) -> None:
    await seed_week(db, couple_id)
    async with db.transaction() as s:
        row = (
            await s.execute(select(Appreciation).where(Appreciation.text.like("Danke%")))
        ).scalar_one()
        row.received_at = row.created_at
    for seed in range(5):
        week = await build_for(db, ANN, SUNDAY_EVENING, seed=seed)
        assert week.favourite == ("Jonas", "Danke für das Frühstück")


async def test_a_low_weeks_answers_are_no_moment(db: Database, couple_id: int) -> None:
    await add_checkin(db, couple_id, MONDAY, {ANN: 2, JONAS: 1})
    await add_checkin(db, couple_id, MONDAY + timedelta(days=1), {ANN: 5}, status="partial")
    week = await build_for(db, ANN, SUNDAY_EVENING)
    assert week.moment is None


async def test_the_streak_does_not_break_before_tonights_checkin(
    db: Database, couple_id: int
) -> None:
    await seed_week(db, couple_id)
    sunday_morning = datetime(2026, 6, 15, 9, 0, tzinfo=BERLIN)  # Monday morning, not yet
    week = await build_for(db, ANN, sunday_morning)
    assert week.streak == 3  # yesterday's streak still counts
    assert "🌱" not in recap_text(Translator("en"), week)


async def test_low_week_suggests_from_what_was_low(db: Database, couple_id: int) -> None:
    for i in range(7):
        await add_checkin(db, couple_id, MONDAY + timedelta(days=i), {ANN: 2, JONAS: 3})
    week = await build_for(db, ANN, SUNDAY_EVENING)
    assert week.suggestion_reason == "mood"
    assert week.suggestion is not None and week.suggestion.practice.value == "naming_needs"
    assert week.dates_done == 0


async def test_no_date_suggests_a_date_and_few_appreciations_an_appreciation(
    db: Database, couple_id: int
) -> None:
    await add_checkin(db, couple_id, MONDAY, {ANN: 4, JONAS: 4})
    week = await build_for(db, ANN, SUNDAY_EVENING)
    assert week.suggestion_reason == "date"
    async with db.transaction() as s:
        s.add(
            DateProposal(
                couple_id=couple_id,
                proposer_id=ANN,
                idea_key="date.001",
                status="accepted",
                created_at=at(MONDAY, 18),
                planned_on=MONDAY + timedelta(days=1),
            )
        )
    week = await build_for(db, ANN, SUNDAY_EVENING)
    assert week.suggestion_reason == "appreciation"
    assert week.streak == 0
    assert "🌱 Every check-in you share starts a new streak." in recap_text(Translator("en"), week)


async def test_therapist_line_needs_two_low_weeks_and_comes_once_a_month(
    db: Database, couple_id: int
) -> None:
    for i in range(14):
        day = MONDAY - timedelta(days=7) + timedelta(days=i)
        await add_checkin(db, couple_id, day, {ANN: 2, JONAS: 1 if i >= 7 else 2})
    one_week_only = await build_for(db, ANN, SUNDAY_EVENING - timedelta(days=7))
    assert one_week_only.therapist_hint is False  # the week before had no moods at all
    first = await build_for(db, ANN, SUNDAY_EVENING)
    assert first.therapist_hint is True
    assert "couples therapist" in recap_text(Translator("en"), first)
    assert "Paartherapeut" in recap_text(Translator("de"), first)
    for i in range(14, 49):  # five more heavy weeks
        await add_checkin(
            db, couple_id, MONDAY - timedelta(days=7) + timedelta(days=i), {ANN: 1, JONAS: 2}
        )
    again = await build_for(db, ANN, SUNDAY_EVENING + timedelta(days=7))
    assert again.therapist_hint is False  # heavy again, but not twice within a month
    # Jonas has his own month: he still gets it once.
    assert (await build_for(db, JONAS, SUNDAY_EVENING)).therapist_hint is True
    later = await build_for(db, ANN, SUNDAY_EVENING + timedelta(days=35))
    assert later.therapist_hint is True


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_chart_has_one_point_per_answered_day_and_gaps() -> None:
    days = [MONDAY + timedelta(days=i) for i in range(7)]
    figure = build_figure(
        days,
        [("Ann", [4, None, 3, 5, 4, 2, None]), ("Jonas", [3, 3, 3, 4, 5, 3, 4])],
        language="en",
        title="Moods",
    )
    lines = figure.axes[0].get_lines()
    points = [sum(1 for _x, y in line.get_xydata() if not math.isnan(y)) for line in lines]
    assert points == [5, 7]
    assert [t.get_text() for t in figure.axes[0].get_legend().get_texts()] == ["Ann", "Jonas"]
    assert figure.axes[0].get_xticklabels()[0].get_text() == "Mon"


def test_chart_png_is_valid_and_german_labels() -> None:
    days = [MONDAY + timedelta(days=i) for i in range(7)]
    png = mood_chart_png(
        days, [("Ann", [4] * 7), ("Jonas", [None] * 7)], language="de", title="Eure Stimmung"
    )
    assert 10_000 < len(png) < 500_000
    assert png_size(png) == (800, 450)
    figure = build_figure(days, [("Ann", [4] * 7)], language="de", title="x")
    labels = [t.get_text() for t in figure.axes[0].get_xticklabels()]
    assert labels == ["Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa.", "So."]


async def test_partner_mood_counts_only_once_revealed(db: Database, couple_id: int) -> None:
    """An open check-in Jonas answered alone: Ann's recap must not show his mood yet."""
    for i in range(6):
        await add_checkin(db, couple_id, MONDAY + timedelta(days=i), {ANN: 4})
    sunday = MONDAY + timedelta(days=6)
    await add_checkin(db, couple_id, sunday, {JONAS: 1}, status="open")
    before = await build_for(db, ANN, SUNDAY_EVENING)
    assert before.partner_moods == [None] * 7
    assert before.suggestion_reason != "mood"  # his low mood must not leak through advice
    async with db.transaction() as s:
        checkin = (await s.execute(select(Checkin).where(Checkin.status == "open"))).scalar_one()
        checkin.status = "revealed"
        s.add(
            CheckinAnswer(
                checkin_id=checkin.id,
                user_id=ANN,
                step="done",
                mood=4,
                started_at=at(sunday),
                completed_at=at(sunday),
            )
        )
    after = await build_for(db, ANN, SUNDAY_EVENING)
    assert after.partner_moods == [None] * 6 + [1]
    assert after.suggestion_reason == "mood"
    # His own recap always shows his own mood.
    assert (await build_for(db, JONAS, SUNDAY_EVENING)).my_moods[-1] == 1


async def test_own_mood_counts_from_any_checkin(db: Database, couple_id: int) -> None:
    await add_checkin(db, couple_id, MONDAY, {ANN: 3}, status="open")
    await add_checkin(db, couple_id, MONDAY + timedelta(days=1), {ANN: 5}, status="partial")
    week = await build_for(db, ANN, SUNDAY_EVENING)
    assert week.my_moods[:2] == [3, 5]
    assert (await build_for(db, JONAS, SUNDAY_EVENING)).partner_moods == [None] * 7


async def test_therapist_rule_ignores_unrevealed_partner_moods(
    db: Database, couple_id: int
) -> None:
    """Two heavy weeks, but Jonas's moods were never shown to Ann (he answered alone)."""
    for i in range(14):
        day = MONDAY - timedelta(days=7) + timedelta(days=i)
        moods = {ANN: 2} if i % 2 == 0 else {JONAS: 1}
        await add_checkin(db, couple_id, day, moods, status="partial")
    week = await build_for(db, ANN, SUNDAY_EVENING)
    assert week.therapist_hint is False
    assert week.partner_moods == [None] * 7


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ODD_NAMES = ["$x^2$", "50$ ^_^", "\\alpha", "a$b^$", "$\\frac{$", "Аня", "😀 Ann", "李雷"]


@pytest.mark.parametrize("name", ODD_NAMES)
def test_chart_draws_any_name_literally(name: str) -> None:
    days = [MONDAY + timedelta(days=i) for i in range(7)]
    series = [(name, [3, None, 4, 4, 2, 5, 1]), (name + " 2", [None] * 7)]
    figure = build_figure(days, series, language="en", title=f"Moods of {name}")
    assert [t.get_text() for t in figure.axes[0].get_legend().get_texts()] == [name, name + " 2"]
    assert not [t.get_text() for t in figure.findobj(Text) if t.get_parse_math()]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = mood_chart_png(days, series, language="en", title=f"Moods of {name}")
    assert png[:8] == PNG_SIGNATURE
    assert not [w for w in caught if "missing from font" in str(w.message)]


async def test_a_failing_chart_still_sends_the_figures(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken_chart(*args: object, **kwargs: object) -> bytes:
        raise ValueError(f"cannot draw {args[1]}")  # the series: names included

    monkeypatch.setattr(handlers.recap, "mood_chart_png", broken_chart)
    caplog.set_level(logging.DEBUG)
    _ = Translator("en")
    week = recap.WeekRecap(
        days=[MONDAY + timedelta(days=i) for i in range(7)],
        my_moods=[3] * 7,
        partner_moods=[None] * 7,
        both_checked_in=0,
        streak=0,
        dates_done=0,
        partner_name="Jonas-name-marker",
    )
    out = await handlers.recap.recap_message(_, week, "Ann-name-marker")
    assert [(part.photo, part.text) for part in out.parts()] == [(None, recap_text(_, week))]
    failures = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(failures) == 1 and "ValueError" in failures[0].getMessage()
    logged = caplog.text + "".join(
        "".join(traceback.format_exception(*r.exc_info)) for r in caplog.records if r.exc_info
    )
    assert "name-marker" not in logged
