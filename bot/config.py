"""Settings read from the environment (and a `.env` file, via python-dotenv)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dotenv import load_dotenv

DEFAULT_API_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_API_BASE_FILE_URL = "https://api.telegram.org/file/bot"
DEFAULT_DATA_DIR = Path("data")
LOG_FORMATS = ("text", "json")
DEFAULT_METRICS_LISTEN = "127.0.0.1"  # never public unless METRICS_LISTEN says so


class ConfigError(Exception):
    """A setting is missing or malformed; the message says how to fix it."""


@dataclass(frozen=True, slots=True)
class Settings:
    token: str
    database_url: str
    api_base_url: str = DEFAULT_API_BASE_URL
    api_base_file_url: str = DEFAULT_API_BASE_FILE_URL
    log_level: str = "INFO"
    # --- operations: log format and the metrics endpoint (see docs/deploy.md) ---
    log_format: str = "text"  # "text" or "json" (one JSON object a line)
    metrics_port: int = 0  # 0: no /healthz or /metrics
    metrics_listen: str = DEFAULT_METRICS_LISTEN
    # --- end of operations settings ---
    ritual_grace_minutes: int = 120
    retention_days: int = 365
    tick_seconds: float = 20.0  # 0 disables the periodic tick (tests drive it themselves)

    def __repr__(self) -> str:  # never print the token
        return (
            f"Settings(token='***', database_url={redact_url(self.database_url)!r}, "
            f"api_base_url={self.api_base_url!r}, log_level={self.log_level!r})"
        )


def normalize_database_url(url: str | None, data_dir: Path = DEFAULT_DATA_DIR) -> str:
    """Return an async SQLAlchemy URL; an unset URL means a SQLite file under `data_dir`."""
    if not url:
        data_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite+aiosqlite:///{(data_dir / 'couples.sqlite3').resolve()}"
    for prefix in ("postgres://", "postgresql://", "postgresql+psycopg2://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    if url.startswith("sqlite://"):
        return "sqlite+aiosqlite://" + url[len("sqlite://") :]
    return url


def redact_url(url: str) -> str:
    """Hide the password of a database URL."""
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    creds, _, host = rest.rpartition("@")
    user = creds.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}"


def load_settings(env_file: str | None = ".env") -> Settings:
    """Read settings; raise ConfigError when the bot token is missing."""
    if env_file:
        load_dotenv(env_file, override=False)
    token = os.environ.get("TELEGRAM_BOT_TOKEN", "").strip()
    if not token:
        raise ConfigError("TELEGRAM_BOT_TOKEN is not set")
    return Settings(
        token=token,
        database_url=normalize_database_url(os.environ.get("DATABASE_URL", "").strip() or None),
        api_base_url=os.environ.get("TELEGRAM_API_BASE_URL", "").strip() or DEFAULT_API_BASE_URL,
        api_base_file_url=os.environ.get("TELEGRAM_API_BASE_FILE_URL", "").strip()
        or DEFAULT_API_BASE_FILE_URL,
        log_level=os.environ.get("LOG_LEVEL", "INFO").strip().upper() or "INFO",
        **_operations_settings(),
        ritual_grace_minutes=_int_env("RITUAL_GRACE_MINUTES", 120, minimum=0),
        retention_days=_int_env("RETENTION_DAYS", 365, minimum=1),
    )


def log_format_from_env() -> str:
    """LOG_FORMAT: "text" (the default) or "json"."""
    raw = os.environ.get("LOG_FORMAT", "").strip().lower() or "text"
    if raw not in LOG_FORMATS:
        raise ConfigError(f"LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, not {raw!r}")
    return raw


def _operations_settings() -> dict[str, Any]:
    """LOG_FORMAT, METRICS_PORT and METRICS_LISTEN."""
    port = _int_env("METRICS_PORT", 0, minimum=0)
    if port > 65535:
        raise ConfigError("METRICS_PORT must be at most 65535 (0 turns the endpoint off)")
    return {
        "log_format": log_format_from_env(),
        "metrics_port": port,
        "metrics_listen": os.environ.get("METRICS_LISTEN", "").strip() or DEFAULT_METRICS_LISTEN,
    }


def _int_env(name: str, default: int, *, minimum: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}")
    return value
