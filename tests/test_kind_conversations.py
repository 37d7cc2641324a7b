"""Service rules of issue 14's kinder conversations: the pause belongs to who asked, a closed
check-in is mentioned at most once a week and can be shared anyway, and what a need can do
after "Not today" or "Let's talk about it" (with another couple's real ids refused)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.clock import FakeClock
from bot.db import Database
from bot.models import Checkin, CheckinAnswer, CheckinStatus, Couple, User
from bot.services import checkins, needs, privacy, rituals, users
from bot.services.checkins import NeedReply
from bot.services.exchange_errors import ExchangeError, Stale
from bot.services.needs import Aside, TalkTime, talk_moment
from bot.services.people import Person, person_in
from bot.services.work import begin
from tests.couples import Pair, make_couple

BERLIN = "Europe/Berlin"


def local(zone: str, *args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(zone)).astimezone(UTC)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("now", "when", "expected"),
    [
        (local(BERLIN, 2026, 6, 10, 9, 0), TalkTime.TONIGHT, local(BERLIN, 2026, 6, 10, 20, 0)),
        (local(BERLIN, 2026, 6, 10, 21, 0), TalkTime.TONIGHT, local(BERLIN, 2026, 6, 10, 21, 30)),
        (local(BERLIN, 2026, 6, 10, 23, 0), TalkTime.TOMORROW, local(BERLIN, 2026, 6, 11, 19, 0)),
        (local(BERLIN, 2026, 6, 10, 9, 0), TalkTime.WEEKEND, local(BERLIN, 2026, 6, 13, 11, 0)),
        (local(BERLIN, 2026, 6, 13, 9, 0), TalkTime.WEEKEND, local(BERLIN, 2026, 6, 13, 11, 0)),
        (local(BERLIN, 2026, 6, 13, 14, 0), TalkTime.WEEKEND, local(BERLIN, 2026, 6, 14, 11, 0)),
        (local(BERLIN, 2026, 6, 14, 12, 0), TalkTime.WEEKEND, local(BERLIN, 2026, 6, 20, 11, 0)),
    ],
)
def test_talk_times_are_local_hours_of_the_one_who_chose(
    now: datetime, when: TalkTime, expected: datetime
) -> None:
    assert talk_moment(when, now, BERLIN) == expected


async def person(db: Database, user_id: int) -> tuple[Person, User]:
    async with begin(db) as work:
        user = await users.get_user(work.session, user_id)
        assert user is not None
        return person_in(work, user), user


async def couple_row(db: Database, couple_id: int) -> Couple:
    async with db.transaction() as s:
        couple = await s.get(Couple, couple_id)
        assert couple is not None
        return couple


async def test_only_the_one_who_paused_ends_the_pause(db: Database, clock: FakeClock) -> None:
    pair = await make_couple(db, clock, 1, 2)
    async with db.transaction() as s:
        a, b = await s.get(User, 1), await s.get(User, 2)
        assert a is not None and b is not None
        until = await rituals.pause(s, a, 7, clock.now())
        assert await rituals.resume(s, b, clock.now()) is rituals.Resumed.NOT_YOURS
        assert await rituals.pause_is_mine(s, a) and not await rituals.pause_is_mine(s, b)
        # The partner's own /pause during it only makes it longer; it stays the first one's.
        longer = await rituals.pause(s, b, 10, clock.now())
        assert longer > until
        assert await rituals.resume(s, b, clock.now()) is rituals.Resumed.NOT_YOURS
    couple = await couple_row(db, pair.couple_id)
    assert couple.paused_by == 1 and couple.paused_until == longer
    async with db.transaction() as s:
        a = await s.get(User, 1)
        assert a is not None
        assert await rituals.resume(s, a, clock.now()) is rituals.Resumed.RESUMED
        assert await rituals.resume(s, a, clock.now()) is rituals.Resumed.NOT_PAUSED
    couple = await couple_row(db, pair.couple_id)
    assert couple.paused_by is None and couple.paused_until is None


async def test_a_pause_from_before_owners_is_anyones_to_end(db: Database, clock: FakeClock) -> None:
    pair = await make_couple(db, clock, 1, 2)
    async with db.transaction() as s:
        couple = await s.get(Couple, pair.couple_id)
        assert couple is not None
        couple.paused_until = clock.now() + timedelta(days=3)
    async with db.transaction() as s:
        b = await s.get(User, 2)
        assert b is not None
        assert await rituals.resume(s, b, clock.now()) is rituals.Resumed.RESUMED


async def test_erasing_the_one_who_paused_leaves_no_id_behind(
    db: Database, clock: FakeClock
) -> None:
    pair = await make_couple(db, clock, 1, 2)
    async with db.transaction() as s:
        a = await s.get(User, 1)
        assert a is not None
        await rituals.pause(s, a, 7, clock.now())
    async with db.transaction() as s:
        a = await s.get(User, 1)
        assert a is not None
        await privacy.delete_everything(s, a, clock.now())
    assert (await couple_row(db, pair.couple_id)).paused_by is None


async def add_checkin(
    db: Database, pair: Pair, opened: datetime, answered: tuple[int, ...], status: str
) -> int:
    async with db.transaction() as s:
        row = Checkin(
            couple_id=pair.couple_id,
            question_key="checkin.001",
            status=status,
            opened_at=opened,
            closes_at=opened + checkins.WINDOW,
        )
        s.add(row)
        await s.flush()
        for uid in answered:
            s.add(
                CheckinAnswer(
                    checkin_id=row.id,
                    user_id=uid,
                    step="done",
                    mood=4,
                    answer=f"words of {uid}",
                    need=f"need of {uid}",
                    started_at=opened,
                    completed_at=opened,
                )
            )
        return row.id


async def close(db: Database, now: datetime) -> list[checkins.OneSided]:
    async with begin(db) as work:
        return (await checkins.close_expired(work, now)).one_sided


async def test_a_closed_check_in_is_mentioned_at_most_once_a_week(
    db: Database, clock: FakeClock
) -> None:
    pair = await make_couple(db, clock, 1, 2)
    start = clock.now()
    told: list[set[int]] = []
    for day in (0, 1, 6, 7):  # the notice of day 0 holds until day 7
        opened = start + timedelta(days=day)
        await add_checkin(db, pair, opened, (1,), CheckinStatus.OPEN)
        (closed,) = await close(db, opened + checkins.WINDOW + timedelta(minutes=1))
        assert closed.answered.id == 1
        told.append({p.id for p in closed.told})
    assert told == [{1, 2}, set(), set(), {1, 2}]


async def test_only_the_one_who_answered_shares_a_closed_check_in_once(
    db: Database, clock: FakeClock
) -> None:
    pair = await make_couple(db, clock, 1, 2)
    other = await make_couple(db, clock, 3, 4)
    partial = await add_checkin(db, pair, clock.now(), (1,), CheckinStatus.PARTIAL)
    revealed = await add_checkin(db, pair, clock.now(), (1, 2), CheckinStatus.REVEALED)
    theirs = await add_checkin(db, other, clock.now(), (3,), CheckinStatus.PARTIAL)
    me, _row = await person(db, 1)
    partner, _row = await person(db, 2)
    stranger, _row = await person(db, 3)
    for who, checkin_id, reason in (
        (partner, partial, Stale.NOT_YOURS),  # not their answer
        (me, revealed, Stale.NOT_YOURS),  # shared already, by the reveal
        (me, theirs, Stale.NOT_YOURS),  # another couple's real id
        (stranger, partial, Stale.NOT_YOURS),
    ):
        with pytest.raises(ExchangeError) as refused:
            async with begin(db) as work:
                await checkins.share_anyway(work, who, checkin_id, clock.now())
        assert refused.value.reason is reason
        with pytest.raises(ExchangeError) as not_kept:
            async with begin(db) as work:
                await checkins.keep_private(work, who, checkin_id)
        assert not_kept.value.reason is reason
    async with begin(db) as work:
        await checkins.keep_private(work, me, partial)  # keeping it changes nothing
    async with begin(db) as work:
        shared = await checkins.share_anyway(work, me, partial, clock.now())
    assert shared.shared.answer == "words of 1"
    with pytest.raises(ExchangeError) as again:
        async with begin(db) as work:
            await checkins.share_anyway(work, me, partial, clock.now())
    assert again.value.reason is Stale.ALREADY
    with pytest.raises(ExchangeError) as shared_already:
        async with begin(db) as work:
            await checkins.keep_private(work, me, partial)
    assert shared_already.value.reason is Stale.ALREADY


async def need_rows(db: Database) -> list[tuple[object, ...]]:
    async with db.transaction() as s:
        rows = (await s.execute(select(CheckinAnswer).order_by(CheckinAnswer.id))).scalars()
        return [(r.id, r.need_reply, r.need_note, r.talk_at, r.need_closed_at) for r in rows]


async def test_a_need_after_not_today_and_lets_talk(db: Database, clock: FakeClock) -> None:
    pair = await make_couple(db, clock, 1, 2)
    other = await make_couple(db, clock, 3, 4)
    mine = await add_checkin(db, pair, clock.now(), (1, 2), CheckinStatus.REVEALED)
    theirs = await add_checkin(db, other, clock.now(), (3, 4), CheckinStatus.REVEALED)
    one, _row = await person(db, 1)
    two, _row = await person(db, 2)
    now = clock.now()
    # Another couple's real ids change nothing.
    before = await need_rows(db)
    async with db.transaction() as s:
        their_answer = (
            (await s.execute(select(CheckinAnswer.id).where(CheckinAnswer.checkin_id == theirs)))
            .scalars()
            .first()
        )
    assert their_answer is not None
    for attempt in (
        lambda work: checkins.answer_need(work, two, theirs, NeedReply.NO, now),
        lambda work: needs.leave_note(work, two, theirs, "x", Aside.NOTE, now),
        lambda work: needs.plan_talk(work, two, theirs, TalkTime.TONIGHT, now),
        lambda work: needs.close_need(work, two, their_answer, now),
    ):
        with pytest.raises(ExchangeError) as refused:
            async with begin(db) as work:
                await attempt(work)
        assert refused.value.reason is Stale.NOT_YOURS
    assert await need_rows(db) == before

    # Two answers 1's need "Not today", with a note, once.
    async with begin(db) as work:
        answered = await checkins.answer_need(work, two, mine, NeedReply.NO, now)
    assert answered.need == "need of 1" and answered.note_step is not None
    async with begin(db) as work:
        note = await needs.leave_note(work, two, mine, "  tired tonight ", Aside.NOTE, now)
    assert (note.need, note.note, note.talk) == ("need of 1", "tired tonight", False)
    with pytest.raises(ExchangeError) as again:
        async with begin(db) as work:
            await needs.leave_note(work, two, mine, "more", Aside.NOTE, now)
    assert again.value.reason is Stale.ALREADY
    # A "not today" need stays open for both until one of them closes it.
    async with begin(db) as work:
        listed = await needs.open_items(work, one)
    assert [(n.need, n.mine, n.reply, n.note) for n in listed.needs] == [
        ("need of 2", False, None, None),
        ("need of 1", True, NeedReply.NO, "tired tonight"),
    ]

    # One answers 2's need "Let's talk about it", tomorrow evening in their own zone.
    async with begin(db) as work:
        await users.set_timezone(work.session, await work.session.get(User, 1), BERLIN, now)  # type: ignore[arg-type]
    one, _row = await person(db, 1)
    async with begin(db) as work:
        await checkins.answer_need(work, one, mine, NeedReply.TALK, now)
        plan = await needs.plan_talk(work, one, mine, TalkTime.TOMORROW, now)
    assert plan.need == "need of 2"
    assert plan.at == talk_moment(TalkTime.TOMORROW, now, BERLIN)
    with pytest.raises(ExchangeError) as twice:
        async with begin(db) as work:
            await needs.plan_talk(work, one, mine, TalkTime.TONIGHT, now)
    assert twice.value.reason is Stale.ALREADY
    async with begin(db) as work:
        listed = await needs.open_items(work, two)
    ids = {n.need: n.answer_id for n in listed.needs}
    async with begin(db) as work:
        assert await needs.close_need(work, one, ids["need of 2"], now) == "need of 2"
    async with begin(db) as work:
        listed = await needs.open_items(work, two)
    assert [n.need for n in listed.needs] == ["need of 1"]
    with pytest.raises(ExchangeError) as closed:
        async with begin(db) as work:
            await needs.close_need(work, two, ids["need of 2"], now)
    assert closed.value.reason is Stale.ALREADY


async def test_a_need_answered_yes_is_not_open(db: Database, clock: FakeClock) -> None:
    pair = await make_couple(db, clock, 1, 2)
    mine = await add_checkin(db, pair, clock.now(), (1, 2), CheckinStatus.REVEALED)
    two, _row = await person(db, 2)
    async with begin(db) as work:
        await checkins.answer_need(work, two, mine, NeedReply.YES, clock.now())
        listed = await needs.open_items(work, two)
    assert [n.need for n in listed.needs] == ["need of 2"]
