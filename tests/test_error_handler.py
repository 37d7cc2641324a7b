"""The error handler: network hiccups while polling are one quiet line."""

from __future__ import annotations

import logging
from types import SimpleNamespace

import pytest
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
