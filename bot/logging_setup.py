"""Logging that never writes the bot token (PTB and httpx log request URLs that contain it)."""

from __future__ import annotations

import logging
import re

TOKEN_PATTERN = re.compile(r"\d{3,}:[A-Za-z0-9_-]{20,}")
REDACTED = "<redacted-token>"


class RedactingFilter(logging.Filter):
    """Replaces the bot token (and anything shaped like one) in every record."""

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.secrets = tuple(s for s in secrets if s)

    def _clean(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return TOKEN_PATTERN.sub(REDACTED, text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = self._clean(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._clean(record.exc_text)
        return True


def install_redaction(secrets: tuple[str, ...], handler: logging.Handler | None = None) -> None:
    """Attach the filter to `handler`, or to every handler of the root logger."""
    targets = [handler] if handler is not None else list(logging.getLogger().handlers)
    for target in targets:
        if not any(isinstance(f, RedactingFilter) for f in target.filters):
            target.addFilter(RedactingFilter(secrets))


# Library loggers that would otherwise write secrets or private words, and their floor:
# httpx logs every request URL (which carries the token) at INFO; python-telegram-bot's and the
# database drivers' DEBUG output echoes request and query parameters: the couples' words.
QUIET_LOGGERS: dict[str, int] = {
    "httpx": logging.WARNING,
    "httpcore": logging.WARNING,
    "telegram": logging.INFO,
    "apscheduler": logging.WARNING,
    "aiohttp.access": logging.WARNING,
    # Database drivers log statements with their parameters (answers) at DEBUG.
    "aiosqlite": logging.WARNING,
    "sqlalchemy": logging.WARNING,
    "psycopg": logging.WARNING,
    "alembic": logging.INFO,
}


def quiet_libraries() -> None:
    for name, floor in QUIET_LOGGERS.items():
        logging.getLogger(name).setLevel(floor)


def setup_logging(level: str, secrets: tuple[str, ...]) -> None:
    logging.basicConfig(
        level=getattr(logging, level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    quiet_libraries()
    install_redaction(secrets)
