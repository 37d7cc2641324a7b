"""`python -m bot check`: is this installation ready to run?

Checks, in order: the database answers, its schema is at the migrations' head, Telegram (or
TELEGRAM_API_BASE_URL) accepts the token, and, with BOT_MODE=webhook, that the webhook settings
hold together. Each check prints one line: ``OK name: ...`` on stdout, or ``FAIL name: ...`` on
stderr, one per problem. Exit status 0 when everything is fine, else 1.

Nothing secret is printed: database URLs go through `redact_url`, and every line is scrubbed of
the token and the database password. Nothing is changed either: a missing SQLite file is
reported, not created, and migrations are compared, not applied (reading the settings creates
the empty ./data directory when DATABASE_URL is unset, as the bot itself does).
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from dotenv import load_dotenv

from bot.config import (
    DEFAULT_API_BASE_FILE_URL,
    DEFAULT_API_BASE_URL,
    ConfigError,
    Settings,
    load_settings,
    normalize_database_url,
    redact_url,
)
from bot.logging_setup import class_name, redact

# What Telegram accepts as a webhook's secret_token, and the ports it delivers webhooks to.
WEBHOOK_SECRET_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,256}")
WEBHOOK_PORTS = (443, 80, 88, 8443)
DB_TIMEOUT_SECONDS = 5
MIGRATE_HINT = "apply the migrations with `python -m bot migrate`"


@dataclass(frozen=True, slots=True)
class Result:
    name: str
    ok: bool
    detail: str

    @property
    def line(self) -> str:
        return f"{'OK' if self.ok else 'FAIL'} {self.name}: {self.detail}"


@dataclass(frozen=True, slots=True)
class Target:
    """What the checks look at, from the settings or, where those could not load, the
    environment itself."""

    token: str
    database_url: str
    api_base_url: str
    api_base_file_url: str
    bot_mode: str
    webhook_url: str
    webhook_secret: str

    @property
    def secrets(self) -> tuple[str, ...]:
        password = _password(self.database_url)
        return tuple(s for s in (self.token, password, self.webhook_secret) if s)


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, "").strip() or default


def _field(settings: Settings | None, paths: tuple[str, ...], env: str, default: str) -> str:
    """A setting that another part of the code base may or may not have added to Settings
    yet (the webhook ones, e.g. ``webhook.url``): the field when it is there, else the
    environment variable."""
    for path in paths:
        value: Any = settings
        for name in path.split("."):
            value = getattr(value, name, None)
        if value is not None:
            return str(value).strip() or default
    return _env(env, default)


def target_from_environment() -> tuple[Target, list[Result]]:
    """The settings as the bot would read them, plus a problem line if they do not load."""
    problems: list[Result] = []
    settings: Settings | None = None
    try:
        settings = load_settings(env_file=None)
    except ConfigError as error:
        # The token and webhook checks below say those in their own words.
        if not any(name in str(error) for name in ("TELEGRAM_BOT_TOKEN", "BOT_MODE", "WEBHOOK")):
            problems.append(Result("config", False, str(error)))
    if settings is not None:
        token, database_url = settings.token, settings.database_url
        api_base_url, api_base_file_url = settings.api_base_url, settings.api_base_file_url
    else:
        token = _env("TELEGRAM_BOT_TOKEN")
        raw_url = _env("DATABASE_URL")
        database_url = normalize_database_url(raw_url) if raw_url else _default_database_url()
        api_base_url = _env("TELEGRAM_API_BASE_URL", DEFAULT_API_BASE_URL)
        api_base_file_url = _env("TELEGRAM_API_BASE_FILE_URL", DEFAULT_API_BASE_FILE_URL)
    target = Target(
        token=token,
        database_url=database_url,
        api_base_url=api_base_url,
        api_base_file_url=api_base_file_url,
        bot_mode=_field(settings, ("bot_mode", "mode"), "BOT_MODE", "polling").lower(),
        webhook_url=_field(settings, ("webhook.url", "webhook_url"), "WEBHOOK_URL", ""),
        webhook_secret=_field(settings, ("webhook.secret", "webhook_secret"), "WEBHOOK_SECRET", ""),
    )
    return target, problems


def _default_database_url() -> str:
    """Where the bot keeps its SQLite file when DATABASE_URL is unset (without creating the
    directory, as normalize_database_url would)."""
    return f"sqlite+aiosqlite:///{(Path('data') / 'couples.sqlite3').resolve()}"


def _password(url: str) -> str:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).password or ""
    except ArgumentError:
        return ""


def _why(error: BaseException) -> str:
    """One line about an error: the driver's own first line when there is one (it says
    "connection refused" or "password authentication failed"), else its class."""
    original = getattr(error, "orig", None) or error
    text = next((line.strip() for line in str(original).splitlines() if line.strip()), "")
    return f"{class_name(original)}: {text}" if text else class_name(original)


# ---------------------------------------------------------------------- database


def _sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (None for other databases and in-memory SQLite)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(str(parsed.database))


def check_database(url: str) -> list[Result]:
    """The database answers `SELECT 1`, and its revision is the migrations' head."""
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from sqlalchemy import create_engine, text

    from bot.db import alembic_config, sync_url

    shown = redact_url(url)
    sqlite_file = _sqlite_file(url)
    if sqlite_file is not None and not sqlite_file.is_file():
        return [
            Result(
                "database",
                False,
                f"no SQLite file at {sqlite_file} (starting the bot, or "
                "`python -m bot migrate`, creates it; is DATABASE_URL right?)",
            )
        ]
    connect_args: dict[str, Any] = (
        {"timeout": DB_TIMEOUT_SECONDS}
        if sqlite_file is not None
        else {"connect_timeout": DB_TIMEOUT_SECONDS}
    )
    engine = create_engine(sync_url(url), connect_args=connect_args)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            current = set(MigrationContext.configure(connection).get_current_heads())
    except Exception as error:
        return [Result("database", False, f"{shown} cannot be reached: {_why(error)}")]
    finally:
        engine.dispose()
    results = [Result("database", True, f"{shown} answers")]
    script = ScriptDirectory.from_config(alembic_config(url))
    heads = set(script.get_heads())
    head_names = ", ".join(sorted(heads))
    if current == heads:
        results.append(Result("migrations", True, f"the database is at the head ({head_names})"))
    elif not current:
        results.append(
            Result(
                "migrations",
                False,
                f"the database has no schema yet (the code expects {head_names}); {MIGRATE_HINT}",
            )
        )
    else:
        known = {revision.revision for revision in script.walk_revisions()}
        unknown = sorted(current - known)
        if unknown:
            detail = (
                f"the database is at {', '.join(unknown)}, which this code does not know "
                "(migrated by a newer release?); run the release that migrated it"
            )
        else:
            detail = (
                f"the database is at {', '.join(sorted(current))}, the code expects "
                f"{head_names}; {MIGRATE_HINT}"
            )
        results.append(Result("migrations", False, detail))
    return results


# ---------------------------------------------------------------------- token


async def check_token(token: str, base_url: str, base_file_url: str) -> Result:
    """getMe through the configured Bot API endpoint."""
    from telegram import Bot
    from telegram.error import InvalidToken, NetworkError, TelegramError
    from telegram.request import HTTPXRequest

    where = redact_url(base_url)
    if not token:
        return Result("token", False, "TELEGRAM_BOT_TOKEN is not set (get one from @BotFather)")
    request = HTTPXRequest(connect_timeout=5.0, read_timeout=10.0)
    try:
        bot = Bot(token, base_url=base_url, base_file_url=base_file_url, request=request)
        async with bot:
            me = bot.bot
    except InvalidToken:
        return Result("token", False, f"rejected by {where}: check TELEGRAM_BOT_TOKEN")
    except NetworkError as error:  # also timeouts
        return Result("token", False, f"{where} cannot be reached: {_why(error)}")
    except TelegramError as error:
        return Result("token", False, f"{where} answered getMe with {_why(error)}")
    return Result("token", True, f"accepted by {where}: the bot is @{me.username} (id {me.id})")


# ---------------------------------------------------------------------- webhook


def check_webhook(mode: str, url: str, secret: str) -> list[Result]:
    """With BOT_MODE=webhook: an https WEBHOOK_URL with a path, on a port Telegram delivers
    to, and a WEBHOOK_SECRET Telegram accepts."""
    if mode in ("", "polling"):
        return [Result("webhook", True, "not used (BOT_MODE=polling: long polling)")]
    if mode != "webhook":
        return [Result("webhook", False, f"BOT_MODE must be polling or webhook, not {mode!r}")]
    problems: list[str] = []
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = -1
    if not url:
        problems.append("WEBHOOK_URL is not set (e.g. https://bot.example.org/telegram)")
    elif parts.scheme != "https" or not parts.hostname:
        problems.append("WEBHOOK_URL must be an https:// address (Telegram only calls https)")
    else:
        if parts.path in ("", "/"):
            problems.append(
                "WEBHOOK_URL needs a path (e.g. https://bot.example.org/telegram), so that "
                "the reverse proxy forwards only that path to the bot"
            )
        if port is not None and port not in WEBHOOK_PORTS:
            problems.append(
                "WEBHOOK_URL's port must be one Telegram delivers to: "
                + ", ".join(map(str, WEBHOOK_PORTS))
            )
    if not secret:
        problems.append(
            "WEBHOOK_SECRET is not set (Telegram sends it with every update, so that the bot can "
            "tell Telegram's requests from anyone else's)"
        )
    elif not WEBHOOK_SECRET_PATTERN.fullmatch(secret):
        problems.append("WEBHOOK_SECRET may hold only A-Z, a-z, 0-9, _ and -, 1 to 256 of them")
    if problems:
        return [Result("webhook", False, problem) for problem in problems]
    return [Result("webhook", True, f"https://{parts.hostname}/..., WEBHOOK_SECRET set")]


# ---------------------------------------------------------------------- all of them


async def run_checks() -> list[Result]:
    """Every check, reading the environment as `python -m bot` does."""
    target, results = target_from_environment()
    results += await asyncio.to_thread(check_database, target.database_url)
    results.append(await check_token(target.token, target.api_base_url, target.api_base_file_url))
    results += check_webhook(target.bot_mode, target.webhook_url, target.webhook_secret)
    return [Result(r.name, r.ok, _scrub(r.detail, target.secrets)) for r in results]


def _scrub(text: str, secrets: tuple[str, ...]) -> str:
    """No secret of the target (short ones would mangle the line, and do not appear in it: a
    database URL is shown redacted), nor anything shaped like a bot token."""
    for secret in secrets:
        if len(secret) >= 4:
            text = text.replace(secret, "***")
    return redact(text)


def main() -> int:
    """Print one line per check (problems on stderr); 0 when all passed, else 1."""
    from bot.logging_setup import setup_logging

    load_dotenv(".env", override=False)
    setup_logging("WARNING", secrets=(_env("TELEGRAM_BOT_TOKEN"),))
    for chatty in ("alembic", "telegram", "httpx"):  # their INFO lines are not check results
        logging.getLogger(chatty).setLevel(logging.WARNING)
    results = asyncio.run(run_checks())
    for result in results:
        print(result.line, file=sys.stdout if result.ok else sys.stderr, flush=True)
    return 0 if all(result.ok for result in results) else 1
