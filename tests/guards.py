"""Decisions the test suite makes about its surroundings, kept pure so that they can be tested:
may the fixtures wipe the database that TEST_DATABASE_URL names."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePosixPath

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

ALLOW_DROP_VAR = "TEST_DATABASE_ALLOW_DROP"


def refuse_to_drop(url: str, env: Mapping[str, str]) -> str | None:
    """Why the fixtures must not drop the `public` schema of the database at `url`, or None.

    Only the database *name* counts: it must contain "test" (any case), whatever the host or the
    user are called. `TEST_DATABASE_ALLOW_DROP=1` lifts the rule for a database named otherwise.
    """
    if env.get(ALLOW_DROP_VAR, "").strip() == "1":
        return None
    try:
        database = make_url(url).database or ""
    except ArgumentError:
        return f"TEST_DATABASE_URL is not a database URL: {url!r}"
    name = PurePosixPath(database).name  # a SQLite file: its name, not the folders above it
    if "test" in name.lower():
        return None
    return (
        f"TEST_DATABASE_URL names the database {database!r}, whose name does not contain "
        f"'test'; the tests drop its whole `public` schema. Point TEST_DATABASE_URL at a "
        f"throwaway database (e.g. couples_test), or set {ALLOW_DROP_VAR}=1 if this one "
        f"really may be wiped."
    )
