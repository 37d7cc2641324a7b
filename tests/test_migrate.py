"""Migrations when several instances start together, and `python -m bot migrate`."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect

from bot.db import alembic_config, sync_url, upgrade_database

ROOT = Path(__file__).resolve().parent.parent


def revision_and_tables(url: str) -> tuple[str | None, set[str]]:
    engine = create_engine(sync_url(url))
    try:
        with engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
            tables = set(inspect(conn).get_table_names())
    finally:
        engine.dispose()
    return current, tables


def head_revision(url: str) -> str | None:
    return ScriptDirectory.from_config(alembic_config(url)).get_current_head()


def test_instances_migrating_together_both_succeed(database_url: str) -> None:
    """Two instances start at once on an empty PostgreSQL database: one migrates while the
    other waits for the advisory lock, then finds the schema at head."""
    if not database_url.startswith("postgresql"):
        pytest.skip("the migration lock is PostgreSQL's (set TEST_DATABASE_URL)")
    errors: list[BaseException] = []
    start = threading.Barrier(3)

    def instance() -> None:
        start.wait()
        try:
            upgrade_database(database_url)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=instance) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    current, tables = revision_and_tables(database_url)
    assert current == head_revision(database_url)
    assert {"users", "couples", "ritual_schedules"} <= tables


def run_bot_cli(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v for k, v in os.environ.items() if k not in ("TELEGRAM_BOT_TOKEN", "DATABASE_URL")
    }
    environment.update(PYTHONPATH=str(ROOT), **env)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_migrate_command_applies_migrations_without_a_token(tmp_path: Path) -> None:
    result = run_bot_cli(["migrate"], tmp_path)
    assert result.returncode == 0, result.stderr
    url = f"sqlite:///{tmp_path / 'data' / 'couples.sqlite3'}"
    current, tables = revision_and_tables(url)
    assert current == head_revision(url)
    assert "users" in tables
    # A second run finds nothing to do and still succeeds.
    assert run_bot_cli(["migrate"], tmp_path).returncode == 0


def test_migrate_command_failure_is_one_line_and_exit_1(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    result = run_bot_cli(["migrate"], tmp_path, DATABASE_URL=f"sqlite:///{blocker}/couples.sqlite3")
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("migration of sqlite+aiosqlite:///") and "failed" in lines[0]
    assert "Traceback" not in result.stderr
