"""Engine, sessions and migrations."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event, func, select
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import NullPool

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def sync_url(async_url: str) -> str:
    """The same database through a synchronous driver (Alembic runs synchronously)."""
    return async_url.replace("sqlite+aiosqlite://", "sqlite://", 1)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL; far fewer fsyncs
    cursor.execute("PRAGMA busy_timeout=15000")  # other processes' transactions
    # Deleted rows are overwritten with zeros, not merely unlinked: erased words do not linger
    # in free space (many builds have it on already; some do not).
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()
    # The driver would start transactions lazily (deferred); we begin them ourselves.
    dbapi_connection.isolation_level = None


def _begin_immediate(connection: Any) -> None:
    """Every SQLite transaction takes the write lock when it begins: two transactions never
    read the same state and then both write on it (e.g. both partners' last answers each
    seeing the other unfinished); the second waits for the first (busy_timeout)."""
    if connection.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str) -> AsyncEngine:
    """hide_parameters: a failing statement's error (and so any log of it) names the SQL but
    never the values, which are the couples' words."""
    if url.startswith("sqlite"):
        engine = create_async_engine(url, hide_parameters=True)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", _begin_immediate)
        return engine
    return create_async_engine(
        url, hide_parameters=True, pool_pre_ping=True, pool_size=5, max_overflow=5
    )


def is_postgres(session: AsyncSession) -> bool:
    """Whether the session talks to PostgreSQL (row locks, SKIP LOCKED) or SQLite."""
    return session.bind is not None and session.bind.dialect.name == "postgresql"


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", sync_url(url).replace("%", "%%"))
    cfg.attributes["configure_logger"] = False
    return cfg


# Key of the PostgreSQL advisory lock held while migrating ("couples-migrate" as 8 bytes).
MIGRATION_LOCK_KEY = int.from_bytes(b"cpl-migr", "big") & 0x7FFF_FFFF_FFFF_FFFF


def upgrade_database(url: str) -> None:
    """Apply every pending migration (blocking).

    Several instances starting together must not migrate at once: on PostgreSQL the upgrade
    runs under a session advisory lock, taken on the very connection Alembic migrates with.
    The second instance waits for the first, then finds the schema at head and does nothing.
    SQLite needs no lock (one file, one host; its write lock serialises writers anyway)."""
    cfg = alembic_config(url)
    engine = create_engine(sync_url(url), poolclass=NullPool)
    try:
        with engine.connect() as connection:
            locked = connection.dialect.name == "postgresql"
            if locked:
                connection.execute(select(func.pg_advisory_lock(MIGRATION_LOCK_KEY)))
                connection.commit()  # a session lock: it outlives this transaction
            try:
                cfg.attributes["connection"] = connection  # bot/migrations/env.py uses it
                command.upgrade(cfg, "head")
                connection.commit()
            finally:
                if locked:
                    connection.rollback()  # after a failed migration
                    connection.execute(select(func.pg_advisory_unlock(MIGRATION_LOCK_KEY)))
                    connection.commit()
    finally:
        engine.dispose()  # closing the connection would release the lock anyway


async def upgrade_database_async(url: str) -> None:
    await asyncio.to_thread(upgrade_database, url)


class Database:
    """Owns the engine and hands out transactional sessions."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        # SQLite has one writer at a time: within a process, transactions queue here, in
        # order, instead of spinning in SQLite's busy handler (where a waiter can starve).
        self._one_at_a_time = asyncio.Lock() if self.engine.dialect.name == "sqlite" else None

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session whose work is committed on success and rolled back on error. Never wait
        for the network inside one (on SQLite the next transaction waits for it)."""
        async with self._serialized(), self.sessions() as session, session.begin():
            yield session

    @asynccontextmanager
    async def _serialized(self) -> AsyncIterator[None]:
        if self._one_at_a_time is None:
            yield
            return
        async with self._one_at_a_time:
            yield

    async def checkpoint(self) -> bool:
        """SQLite: fold the write-ahead log into the database file and truncate the log, so
        erased words do not linger in the `-wal` file. False when a reader kept SQLite from
        finishing (it is then done by SQLite's next automatic checkpoint). PostgreSQL: True,
        nothing to do here."""
        if self.engine.dialect.name != "sqlite":
            return True
        async with self.engine.connect() as conn:
            auto = await conn.execution_options(isolation_level="AUTOCOMMIT")
            result = await auto.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            busy = result.one()[0]
        return busy == 0

    async def dispose(self) -> None:
        await self.engine.dispose()
