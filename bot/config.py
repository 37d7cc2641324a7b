"""Settings read from the environment (and a `.env` file, via python-dotenv)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from dotenv import load_dotenv

DEFAULT_API_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_API_BASE_FILE_URL = "https://api.telegram.org/file/bot"
DEFAULT_DATA_DIR = Path("data")
LOG_FORMATS = ("text", "json")
DEFAULT_METRICS_LISTEN = "127.0.0.1"  # never public unless METRICS_LISTEN says so

BOT_MODES = ("polling", "webhook")
DEFAULT_WEBHOOK_LISTEN = "127.0.0.1"
DEFAULT_WEBHOOK_PORT = 8443
# Telegram's rule for setWebhook's secret_token (sent back in X-Telegram-Bot-Api-Secret-Token).
WEBHOOK_SECRET_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,256}")
WEBHOOK_SECRET_RULE = "1-256 characters, each one of A-Z, a-z, 0-9, _ and -"
# The only ports Telegram delivers webhooks to.
TELEGRAM_WEBHOOK_PORTS = (443, 80, 88, 8443)


class ConfigError(Exception):
    """A setting is missing or malformed; the message says how to fix it."""


@dataclass(frozen=True, slots=True)
class WebhookSettings:
    """Webhook mode: Telegram POSTs each update to `url`; a reverse proxy forwards it (same
    path) to our own server on `listen`:`port`, which checks `secret` on every request."""

    url: str
    secret: str
    listen: str = DEFAULT_WEBHOOK_LISTEN
    port: int = DEFAULT_WEBHOOK_PORT

    @property
    def path(self) -> str:
        """The path Telegram (and the proxy, unchanged) sends updates to."""
        return urlsplit(self.url).path or "/"

    def __repr__(self) -> str:  # never print the secret
        return (
            f"WebhookSettings(url={self.url!r}, secret='***', listen={self.listen!r}, "
            f"port={self.port})"
        )


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
    # Messages a second the bot sends: overall (Telegram's free limit is about 30; paid
    # broadcasts allow up to 1000) and per chat (with a burst of bot.ratelimit.CHAT_BURST).
    # 0 lifts a limit (benchmarks measure the bot itself that way).
    telegram_rate_limit: float = 30.0
    telegram_chat_rate_limit: float = 1.0
    mode: str = "polling"  # BOT_MODE: "polling" or "webhook"
    webhook: WebhookSettings | None = None  # set exactly when mode == "webhook"

    def __repr__(self) -> str:  # never print the token
        return (
            f"Settings(token='***', database_url={redact_url(self.database_url)!r}, "
            f"api_base_url={self.api_base_url!r}, log_level={self.log_level!r}, "
            f"mode={self.mode!r}, webhook={self.webhook!r})"
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
    """Read settings; raise ConfigError when the bot token is missing or a setting is
    malformed (the message names the variable)."""
    if env_file:
        load_dotenv(env_file, override=False)
    token = os.environ.get("TELEGRAM_BOT_TOKEN", "").strip()
    if not token:
        raise ConfigError("TELEGRAM_BOT_TOKEN is not set")
    mode = os.environ.get("BOT_MODE", "").strip().lower() or "polling"
    if mode not in BOT_MODES:
        raise ConfigError(f"BOT_MODE must be polling or webhook, not {mode!r}")
    webhook = load_webhook_settings() if mode == "webhook" else None
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
        telegram_rate_limit=_rate_env("TELEGRAM_RATE_LIMIT", 30.0),
        telegram_chat_rate_limit=_rate_env("TELEGRAM_CHAT_RATE_LIMIT", 1.0),
        mode=mode,
        webhook=webhook,
    )


def load_webhook_settings() -> WebhookSettings:
    """WEBHOOK_URL, WEBHOOK_SECRET (both required), WEBHOOK_LISTEN, WEBHOOK_PORT."""
    url = os.environ.get("WEBHOOK_URL", "").strip()
    if not url:
        raise ConfigError(
            "WEBHOOK_URL is required with BOT_MODE=webhook: the public https URL Telegram "
            "posts updates to, e.g. https://bot.example.org/telegram"
        )
    parts = urlsplit(url)
    try:
        url_port = parts.port
    except ValueError:
        raise ConfigError(f"WEBHOOK_URL has an invalid port: {url!r}") from None
    if parts.scheme != "https" or not parts.hostname:
        raise ConfigError(f"WEBHOOK_URL must be an https:// URL with a host name, not {url!r}")
    if url_port is not None and url_port not in TELEGRAM_WEBHOOK_PORTS:
        raise ConfigError(
            f"WEBHOOK_URL uses port {url_port}; Telegram only delivers to ports "
            + ", ".join(map(str, TELEGRAM_WEBHOOK_PORTS))
        )
    if parts.fragment:
        raise ConfigError("WEBHOOK_URL must not have a #fragment")
    secret = os.environ.get("WEBHOOK_SECRET", "").strip()
    if not secret:
        raise ConfigError(
            f"WEBHOOK_SECRET is required with BOT_MODE=webhook ({WEBHOOK_SECRET_RULE}), "
            "e.g. from: python -c 'import secrets; print(secrets.token_urlsafe(32))'"
        )
    if not WEBHOOK_SECRET_PATTERN.fullmatch(secret):  # the value itself is never printed
        raise ConfigError(f"WEBHOOK_SECRET must be {WEBHOOK_SECRET_RULE}")
    listen = os.environ.get("WEBHOOK_LISTEN", "").strip() or DEFAULT_WEBHOOK_LISTEN
    port = _int_env("WEBHOOK_PORT", DEFAULT_WEBHOOK_PORT, minimum=1)
    if port > 65535:
        raise ConfigError("WEBHOOK_PORT must be at most 65535")
    return WebhookSettings(url=url, secret=secret, listen=listen, port=port)


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


def _rate_env(name: str, default: float) -> float:
    """Messages per second: a number, at least 0 (0 means no limit)."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number of messages per second, not {raw!r}") from None
    if not value >= 0 or value == float("inf"):
        raise ConfigError(f"{name} must be at least 0 (0 means no limit)")
    return value
