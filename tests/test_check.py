"""`python -m bot check` against the local Bot API server and a temporary SQLite database:
migrated, not migrated, missing, wrong token, unreachable PostgreSQL, webhook settings."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.check import Result, check_webhook, run_checks
from bot.db import upgrade_database
from bot.local_api import LocalBotApi

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "5550123:AAH-check_token_value_abcdefghijk"
SECRET_PART = TOKEN.split(":", 1)[1]
OPERATOR_VARIABLES = (
    "TELEGRAM_BOT_TOKEN",
    "DATABASE_URL",
    "TELEGRAM_API_BASE_URL",
    "TELEGRAM_API_BASE_FILE_URL",
    "BOT_MODE",
    "WEBHOOK_URL",
    "WEBHOOK_SECRET",
    "LOG_FORMAT",
    "METRICS_PORT",
    "METRICS_LISTEN",
)


@pytest.fixture
async def api() -> AsyncIterator[LocalBotApi]:
    server = LocalBotApi(token=TOKEN, bot_username="checked_bot")
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
def sqlite_file(tmp_path: Path) -> Path:
    return tmp_path / "bot.sqlite3"


@pytest.fixture
def environment(
    api: LocalBotApi, sqlite_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    """The operator's environment: the local Bot API and a SQLite file (not created yet)."""
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    for name in OPERATOR_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    values = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "DATABASE_URL": f"sqlite:///{sqlite_file}",
        "TELEGRAM_API_BASE_URL": api.base_url,
        "TELEGRAM_API_BASE_FILE_URL": api.base_file_url,
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values


def migrate(sqlite_file: Path) -> None:
    upgrade_database(f"sqlite+aiosqlite:///{sqlite_file}")


def by_name(results: list[Result]) -> dict[str, list[Result]]:
    named: dict[str, list[Result]] = {}
    for result in results:
        named.setdefault(result.name, []).append(result)
    return named


def assert_no_secret(results: list[Result]) -> None:
    for result in results:
        assert SECRET_PART not in result.line and "hunter2" not in result.line, result.line


async def test_a_migrated_database_and_a_good_token_pass(
    environment: dict[str, str], sqlite_file: Path
) -> None:
    migrate(sqlite_file)
    results = await run_checks()
    assert [r.name for r in results] == ["database", "migrations", "token", "webhook"]
    assert all(r.ok for r in results), [r.line for r in results]
    assert results[0].line.startswith("OK database: sqlite+aiosqlite:///")
    assert "at the head" in results[1].detail
    assert "@checked_bot" in results[2].detail
    assert_no_secret(results)


async def test_a_database_without_migrations_is_reported(
    environment: dict[str, str], sqlite_file: Path
) -> None:
    sqlite3.connect(sqlite_file).close()  # the file exists, the schema does not
    results = by_name(await run_checks())
    assert results["database"][0].ok
    (migrations,) = results["migrations"]
    assert not migrations.ok
    assert "no schema" in migrations.detail and "python -m bot migrate" in migrations.detail
    assert results["token"][0].ok


async def test_a_database_behind_the_head_is_reported(
    environment: dict[str, str], sqlite_file: Path
) -> None:
    migrate(sqlite_file)
    with sqlite3.connect(sqlite_file) as connection:
        (old,) = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        connection.execute("UPDATE alembic_version SET version_num = 'deadbeef0000'")
    (migrations,) = by_name(await run_checks())["migrations"]
    assert not migrations.ok and "deadbeef0000" in migrations.detail
    assert "does not know" in migrations.detail
    assert old  # a real revision was there


async def test_a_missing_sqlite_file_is_reported_not_created(
    environment: dict[str, str], sqlite_file: Path
) -> None:
    results = await run_checks()
    (database,) = by_name(results)["database"]
    assert not database.ok and "no SQLite file" in database.detail
    assert "migrations" not in by_name(results)
    assert not sqlite_file.exists()  # noqa: ASYNC240


async def test_a_wrong_token_is_rejected_without_printing_it(
    environment: dict[str, str], sqlite_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    migrate(sqlite_file)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "5550123:AAH-wrong_token_value_abcdefghijk")
    results = await run_checks()
    (token,) = by_name(results)["token"]
    assert not token.ok and "rejected" in token.detail
    assert "wrong_token" not in token.line
    assert by_name(results)["migrations"][0].ok


async def test_an_unreachable_postgres_is_reported_without_the_password(
    environment: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://couples:hunter2@127.0.0.1:1/couples")
    results = await run_checks()
    (database,) = by_name(results)["database"]
    assert not database.ok
    assert "postgresql+psycopg://couples:***@127.0.0.1:1/couples cannot be reached" in (
        database.detail
    )
    assert_no_secret(results)


async def test_webhook_mode_needs_https_a_path_and_a_secret(
    environment: dict[str, str], sqlite_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    migrate(sqlite_file)
    monkeypatch.setenv("BOT_MODE", "webhook")
    monkeypatch.setenv("WEBHOOK_URL", "http://bot.example.org")
    webhook = by_name(await run_checks())["webhook"]
    assert [r.ok for r in webhook] == [False, False]  # one line per problem
    assert "https://" in webhook[0].detail and "WEBHOOK_SECRET" in webhook[1].detail

    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.org/telegram")
    monkeypatch.setenv("WEBHOOK_SECRET", "s3cret-Value_for_the_hook")
    results = await run_checks()
    assert all(r.ok for r in results), [r.line for r in results]
    assert "s3cret" not in " ".join(r.line for r in results)


def test_webhook_settings_one_problem_a_line() -> None:
    assert check_webhook("polling", "", "")[0].ok
    assert not check_webhook("push", "", "")[0].ok
    problems = [r.detail for r in check_webhook("webhook", "https://h.example/", "bad secret!")]
    assert len(problems) == 2
    assert "path" in problems[0] and "A-Z" in problems[1]
    (port,) = check_webhook("webhook", "https://h.example:9000/hook", "ok_secret")
    assert not port.ok and "8443" in port.detail
    assert check_webhook("webhook", "https://h.example:8443/hook", "ok_secret")[0].ok


async def run_cli(environment: dict[str, str], cwd: Path) -> tuple[int, str, str]:
    env = {k: v for k, v in os.environ.items() if k not in OPERATOR_VARIABLES}
    env.update(environment, PYTHONPATH=str(ROOT))
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "check",
        cwd=cwd,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    return process.returncode, stdout.decode(), stderr.decode()


async def test_the_command_prints_one_line_per_check_and_exits_0(
    environment: dict[str, str], sqlite_file: Path, tmp_path: Path
) -> None:
    migrate(sqlite_file)
    code, out, err = await run_cli(environment, tmp_path)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert [line.split(":", 1)[0] for line in lines] == [
        "OK database",
        "OK migrations",
        "OK token",
        "OK webhook",
    ]


async def test_the_command_exits_1_with_one_line_per_problem(
    environment: dict[str, str], tmp_path: Path, sqlite_file: Path
) -> None:
    sqlite3.connect(sqlite_file).close()
    wrong = dict(environment, TELEGRAM_BOT_TOKEN="5550123:AAH-wrong_token_value_abcdefghijk")
    code, out, err = await run_cli(wrong, tmp_path)
    assert code == 1
    problems = err.splitlines()
    assert [line.split(":", 1)[0] for line in problems] == ["FAIL migrations", "FAIL token"]
    assert out.splitlines()[0].startswith("OK database")
    assert "Traceback" not in out + err
    assert "wrong_token" not in out + err


async def test_a_secret_pasted_into_the_wrong_variable_is_not_echoed(
    environment: dict[str, str], sqlite_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    migrate(sqlite_file)
    monkeypatch.setenv("METRICS_PORT", TOKEN)  # the settings error quotes the value
    results = await run_checks()
    (config,) = by_name(results)["config"]
    assert not config.ok and "METRICS_PORT must be a whole number" in config.detail
    assert by_name(results)["token"][0].ok  # the other checks still ran
    assert_no_secret(results)


def test_webhook_settings_are_read_from_settings_when_they_have_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Settings may carry the webhook (``settings.mode``, ``settings.webhook.url``), or not
    yet: then the environment variables are read."""
    from types import SimpleNamespace
    from typing import Any

    from bot.check import _field

    monkeypatch.setenv("WEBHOOK_URL", "https://from.env/hook")
    nested: Any = SimpleNamespace(mode="webhook", webhook=SimpleNamespace(url="https://a.b/c"))
    assert _field(nested, ("webhook.url", "webhook_url"), "WEBHOOK_URL", "") == "https://a.b/c"
    assert _field(nested, ("bot_mode", "mode"), "BOT_MODE", "polling") == "webhook"
    polling: Any = SimpleNamespace(mode="polling", webhook=None)
    assert _field(polling, ("webhook.url",), "WEBHOOK_URL", "") == "https://from.env/hook"
    assert _field(None, ("webhook.url",), "WEBHOOK_URL", "") == "https://from.env/hook"
