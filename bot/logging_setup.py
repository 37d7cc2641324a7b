"""Logging that never writes the bot token (PTB and httpx log request URLs that contain it),
and exceptions logged by their classes and frames only, never by their message text."""

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


class Withheld(Exception):
    """Stands in for an exception in the logs: its class and traceback, not its message.
    Messages can hold what users wrote (a database driver quotes the failing values, a
    parser quotes the text it choked on)."""


def class_name(error: BaseException) -> str:
    kind = type(error)
    return (
        kind.__qualname__
        if kind.__module__ == "builtins"
        else f"{kind.__module__}.{kind.__qualname__}"
    )


def _chain(error: BaseException) -> list[BaseException]:
    """The exception, then what caused it (or what it happened during), without loops."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    return chain


def class_chain(error: BaseException) -> str:
    """E.g. "sqlalchemy.exc.OperationalError <- sqlite3.OperationalError"."""
    return " <- ".join(class_name(e) for e in _chain(error))


def withheld(error: BaseException) -> Withheld:
    """For `exc_info=`: the same chain of classes and traceback frames, with no message."""
    originals = _chain(error)
    stand_ins = [Withheld(f"{class_name(e)} (message withheld)") for e in originals]
    for original, stand_in in zip(originals, stand_ins, strict=True):
        stand_in.__traceback__ = original.__traceback__
    for original, effect, cause in zip(originals, stand_ins, stand_ins[1:], strict=False):
        if original.__cause__ is not None:
            effect.__cause__ = cause
        else:
            effect.__context__ = cause
    return stand_ins[0]


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
