"""Shared fixtures: a migrated database (SQLite by default, PostgreSQL when
TEST_DATABASE_URL is set) and a clock that only moves when a test says so.

A PostgreSQL database is wiped (its `public` schema dropped) before each test, so the run stops
unless the database's name contains "test" or TEST_DATABASE_ALLOW_DROP=1 is set
(tests/guards.py)."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from bot.clock import FakeClock
from bot.config import normalize_database_url
from bot.db import Database, sync_url, upgrade_database
from bot.models import Base
from tests.guards import refuse_to_drop

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "").strip()


def _refuse_unless_disposable(url: str) -> None:
    refusal = refuse_to_drop(url, os.environ)
    if refusal:
        pytest.exit(refusal, returncode=pytest.ExitCode.USAGE_ERROR)


def pytest_sessionstart(session: pytest.Session) -> None:
    """Refuse before any test runs (the fixture below checks again before each drop)."""
    if TEST_DATABASE_URL:
        _refuse_unless_disposable(normalize_database_url(TEST_DATABASE_URL))


def _reset_postgres(url: str) -> None:
    _refuse_unless_disposable(url)
    engine = create_engine(sync_url(url))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """An empty database, not migrated (for the tests of migrations themselves)."""
    if TEST_DATABASE_URL:
        url = normalize_database_url(TEST_DATABASE_URL)
        _reset_postgres(url)
        return url
    return normalize_database_url(None, data_dir=tmp_path)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database file migrated once per test session; each test gets a copy of it."""
    url = normalize_database_url(None, data_dir=tmp_path_factory.mktemp("template"))
    upgrade_database(url)
    return Path(make_url(url).database or "")


def _empty_postgres(url: str) -> None:
    """Migrated (again, if a migration test dropped the schema) and every table emptied."""
    _refuse_unless_disposable(url)
    engine = create_engine(sync_url(url))
    with engine.begin() as conn:
        at_head = conn.execute(
            text("SELECT to_regclass('public.alembic_version') IS NOT NULL")
        ).scalar_one()
    if not at_head:
        engine.dispose()
        upgrade_database(url)
        engine = create_engine(sync_url(url))
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
async def db(tmp_path: Path, request: pytest.FixtureRequest) -> AsyncIterator[Database]:
    """A migrated, empty database: on SQLite a copy of the session's migrated template, on
    PostgreSQL the test database with its tables emptied (migrations run once per session)."""
    if TEST_DATABASE_URL:
        url = normalize_database_url(TEST_DATABASE_URL)
        _empty_postgres(url)
    else:
        template: Path = request.getfixturevalue("sqlite_template")
        url = normalize_database_url(None, data_dir=tmp_path / "db")
        target = Path(make_url(url).database or "")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(template, target)
    database = Database(url)
    yield database
    await database.dispose()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 3, 2, 10, 0, tzinfo=UTC))
