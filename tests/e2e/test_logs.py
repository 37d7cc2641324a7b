"""What the bot writes to its logs during a whole session, and when something fails."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import event
from telegram.ext import Application

from bot.clock import FakeClock
from bot.db import Database
from bot.local_api import LocalBotApi
from bot.logging_setup import QUIET_LOGGERS, install_redaction, quiet_libraries
from scheduler.jobs import tick
from tests.e2e.conftest import pair_up, quiet


async def test_debug_logs_never_contain_the_token(
    api: LocalBotApi, bot: Application, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    install_redaction((api.token,), handler=caplog.handler)
    caplog.set_level(logging.DEBUG)
    ann, ben = api.user(1001, "Ann"), api.user(1002, "Ben")
    clock.set(datetime(2026, 6, 8, 8, 0, tzinfo=UTC))
    await pair_up(api, ann, ben)
    await ann.send("/timezone Berlin")
    await ann.next_message()
    api.fail_next("sendMessage", error_code=429, retry_after=1, chat_id=ann.chat_id)
    clock.set(datetime(2026, 6, 8, 10, 30, tzinfo=UTC))
    await tick(bot)
    await ann.next_message()
    await ann.send("/unpair")
    await ann.press("Yes, end it", await ann.next_message())
    await ben.next_message()
    assert len(caplog.records) > 20  # PTB and httpx did log at DEBUG
    text = caplog.text + "".join(str(r.args) for r in caplog.records)
    assert api.token not in text
    assert api.token.split(":", 1)[1] not in text


WORDS = "marker-words-in-a-failing-answer-c41d"


@pytest.fixture
def production_log_levels() -> Iterator[None]:
    """The library floors the bot sets in production (restored afterwards: they are global)."""
    saved = {name: logging.getLogger(name).level for name in QUIET_LOGGERS}
    quiet_libraries()
    yield
    for name, level in saved.items():
        logging.getLogger(name).setLevel(level)


@pytest.fixture
def answers_fail(db: Database) -> Iterator[None]:
    """The database refuses to store an answer holding WORDS, the way a driver does: with an
    error of its own whose message quotes the value (as PostgreSQL's DETAIL lines do)."""
    driver_error = db.engine.dialect.loaded_dbapi.OperationalError

    def refuse(
        conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool
    ) -> None:
        if "checkin_answers" in statement and WORDS in str(parameters):
            raise driver_error(f"could not write the row holding ({WORDS})")

    event.listen(db.engine.sync_engine, "before_cursor_execute", refuse)
    yield
    event.remove(db.engine.sync_engine, "before_cursor_execute", refuse)


def everything_logged(caplog: pytest.LogCaptureFixture) -> str:
    """What any handler or formatter could write: messages, arguments and tracebacks. Records
    of the local Bot API server are left out: it stands in for Telegram, not for the bot."""
    parts = [caplog.text]
    for record in caplog.records:
        if record.name.startswith("bot.local_api"):
            continue
        parts += [record.getMessage(), str(record.args), str(record.exc_text)]
        if record.exc_info:
            parts += traceback.format_exception(*record.exc_info)
    return "\n".join(parts)


async def test_a_database_error_is_logged_without_the_words(
    api: LocalBotApi,
    bot: Application,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
    production_log_levels: None,
    answers_fail: None,
) -> None:
    install_redaction((api.token,), handler=caplog.handler)
    caplog.set_level(logging.DEBUG)
    ann, ben = api.user(1001, "Ann"), api.user(1002, "Ben")
    clock.set(datetime(2026, 6, 8, 8, 0, tzinfo=UTC))
    await pair_up(api, ann, ben)
    await ann.send("/checkin")
    await ann.press("🙂", await ann.next_message())
    await ann.next_message()  # the day's question
    await ann.send(f"my answer: {WORDS}")
    update_id = api.state.last_update_id
    assert "something went wrong" in (await ann.next_message()).entities_text
    await quiet(api, bot, ben)

    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1, [r.getMessage() for r in errors]
    line = errors[0].getMessage()
    assert f"message update {update_id} from user {ann.id} in chat {ann.chat_id}" in line
    assert "OperationalError" in line
    assert errors[0].exc_info  # with the traceback frames
    assert WORDS not in everything_logged(caplog)
