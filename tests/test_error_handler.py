"""The error handler: network hiccups while polling are one quiet line; other errors are
logged with their update, classes and frames, never with their message text."""

from __future__ import annotations

import logging
import traceback
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from telegram import CallbackQuery, Chat, Message, Update
from telegram import User as TgUser
from telegram.constants import ChatType
from telegram.error import NetworkError

from handlers.fallback import on_error


async def test_polling_network_errors_are_one_warning(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="handlers.fallback")
    await on_error(None, SimpleNamespace(error=NetworkError("connect failed")))  # type: ignore[arg-type]
    records = [r for r in caplog.records if r.name == "handlers.fallback"]
    assert [(r.levelno, r.exc_info) for r in records] == [(logging.WARNING, None)]
    assert "NetworkError" in records[0].getMessage()


async def test_other_errors_are_logged_with_their_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="handlers.fallback")
    try:
        raise RuntimeError("boom")
    except RuntimeError as error:
        await on_error(None, SimpleNamespace(error=error))  # type: ignore[arg-type]
    records = [r for r in caplog.records if r.name == "handlers.fallback"]
    assert records and records[0].levelno == logging.ERROR and records[0].exc_info


SECRET = "marker-users-words-6b0e"


def update_from_group(kind: str) -> Update:
    """An update from a group chat: the handler logs it and sends nothing."""
    chat = Chat(id=-500, type=ChatType.GROUP)
    sender = TgUser(id=4242, first_name="name-" + SECRET, is_bot=False)
    message = Message(
        message_id=9,
        date=datetime(2026, 6, 8, tzinfo=UTC),
        chat=chat,
        from_user=sender,
        text=SECRET,
    )
    if kind == "message":
        return Update(update_id=31337, message=message)
    query = CallbackQuery(
        id="cq1", from_user=sender, chat_instance="ci", data=SECRET, message=message
    )
    return Update(update_id=31337, callback_query=query)


def everything_logged(caplog: pytest.LogCaptureFixture) -> str:
    """What any handler or formatter could write: messages, arguments and tracebacks."""
    parts = [caplog.text]
    for record in caplog.records:
        parts += [record.getMessage(), str(record.args), str(record.exc_text)]
        if record.exc_info:
            parts += traceback.format_exception(*record.exc_info)
    return "\n".join(parts)


@pytest.mark.parametrize("kind", ["message", "callback_query"])
async def test_errors_are_logged_without_their_message_text(
    caplog: pytest.LogCaptureFixture, kind: str
) -> None:
    caplog.set_level(logging.DEBUG)
    try:
        try:
            raise KeyError(f"key {SECRET}")
        except KeyError as cause:
            raise ValueError(f"could not store {SECRET}") from cause
    except ValueError as error:
        await on_error(update_from_group(kind), SimpleNamespace(error=error))  # type: ignore[arg-type]
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    line = errors[0].getMessage()
    for expected in (kind, "update 31337", "user 4242", "chat -500", "ValueError", "KeyError"):
        assert expected in line, expected
    assert errors[0].exc_info  # the traceback frames are still there
    logged = everything_logged(caplog)
    assert "test_errors_are_logged_without_their_message_text" in logged  # a frame
    assert "raise ValueError" in logged
    assert SECRET not in logged
