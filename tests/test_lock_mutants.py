"""On PostgreSQL, the row locks that keep concurrent processes honest are taken on the right
rows: finishing a check-in locks the own couple (so two last answers reveal once), the tick's
claims skip rows another process holds (so a message is sent by one process), and a join locks
the inviter (so two joins cannot both pair them). The races themselves run in the PostgreSQL
test stage; SQLite (where mutation testing runs) has one writer at a time, so here each
statement is rendered for PostgreSQL and its lock checked (each test kills mutants that only
PostgreSQL would otherwise notice)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from types import ModuleType
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.dialects import postgresql

from bot.clock import FakeClock
from bot.db import Database
from bot.models import User
from bot.services import checkins, outbox, pairing, users
from bot.services.users import TelegramProfile
from tests.couples import make_couple


@contextmanager
def as_on_postgres(
    db: Database, monkeypatch: pytest.MonkeyPatch, module: ModuleType
) -> Iterator[list[tuple[str, dict[str, Any]]]]:
    """`module` believes it runs on PostgreSQL; yields the statements run meanwhile, as
    PostgreSQL would receive them (SQL, parameters)."""
    seen: list[tuple[str, dict[str, Any]]] = []

    def record(conn: object, statement: Any, *args: object) -> None:
        if not hasattr(statement, "compile"):
            return
        compiled = statement.compile(dialect=postgresql.dialect())
        seen.append((str(compiled), dict(compiled.params)))

    with monkeypatch.context() as patch:
        patch.setattr(module, "is_postgres", lambda session: True)
        event.listen(db.engine.sync_engine, "before_execute", record)
        try:
            yield seen
        finally:
            event.remove(db.engine.sync_engine, "before_execute", record)


def locked(seen: list[tuple[str, dict[str, Any]]], table: str) -> list[dict[str, Any]]:
    """The parameters of each statement that locked rows of `table`."""
    return [params for sql, params in seen if f"FROM {table}" in sql and "FOR UPDATE" in sql]


async def test_finishing_a_checkin_locks_the_own_couple_first(
    db: Database, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    pair = await make_couple(db, clock, 101, 102)
    await make_couple(db, clock, 201, 202)
    async with db.transaction() as s:
        user = await s.get(User, pair.a)
        assert user is not None
        checkin_id = (await checkins.start(s, user, clock.now())).checkin.id
        await checkins.set_mood(s, user, checkin_id, 3, clock.now())
        await checkins.set_answer(s, user, checkin_id, "fine", clock.now())
    async with db.transaction() as s:
        user = await s.get(User, pair.a)
        assert user is not None
        with as_on_postgres(db, monkeypatch, checkins) as seen:
            await checkins.set_need(s, user, checkin_id, None, clock.now())
    assert locked(seen, "couples") == [{"id_1": pair.couple_id}]
    assert "FROM couples" in seen[0][0]  # before anything of the check-in is read


async def test_closing_stale_checkins_skips_those_another_process_is_closing(
    db: Database, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    pair = await make_couple(db, clock, 101, 102)
    async with db.transaction() as s:
        user = await s.get(User, pair.a)
        assert user is not None
        await checkins.start(s, user, clock.now())
    clock.advance(checkins.WINDOW)
    with as_on_postgres(db, monkeypatch, checkins) as seen:
        async with db.transaction() as s:
            assert len(await checkins.close_stale(s, clock.now())) == 1
    (sql,) = [sql for sql, _ in seen if "FROM checkins" in sql and "FOR UPDATE" in sql]
    assert sql.endswith("FOR UPDATE SKIP LOCKED")


async def test_a_tick_claims_only_rows_no_other_process_holds(
    db: Database, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    pair = await make_couple(db, clock, 101, 102)
    async with db.transaction() as s:
        row = await outbox.add_message(s, pair.a, {"text": "hi"}, clock.now(), timedelta(hours=1))
    with as_on_postgres(db, monkeypatch, outbox) as seen:
        async with db.transaction() as s:
            assert [c.id for c in await outbox.claim(s, "one", clock.now(), 10)] == [row]
    (sql,) = [sql for sql, _ in seen if "FROM outbox" in sql and "FOR UPDATE" in sql]
    assert sql.endswith("FOR UPDATE SKIP LOCKED")


async def test_a_join_locks_the_inviter(
    db: Database, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with db.transaction() as s:
        ann = await users.ensure_user(s, TelegramProfile(1, 1, "Ann"), clock.now())
        await users.ensure_user(s, TelegramProfile(2, 2, "Ben"), clock.now())
        code = (await pairing.create_invite(s, ann, clock.now())).code
    with as_on_postgres(db, monkeypatch, pairing) as seen:
        async with db.transaction() as s:
            ben = await s.get(User, 2)
            assert ben is not None
            await pairing.join(s, ben, code, clock.now())
    assert locked(seen, "users") == [{"id_1": 1}]
