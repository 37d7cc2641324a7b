"""Logging that never writes the bot token (PTB and httpx log request URLs that contain it),
and exceptions logged by their classes and frames only, never by their message text.

Two formats (LOG_FORMAT): ``text``, one human-readable line per record (tracebacks on the lines
after it), and ``json``, one JSON object a line: ``ts``, ``level``, ``logger``, ``message``, and
``exc`` (the exception's class chain) with ``traceback`` when an exception was logged. Either
way the redaction runs twice: on the record (so every handler sees a clean one) and on the
final formatted line."""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from datetime import UTC, datetime
from typing import TextIO

TOKEN_PATTERN = re.compile(r"\d{3,}:[A-Za-z0-9_-]{20,}")
REDACTED = "<redacted-token>"
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    """`text` without the given secrets and without anything shaped like a bot token."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return TOKEN_PATTERN.sub(REDACTED, text)


class RedactingFilter(logging.Filter):
    """Replaces the bot token (and anything shaped like one) in every record."""

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.secrets = tuple(s for s in secrets if s)

    def _clean(self, text: str) -> str:
        return redact(text, self.secrets)

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

    original_class = "Withheld"  # the class it stands in for (set by `withheld`)


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
        stand_in.original_class = class_name(original)
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


def _exception_classes(error: BaseException) -> str:
    """The class chain, naming what a `Withheld` stand-in stands for."""
    return " <- ".join(
        e.original_class if isinstance(e, Withheld) else class_name(e) for e in _chain(error)
    )


class JsonFormatter(logging.Formatter):
    """One JSON object a line: ts (UTC, ISO 8601), level, logger, message; exc and traceback
    when an exception was logged; stack when stack_info was asked for."""

    def format(self, record: logging.LogRecord) -> str:
        moment = datetime.fromtimestamp(record.created, UTC)
        payload: dict[str, str] = {
            "ts": moment.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and record.exc_info[1] is not None:
            payload["exc"] = _exception_classes(record.exc_info[1])
            if not record.exc_text:
                record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            payload["traceback"] = record.exc_text
        if record.stack_info:
            payload["stack"] = self.formatStack(record.stack_info)
        return json.dumps(payload, ensure_ascii=False, default=str)


class RedactingFormatter(logging.Formatter):
    """Another formatter's output, redacted: what reaches the stream is the final line."""

    def __init__(self, inner: logging.Formatter, secrets: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.inner = inner
        self.secrets = tuple(s for s in secrets if s)

    def format(self, record: logging.LogRecord) -> str:
        return redact(self.inner.format(record), self.secrets)


def log_handler(
    log_format: str, secrets: tuple[str, ...], stream: TextIO | None = None
) -> logging.Handler:
    """A stream handler (stderr by default) writing `text` or `json` lines, redacted."""
    handler = logging.StreamHandler(stream if stream is not None else sys.stderr)
    inner = JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT)
    handler.setFormatter(RedactingFormatter(inner, secrets))
    handler.addFilter(RedactingFilter(secrets))
    return handler


def setup_logging(level: str, secrets: tuple[str, ...], log_format: str | None = None) -> None:
    """Like logging.basicConfig (a root logger that already has handlers keeps them), with
    the format from `log_format` or LOG_FORMAT (`text` unless it says `json`)."""
    if log_format is None:
        log_format = os.environ.get("LOG_FORMAT", "").strip().lower() or "text"
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(log_handler(log_format, secrets))
        root.setLevel(getattr(logging, level.upper(), logging.INFO))
    quiet_libraries()
    install_redaction(secrets)
