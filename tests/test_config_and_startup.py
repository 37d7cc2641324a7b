"""Configuration, start-up without a token, log redaction and schema migrations."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from bot.config import ConfigError, load_settings, normalize_database_url, redact_url
from bot.db import sync_url
from bot.logging_setup import REDACTED, RedactingFilter
from bot.models import Base

ROOT = Path(__file__).resolve().parent.parent
FAKE_TOKEN = "7654321:AAE-secret_token_value_0123456789"


def test_missing_token_explains_botfather_and_exits_2(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    env["PYTHONPATH"] = str(ROOT)
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "@BotFather" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_settings_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", FAKE_TOKEN)
    monkeypatch.setenv("DATABASE_URL", "postgresql://u:pw@db:5432/c")
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", "http://127.0.0.1:8081/bot")
    settings = load_settings(env_file=None)
    assert settings.database_url == "postgresql+psycopg://u:pw@db:5432/c"
    assert settings.api_base_url == "http://127.0.0.1:8081/bot"
    assert FAKE_TOKEN not in repr(settings) and "pw" not in repr(settings)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN")
    with pytest.raises(ConfigError):
        load_settings(env_file=None)


def test_rate_limits_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", FAKE_TOKEN)
    for name in ("TELEGRAM_RATE_LIMIT", "TELEGRAM_CHAT_RATE_LIMIT"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings(env_file=None)
    assert (settings.telegram_rate_limit, settings.telegram_chat_rate_limit) == (30, 1)
    monkeypatch.setenv("TELEGRAM_RATE_LIMIT", "1000")
    monkeypatch.setenv("TELEGRAM_CHAT_RATE_LIMIT", "0")  # 0 lifts the limit
    settings = load_settings(env_file=None)
    assert (settings.telegram_rate_limit, settings.telegram_chat_rate_limit) == (1000, 0)
    for bad in ("-1", "fast", "nan", "inf"):
        monkeypatch.setenv("TELEGRAM_CHAT_RATE_LIMIT", bad)
        with pytest.raises(ConfigError, match="TELEGRAM_CHAT_RATE_LIMIT"):
            load_settings(env_file=None)


def test_default_database_is_sqlite_under_data(tmp_path: Path) -> None:
    url = normalize_database_url(None, data_dir=tmp_path / "data")
    assert url.startswith("sqlite+aiosqlite:///") and url.endswith("data/couples.sqlite3")
    assert (tmp_path / "data").is_dir()
    assert redact_url("postgresql://me:hunter2@h/db") == "postgresql://me:***@h/db"


def test_token_never_reaches_log_output() -> None:
    logger = logging.getLogger("test.redaction")
    records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(self.format(record))

    keep = Keep()
    keep.addFilter(RedactingFilter((FAKE_TOKEN,)))
    logger.addHandler(keep)
    try:
        logger.warning("POST https://api.telegram.org/bot%s/getMe", FAKE_TOKEN)
        logger.warning("other shaped token 123456789:ABCdefGHIjklMNOpqrSTUvwxYZ012")
        try:
            raise RuntimeError(f"url was /bot{FAKE_TOKEN}/sendMessage")
        except RuntimeError:
            logger.exception("boom")
    finally:
        logger.removeHandler(keep)
    joined = "\n".join(records)
    assert FAKE_TOKEN not in joined
    assert "ABCdefGHIjklMNOpqrSTUvwxYZ012" not in joined
    assert joined.count(REDACTED) >= 3


def test_migrations_match_models(database_url: str) -> None:
    from bot.db import upgrade_database

    upgrade_database(database_url)
    engine = create_engine(sync_url(database_url))
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == [], f"models and migrations differ; add an Alembic revision: {diff}"
