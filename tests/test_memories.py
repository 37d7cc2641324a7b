"""The memory book's data promises: erasure and retention take the book's rows with them,
/export includes it, and "on this day" counts calendar months."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from bot.clock import FakeClock
from bot.db import Database
from bot.models import (
    Appreciation,
    DateFeedback,
    DateProposal,
    MemoryMark,
    MemoryNote,
    Request,
    User,
)
from bot.prompt_bank import DATE_IDEAS
from bot.services import memories, privacy, retention
from bot.services.memories import MemoryKind, View
from bot.services.people import person_in
from bot.services.work import begin
from tests.couples import Pair, make_couple

ANN, BEN = 7_100_001, 7_100_002


async def count(db: Database, model: type) -> int:
    async with db.transaction() as s:
        return int((await s.execute(select(func.count()).select_from(model))).scalar_one())


async def fill(db: Database, clock: FakeClock, pair: Pair, age: timedelta) -> int:
    """Ann's appreciation and note from `age` ago; Ben keeps the appreciation as a favourite.
    Returns the appreciation's id."""
    at = clock.now() - age
    async with begin(db) as work:
        row = Appreciation(
            couple_id=pair.couple_id,
            from_user_id=ANN,
            to_user_id=BEN,
            text="ann-thanks",
            created_at=at,
        )
        work.session.add(row)
        ann = await work.session.get(User, ANN)
        assert ann is not None
        await memories.remember(work, person_in(work, ann), "ann-moment", "file-1", at)
        ben = await work.session.get(User, BEN)
        assert ben is not None
        await work.session.flush()
        assert await memories.toggle_favourite(
            work, person_in(work, ben), MemoryKind.APPRECIATION, row.id, clock.now()
        )
        return row.id


async def test_erasing_ann_takes_her_book_and_bens_marks_on_her_words(
    db: Database, clock: FakeClock
) -> None:
    pair = await make_couple(db, clock, ANN, BEN)
    await fill(db, clock, pair, timedelta(days=1))
    async with begin(db) as work:
        ben = await work.session.get(User, BEN)
        assert ben is not None
        await memories.remember(work, person_in(work, ben), "ben-moment", None, clock.now())
    assert await count(db, MemoryNote) == 2 and await count(db, MemoryMark) == 1
    async with db.transaction() as s:
        ann = await s.get(User, ANN)
        assert ann is not None
        await privacy.delete_everything(s, ann, clock.now())
    async with db.transaction() as s:
        left = list((await s.execute(select(MemoryNote.text))).scalars())
    assert left == ["ben-moment"]  # what Ben wrote stays his
    assert await count(db, MemoryMark) == 0


async def test_retention_prunes_old_moments_and_the_marks_on_pruned_items(
    db: Database, clock: FakeClock
) -> None:
    pair = await make_couple(db, clock, ANN, BEN)
    await fill(db, clock, pair, timedelta(days=400))
    recent = await fill(db, clock, pair, timedelta(days=2))
    async with db.transaction() as s:
        counts = await retention.prune(s, clock.now(), timedelta(days=365))
    assert counts["memory_notes"] == 1 and counts["memory_marks"] == 1
    async with db.transaction() as s:
        assert list((await s.execute(select(MemoryMark.ref_id))).scalars()) == [recent]
    assert await count(db, MemoryNote) == 1


async def test_export_has_the_book(db: Database, clock: FakeClock) -> None:
    pair = await make_couple(db, clock, ANN, BEN)
    appreciation = await fill(db, clock, pair, timedelta(days=1))
    async with db.transaction() as s:
        ben = await s.get(User, BEN)
        assert ben is not None
        data = await privacy.export(s, ben, clock.now())
    book = data["memory_book"]
    assert [(n["text"], n["by_me"]) for n in book["notes"]] == [("ann-moment", False)]
    assert [(m["kind"], m["item_id"], m["mark"]) for m in book["marks"]] == [
        ("appreciation", appreciation, "favourite")
    ]


async def test_the_book_shows_ben_his_favourite(db: Database, clock: FakeClock) -> None:
    pair = await make_couple(db, clock, ANN, BEN)
    await fill(db, clock, pair, timedelta(days=1))
    async with begin(db) as work:
        ben = await work.session.get(User, BEN)
        assert ben is not None
        page = await memories.book(work, person_in(work, ben), 0, View.FAVOURITES, clock.now())
    assert [(i.kind, i.parts[0].words, i.mine) for i in page.items] == [
        (MemoryKind.APPRECIATION, "ann-thanks", False)
    ]


def test_months_back_keep_the_day_or_the_months_last() -> None:
    assert memories._months_before(date(2026, 6, 8), 3) == date(2026, 3, 8)
    assert memories._months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert memories._months_before(date(2026, 1, 15), 12) == date(2025, 1, 15)
    assert memories._months_before(date(2026, 2, 10), 6) == date(2025, 8, 10)


async def test_agreed_requests_and_dates_done_with_only_shown_answers(
    db: Database, clock: FakeClock
) -> None:
    pair = await make_couple(db, clock, ANN, BEN)
    now = clock.now()
    async with begin(db) as work:
        s = work.session
        s.add_all(
            [
                Request(
                    couple_id=pair.couple_id,
                    from_user_id=ANN,
                    to_user_id=BEN,
                    text="asked",
                    status="agreed",
                    counter_text="the agreed version",
                    created_at=now,
                    agreed_at=now,
                ),
                Request(
                    couple_id=pair.couple_id,
                    from_user_id=ANN,
                    to_user_id=BEN,
                    text="still-open-request",
                    status="open",
                    created_at=now,
                ),
                DateProposal(
                    couple_id=pair.couple_id,
                    proposer_id=BEN,
                    idea_key=DATE_IDEAS[0].key,
                    status="accepted",
                    created_at=now,
                    planned_on=now.date() - timedelta(days=1),
                ),
                DateProposal(
                    couple_id=pair.couple_id,
                    proposer_id=BEN,
                    idea_key=DATE_IDEAS[1].key,
                    status="accepted",
                    created_at=now,
                    planned_on=now.date() + timedelta(days=1),
                ),
            ]
        )
        await s.flush()
        done = min((await s.execute(select(DateProposal.id))).scalars())
        s.add_all(
            [
                DateFeedback(
                    proposal_id=done,
                    user_id=BEN,
                    rating=3,
                    words="ben-shown",
                    asked_at=now,
                    answered_at=now,
                    revealed_at=now,
                ),
                DateFeedback(
                    proposal_id=done,
                    user_id=ANN,
                    rating=1,
                    words="ann-not-yet-shown",
                    asked_at=now,
                    answered_at=now,
                ),
            ]
        )
    async with begin(db) as work:
        ben = await work.session.get(User, BEN)
        assert ben is not None
        page = await memories.book(work, person_in(work, ben), 0, View.ALL, now)
    shown = {(i.kind, tuple((p.mine, p.score, p.words) for p in i.parts)) for i in page.items}
    assert shown == {
        (MemoryKind.REQUEST, ((False, None, "the agreed version"),)),
        (MemoryKind.DATE, ((True, 3, "ben-shown"),)),  # Ann's answer was not shown yet
    }
