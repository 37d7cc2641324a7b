"""Rituals arriving through Telegram at each partner's local time, with a controlled clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from telegram.ext import Application

from bot.app import build_application, start_application, stop_application
from bot.clock import FakeClock
from bot.config import Settings
from bot.db import Database
from bot.local_api import LocalBotApi, SimulatedUser
from scheduler.jobs import tick
from tests.e2e.conftest import StartBot, pair_up, quiet

APPRECIATION_EN = "I will pass them on to"
APPRECIATION_DE = "gebe sie an"
CHECKIN_EN = "Time for your check-in"
MONDAY_8_UTC = datetime(2026, 6, 8, 8, 0, tzinfo=UTC)


@pytest.fixture
async def couple(
    api: LocalBotApi, bot: Application, clock: FakeClock
) -> tuple[SimulatedUser, SimulatedUser]:
    clock.set(MONDAY_8_UTC)
    ann = api.user(1001, "Ann")
    jonas = api.user(1002, "Jonas", language_code="de")
    await pair_up(api, ann, jonas)
    await ann.send("/timezone Berlin")
    await ann.next_message()
    await jonas.send("/timezone new york")
    await jonas.next_message()
    return ann, jonas


async def test_prompts_arrive_at_each_partners_local_minute(
    api: LocalBotApi, bot: Application, clock: FakeClock, couple: tuple[SimulatedUser, ...]
) -> None:
    ann, jonas = couple
    clock.set(datetime(2026, 6, 8, 10, 29, 30, tzinfo=UTC))
    await tick(bot)
    await quiet(api, bot, ann)
    clock.set(datetime(2026, 6, 8, 10, 30, 10, tzinfo=UTC))  # 12:30 in Berlin
    await tick(bot)
    assert APPRECIATION_EN in (await ann.next_message()).entities_text
    await quiet(api, bot, jonas)
    clock.set(datetime(2026, 6, 8, 16, 30, 10, tzinfo=UTC))  # 12:30 in New York
    await tick(bot)
    assert APPRECIATION_DE in (await jonas.next_message()).entities_text
    clock.set(datetime(2026, 6, 8, 19, 0, 0, tzinfo=UTC))  # 21:00 in Berlin
    await tick(bot)
    checkin = await ann.next_message()
    assert CHECKIN_EN in checkin.entities_text
    assert len(checkin.buttons[0]) == 5  # the mood scale


async def test_time_command_lists_changes_and_explains_errors(
    api: LocalBotApi, bot: Application, clock: FakeClock, couple: tuple[SimulatedUser, ...]
) -> None:
    ann, jonas = couple
    await ann.send("/time")
    listing = (await ann.next_message()).entities_text
    assert "Europe/Berlin" in listing
    assert "every day at 9:00\u202fPM" in listing or "every day at 9:00 PM" in listing
    assert "every Thursday at 6:00" in listing and "every Sunday at 7:00" in listing

    await jonas.send("/time")
    listing = (await jonas.next_message()).entities_text
    assert "jeden Donnerstag um 18:00" in listing and "jeden Sonntag um 19:00" in listing

    await ann.send("/time checkin 21:30")
    assert "every day at 9:30" in (await ann.next_message()).entities_text
    await jonas.send("/time recap So 18:00")
    assert "jeden Sonntag um 18:00" in (await jonas.next_message()).entities_text
    await ann.send("/time appreciation off")
    assert "Appreciation: every day at 12:30\u202fPM — off" in (
        await ann.next_message()
    ).entities_text.replace(" PM", "\u202fPM")

    for command, expected in (
        ("/time checkin 25:61", "“25:61” is not a time I understand"),
        ("/time nap 9:00", "I don't know a ritual called “nap”"),
        ("/time date 19:00", "please add a weekday, for example: /time date fri 19:00"),
        ("/time date someday 19:00", "“someday” is not a weekday I know"),
        ("/time checkin", "Please add a time, for example: /time checkin 21:30"),
    ):
        await ann.send(command)
        assert expected in (await ann.next_message()).entities_text, command
    await jonas.send("/time date 19:00")
    assert "/time date fr. 19:00" in (await jonas.next_message()).entities_text

    # The changed time is honoured: 21:30 Berlin = 19:30 UTC.
    clock.set(datetime(2026, 6, 8, 19, 0, tzinfo=UTC))
    await tick(bot)
    await quiet(api, bot, ann)
    clock.set(datetime(2026, 6, 8, 19, 30, tzinfo=UTC))
    await tick(bot)
    assert CHECKIN_EN in (await ann.next_message()).entities_text


async def test_the_pause_belongs_to_the_one_who_asked(
    api: LocalBotApi, bot: Application, clock: FakeClock, couple: tuple[SimulatedUser, ...]
) -> None:
    ann, jonas = couple
    await ann.send("/pause 99")
    assert "from 1 to 90" in (await ann.next_message()).entities_text
    await ann.send("/pause 7")
    assert "paused until June 15, 2026" in (await ann.next_message()).entities_text
    notice = (await jonas.next_message()).entities_text
    assert "Ann" in notice and "15. Juni 2026" in notice
    assert "/resume" not in notice  # not invited to end Ann's pause
    await jonas.send("/time")
    overview = (await jonas.next_message()).entities_text
    assert "pausieren bis 15. Juni 2026" in overview and "/resume" not in overview
    clock.set(datetime(2026, 6, 8, 19, 0, tzinfo=UTC))
    await tick(bot)
    await quiet(api, bot, ann)
    # Jonas cannot end it alone: Ann is asked, and the pause holds until she ends it.
    await jonas.send("/resume")
    refused = (await jonas.next_message()).entities_text
    assert "Ann" in refused and "laufen wieder" not in refused
    wished = (await ann.next_message()).entities_text
    assert "Jonas would like to start your rituals again" in wished and "/resume" in wished
    clock.set(datetime(2026, 6, 9, 19, 0, tzinfo=UTC))
    await tick(bot)
    await quiet(api, bot, ann, jonas)
    await ann.send("/resume")
    assert "back on" in (await ann.next_message()).entities_text
    assert "Ann hat eure Rituale wieder gestartet" in (await jonas.next_message()).entities_text
    clock.set(datetime(2026, 6, 10, 19, 0, tzinfo=UTC))
    await tick(bot)
    assert CHECKIN_EN in (await ann.next_message()).entities_text


async def test_restart_in_the_due_minute_sends_nothing_twice(
    api: LocalBotApi,
    bot: Application,
    start_bot: StartBot,
    clock: FakeClock,
    couple: tuple[SimulatedUser, ...],
) -> None:
    from bot.app import stop_application

    ann, _ = couple
    clock.set(datetime(2026, 6, 8, 10, 30, tzinfo=UTC))
    await tick(bot)
    await stop_application(bot)
    restarted = await start_bot()
    await tick(restarted)  # returns once its sends are done; the new process got no update
    await ann.next_message()
    ann.assert_no_unread()
    assert len([m for m in ann.messages if APPRECIATION_EN in (m.text or "")]) == 1


async def test_429_is_waited_out_and_delivered_once(
    api: LocalBotApi, bot: Application, clock: FakeClock, couple: tuple[SimulatedUser, ...]
) -> None:
    ann, _ = couple
    api.fail_next("sendMessage", error_code=429, retry_after=1, chat_id=ann.chat_id)
    clock.set(datetime(2026, 6, 8, 10, 30, tzinfo=UTC))
    report = await tick(bot)
    assert report.sent == 1
    assert APPRECIATION_EN in (await ann.next_message()).entities_text
    await quiet(api, bot, ann)


async def test_5xx_is_retried(
    api: LocalBotApi, bot: Application, clock: FakeClock, couple: tuple[SimulatedUser, ...]
) -> None:
    ann, _ = couple
    api.fail_next("sendMessage", error_code=502, chat_id=ann.chat_id, times=1)
    clock.set(datetime(2026, 6, 8, 10, 30, tzinfo=UTC))
    report = await tick(bot)
    assert report.sent == 1 and report.failed == 0
    assert APPRECIATION_EN in (await ann.next_message()).entities_text


async def test_blocked_partner_pauses_the_couple_and_the_other_is_told_once(
    api: LocalBotApi, bot: Application, clock: FakeClock, couple: tuple[SimulatedUser, ...]
) -> None:
    ann, jonas = couple
    api.block(jonas.id)
    clock.set(datetime(2026, 6, 8, 16, 30, tzinfo=UTC))  # Jonas's 12:30
    report = await tick(bot)
    assert report.failed == 1
    notice = await ann.next_message()
    assert "Jonas isn't receiving my messages at the moment" in notice.entities_text
    assert "blocked" not in notice.entities_text  # no guess at why
    clock.set(datetime(2026, 6, 9, 1, 0, tzinfo=UTC))  # Jonas's 21:00: no second notice
    report = await tick(bot)
    assert report.skipped_inactive == 1
    # Ann's own rituals are shared ones: they pause too while Jonas cannot be reached.
    clock.set(datetime(2026, 6, 9, 10, 30, tzinfo=UTC))  # Ann's 12:30
    report = await tick(bot)
    assert (report.claimed, report.skipped_inactive, report.sent) == (1, 1, 0)
    await quiet(api, bot, ann)
    # When Jonas writes again, Ann hears it, and both partners' rituals come back.
    api.unblock(jonas.id)
    await jonas.send("/time")
    await jonas.next_message()
    await tick(bot)  # the next tick tells Ann
    assert "Jonas is receiving my messages again" in (await ann.next_message()).entities_text
    clock.set(datetime(2026, 6, 9, 16, 30, tzinfo=UTC))
    await tick(bot)
    assert APPRECIATION_DE in (await jonas.next_message()).entities_text
    clock.set(datetime(2026, 6, 10, 10, 30, tzinfo=UTC))  # Ann's 12:30
    await tick(bot)
    assert APPRECIATION_EN in (await ann.next_message()).entities_text
    # Blocked again later: Ann is told again (once).
    api.block(jonas.id)
    clock.set(datetime(2026, 6, 10, 16, 30, tzinfo=UTC))
    await tick(bot)
    assert "isn't receiving my messages" in (await ann.next_message()).entities_text
    await quiet(api, bot, ann)


@pytest.mark.parametrize(
    ("start", "first_fire", "night_end"),
    [
        # Spring forward (2026-03-29): 02:30 does not exist in Berlin; fires once at 03:00.
        (
            datetime(2026, 3, 28, 12, 0, tzinfo=UTC),
            datetime(2026, 3, 29, 1, 0, tzinfo=UTC),
            datetime(2026, 3, 29, 6, 0, tzinfo=UTC),
        ),
        # Fall back (2026-10-25): 02:30 happens twice in Berlin; fires once, the first time.
        (
            datetime(2026, 10, 24, 12, 0, tzinfo=UTC),
            datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
            datetime(2026, 10, 25, 6, 0, tzinfo=UTC),
        ),
    ],
    ids=["spring-forward", "fall-back"],
)
async def test_daylight_saving_nights_fire_exactly_once(
    api: LocalBotApi,
    bot: Application,
    clock: FakeClock,
    start: datetime,
    first_fire: datetime,
    night_end: datetime,
) -> None:
    clock.set(start)
    ann, ben = api.user(1001, "Ann"), api.user(1002, "Ben")
    await pair_up(api, ann, ben)
    for person in (ann, ben):
        await person.send("/time appreciation off")
        await person.next_message()
    await ann.send("/timezone Berlin")
    await ann.next_message()
    await ann.send("/time checkin 2:30")
    await ann.next_message()
    clock.set(first_fire - timedelta(minutes=1))
    await tick(bot)
    await quiet(api, bot, ann)
    clock.set(first_fire)
    await tick(bot)
    assert CHECKIN_EN in (await ann.next_message()).entities_text
    while clock.now() < night_end:  # the rest of the night, minute by minute
        clock.advance(minutes=5)
        await tick(bot)
    await quiet(api, bot, ann)
    assert sum(CHECKIN_EN in (m.text or "") for m in ann.messages) == 1


async def test_the_repeating_job_delivers_without_help(
    api: LocalBotApi, db: Database, clock: FakeClock
) -> None:
    """The JobQueue wiring: with a short interval, a due prompt arrives on its own."""
    settings = Settings(
        token=api.token,
        database_url=db.url,
        api_base_url=api.base_url,
        api_base_file_url=api.base_file_url,
        telegram_chat_rate_limit=0,  # scripted users read fast; pacing has its own tests
        tick_seconds=0.3,
    )
    application = build_application(settings, database=db, clock=clock)
    await start_application(application, poll_timeout=1)
    try:
        clock.set(MONDAY_8_UTC)
        ann, ben = api.user(1001, "Ann"), api.user(1002, "Ben")
        await pair_up(api, ann, ben)
        clock.set(datetime(2026, 6, 8, 12, 30, 5, tzinfo=UTC))  # 12:30 UTC, both
        # Generous: the job runs on its own, every 0.3 s of real time, however slow the machine.
        assert APPRECIATION_EN in (await ann.wait_for(APPRECIATION_EN, timeout=30)).entities_text
        assert APPRECIATION_EN in (await ben.wait_for(APPRECIATION_EN, timeout=30)).entities_text
    finally:
        await stop_application(application)


async def test_downtime_catch_up_within_grace_and_skip_beyond(
    api: LocalBotApi,
    bot: Application,
    start_bot: StartBot,
    clock: FakeClock,
    couple: tuple[SimulatedUser, ...],
) -> None:
    ann, _jonas = couple
    await stop_application(bot)  # the bot is down over Ann's 12:30 (10:30 UTC)
    clock.set(datetime(2026, 6, 8, 12, 0, tzinfo=UTC))  # back 90 minutes later
    restarted = await start_bot()
    report = await tick(restarted)  # the start-up tick
    assert report.sent == 1
    assert APPRECIATION_EN in (await ann.next_message()).entities_text
    await stop_application(restarted)  # down again over Ann's 21:00 (19:00 UTC) ...
    clock.set(datetime(2026, 6, 8, 21, 30, tzinfo=UTC))  # ... back 150 minutes later
    again = await start_bot()
    report = await tick(again)
    assert report.sent == 0 and report.skipped_late >= 1  # too late: skipped, no flood
    ann.assert_no_unread()  # the tick is done and this process was sent no update
    clock.set(datetime(2026, 6, 9, 19, 0, tzinfo=UTC))  # the next check-in comes as usual
    await tick(again)
    assert CHECKIN_EN in (await ann.next_message()).entities_text
