"""LOG_FORMAT=json: one JSON object a line, redacted like the text format; the operations
settings (LOG_FORMAT, METRICS_PORT, METRICS_LISTEN) as read from the environment."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings
from bot.logging_setup import REDACTED, log_handler, withheld

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "7654321:AAE-secret_token_value_0123456789"
SECRET_PART = TOKEN.split(":", 1)[1]
WORDS = "-".join(("private", "words", "9f3a"))


@pytest.fixture
def capture() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger writing through the JSON handler into a string."""
    stream = io.StringIO()
    handler = log_handler("json", (TOKEN,), stream=stream)
    logger = logging.getLogger("tests.json_logs")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    yield logger, stream
    logger.removeHandler(handler)
    logger.propagate = True


def parsed(stream: io.StringIO) -> list[dict[str, str]]:
    lines = stream.getvalue().splitlines()
    assert lines, "nothing was logged"
    return [json.loads(line) for line in lines]  # every line is one JSON object


def test_every_line_is_one_json_object_and_the_token_never_appears(
    capture: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = capture
    logger.info("GET https://api.telegram.org/bot%s/getMe", TOKEN)
    logger.warning("two\nlines, ünïcode and a token-shaped 1234567:%s", "x" * 30)
    try:
        raise RuntimeError(f"request to /bot{TOKEN}/sendMessage failed")
    except RuntimeError:
        logger.exception("sending failed")
    try:
        try:
            raise KeyError(WORDS)  # a traceback shows source lines: the words are not in them
        except KeyError as inner:
            raise ValueError(f"more {WORDS}") from inner
    except ValueError as error:
        logger.error("withheld", exc_info=withheld(error))

    records = parsed(stream)
    assert len(records) == 4
    text = stream.getvalue()
    assert TOKEN not in text and SECRET_PART not in text
    assert "x" * 30 not in text
    for record in records:
        assert {"ts", "level", "logger", "message"} <= set(record)
        assert record["logger"] == "tests.json_logs"
        assert record["ts"].endswith("Z") and "T" in record["ts"]
    info, warning, crash, held = records
    assert info["level"] == "INFO" and REDACTED in info["message"]
    assert "exc" not in info and "traceback" not in info
    assert warning["message"].startswith("two\nlines, ünïcode")
    assert crash["exc"] == "RuntimeError"
    assert crash["traceback"].startswith("Traceback (most recent call last)")
    assert REDACTED in crash["traceback"]
    assert held["exc"] == "ValueError <- KeyError"  # the classes it stands for
    assert WORDS not in held["traceback"]


def test_the_final_line_is_redacted_too() -> None:
    """Not only the message and traceback: whatever ends up on the line (here a logger whose
    name is shaped like a token, which the record filter does not look at)."""
    stream = io.StringIO()
    logger = logging.getLogger(f"tests.named.{TOKEN}")
    handler = log_handler("json", (), stream=stream)
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("hello")
    finally:
        logger.removeHandler(handler)
    (record,) = parsed(stream)
    assert record["logger"] == f"tests.named.{REDACTED}"
    assert SECRET_PART not in stream.getvalue()


def test_text_format_is_still_plain_lines() -> None:
    stream = io.StringIO()
    logger = logging.getLogger("tests.text_logs")
    handler = log_handler("text", (TOKEN,), stream=stream)
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("token %s", TOKEN)
    finally:
        logger.removeHandler(handler)
    line = stream.getvalue()
    assert line.rstrip().endswith(f"WARNING tests.text_logs: token {REDACTED}")
    assert not line.startswith("{")


def test_setup_logging_reads_log_format_from_the_environment(tmp_path: Path) -> None:
    script = (
        "import logging\n"
        "from bot.logging_setup import setup_logging\n"
        f"setup_logging('INFO', secrets=({TOKEN!r},))\n"
        f"logging.getLogger('telegram.ext').warning('polling /bot{TOKEN}/getUpdates')\n"
        "try:\n"
        f"    raise OSError('connect to /bot{TOKEN}/getMe')\n"
        "except OSError:\n"
        "    logging.getLogger('bot').exception('it failed')\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    env.update(PYTHONPATH=str(ROOT), LOG_FORMAT="json")
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stderr.splitlines()]
    assert [r["logger"] for r in records] == ["telegram.ext", "bot"]
    assert records[1]["exc"] == "OSError"
    assert SECRET_PART not in result.stderr


def test_operations_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    for name in ("LOG_FORMAT", "METRICS_PORT", "METRICS_LISTEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/never-created.sqlite3")
    defaults = load_settings(env_file=None)
    assert (defaults.log_format, defaults.metrics_port, defaults.metrics_listen) == (
        "text",
        0,
        "127.0.0.1",
    )
    monkeypatch.setenv("LOG_FORMAT", "JSON")
    monkeypatch.setenv("METRICS_PORT", "9108")
    monkeypatch.setenv("METRICS_LISTEN", "0.0.0.0")
    chosen = load_settings(env_file=None)
    assert (chosen.log_format, chosen.metrics_port, chosen.metrics_listen) == (
        "json",
        9108,
        "0.0.0.0",
    )
    for name, bad in (("LOG_FORMAT", "xml"), ("METRICS_PORT", "70000"), ("METRICS_PORT", "x")):
        monkeypatch.setenv(name, bad)
        with pytest.raises(ConfigError, match=name):
            load_settings(env_file=None)
        monkeypatch.delenv(name)
