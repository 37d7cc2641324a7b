"""Promises of the README's "Your data" section that hold below the bot's own code: erased
words do not linger in the SQLite file, and database errors do not quote what users wrote."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from bot.clock import FakeClock
from bot.db import Database, _sqlite_pragmas
from bot.models import (
    Appreciation,
    Checkin,
    CheckinAnswer,
    FlowKind,
    FlowPart,
    FlowStep,
    GuidedFlow,
    MemoryNote,
    Request,
    User,
)
from bot.services import pairing, privacy, users
from bot.services.users import TelegramProfile

ANN, JONAS = 5_550_001, 5_550_002
WORDS = {
    "name": "name-marker-a91c",
    "answer": "answer-marker-" + "7d2f" * 40,  # long enough to spill over a small cell
    "need": "need-marker-03be",
    "appreciation": "appreciation-marker-c8e1",
    "request": "request-marker-4a60",
    "counter": "counter-proposal-marker-b27d",  # Ann's words on Jonas's request
    "memory": "memory-note-marker-e5a3",  # saved with /remember
    "photo": "photo-file-id-marker-19fd",  # a saved photo's Telegram file id
    "flow_word": "eye-contact-word-marker-5e19",  # Ann's word after eye-contact minutes
}


def sqlite_only(db: Database) -> None:
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the bytes of a database file: SQLite only")


async def seed(db: Database, clock: FakeClock) -> None:
    """Ann writes something into every place a user can write; Jonas asks her something."""
    now = clock.now()
    async with db.transaction() as s:
        ann = await users.ensure_user(s, TelegramProfile(ANN, ANN, WORDS["name"]), now)
        jonas = await users.ensure_user(s, TelegramProfile(JONAS, JONAS, "Jonas"), now)
        code = (await pairing.create_invite(s, ann, now)).code
        couple = (await pairing.join(s, jonas, code, now)).couple_id
        checkin = Checkin(
            couple_id=couple,
            question_key="checkin.001",
            status="open",
            opened_at=now,
            closes_at=now + timedelta(days=1),
        )
        s.add(checkin)
        await s.flush()
        s.add_all(
            [
                CheckinAnswer(
                    checkin_id=checkin.id,
                    user_id=ANN,
                    step="done",
                    mood=3,
                    answer=WORDS["answer"],
                    need=WORDS["need"],
                    started_at=now,
                ),
                Appreciation(
                    couple_id=couple,
                    from_user_id=ANN,
                    to_user_id=JONAS,
                    text=WORDS["appreciation"],
                    created_at=now,
                ),
                Request(
                    couple_id=couple,
                    from_user_id=ANN,
                    to_user_id=JONAS,
                    text=WORDS["request"],
                    status="open",
                    created_at=now,
                ),
                MemoryNote(
                    couple_id=couple,
                    author_id=ANN,
                    text=WORDS["memory"],
                    photo_file_id=WORDS["photo"],
                    created_at=now,
                ),
                Request(
                    couple_id=couple,
                    from_user_id=JONAS,
                    to_user_id=ANN,
                    text="Jonas asks",
                    status="negotiate",
                    counter_text=WORDS["counter"],
                    created_at=now,
                ),
            ]
        )
        flow = GuidedFlow(
            couple_id=couple,
            kind=FlowKind.EYES,
            step=FlowStep.WORDS,
            started_by=ANN,
            created_at=now,
            deadline=now + timedelta(minutes=30),
            minutes=2,
        )
        s.add(flow)
        await s.flush()
        s.add(FlowPart(flow_id=flow.id, user_id=ANN, choice=2, words=WORDS["flow_word"]))


async def file_bytes(db: Database) -> bytes:
    """The database file and its write-ahead log on disk, after the bot's checkpoint."""
    assert await db.checkpoint()  # what /deletemydata does right after erasing
    main = Path(str(db.engine.url.database))
    return b"".join(p.read_bytes() for p in sorted(main.parent.glob(main.name + "*")))


async def test_sqlite_erases_with_secure_delete(db: Database, tmp_path: Path) -> None:
    sqlite_only(db)
    async with db.engine.connect() as conn:
        assert (await conn.exec_driver_sql("PRAGMA secure_delete")).scalar_one() == 1
    # Also where SQLite was built without it (this machine's build may have it on by default).
    raw = sqlite3.connect(tmp_path / "other-build.sqlite3")
    raw.execute("PRAGMA secure_delete=OFF")
    _sqlite_pragmas(raw, None)
    assert raw.execute("PRAGMA secure_delete").fetchone() == (1,)
    raw.close()


async def test_erased_words_are_not_left_in_the_sqlite_file(db: Database, clock: FakeClock) -> None:
    sqlite_only(db)
    await seed(db, clock)
    stored = await file_bytes(db)
    for words in WORDS.values():  # the words really reached the file
        assert words.encode() in stored, words
    async with db.transaction() as s:
        ann = await s.get(User, ANN)
        assert ann is not None
        await privacy.delete_everything(s, ann, clock.now())
    left = await file_bytes(db)
    assert [w for w in WORDS.values() if w.encode() in left] == []


async def test_database_errors_do_not_quote_parameters(db: Database, clock: FakeClock) -> None:
    """A failing statement's error names the SQL, never the values (hide_parameters)."""
    await seed(db, clock)
    with pytest.raises(DBAPIError) as failure:
        async with db.transaction() as s:
            await s.execute(
                text(
                    "INSERT INTO checkin_answers (checkin_id, user_id, step, answer, started_at)"
                    " VALUES (:checkin, :user, 'answer', :answer, :at)"
                ),
                {"checkin": 987_654, "user": ANN, "answer": WORDS["answer"], "at": clock.now()},
            )
    assert "checkin_answers" in str(failure.value)  # the statement is named
    assert WORDS["answer"] not in str(failure.value)
