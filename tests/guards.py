"""Decisions the test suite makes about its surroundings, kept pure so that they can be tested:
may the fixtures wipe the database that TEST_DATABASE_URL names, and where are the seed articles
(and what to do when they are missing)."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from pathlib import Path, PurePosixPath

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

ALLOW_DROP_VAR = "TEST_DATABASE_ALLOW_DROP"
DEFAULT_SEEDS_DIR = "../shared/seeds"


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


def ci_enabled(env: Mapping[str, str]) -> bool:
    """True where the CI variable is set to anything but an explicit no."""
    return env.get("CI", "").strip().lower() not in ("", "0", "false", "no", "off")


def seeds_dir(env: Mapping[str, str], repo_root: Path) -> Path:
    """The seed articles: `SEEDS_DIR`, else ../shared/seeds; a relative path is taken from the
    repository root (not from the current directory)."""
    configured = env.get("SEEDS_DIR", "").strip() or DEFAULT_SEEDS_DIR
    return (repo_root / Path(configured).expanduser()).resolve()


class SeedsAction(Enum):
    RUN = "run"
    SKIP = "skip"
    FAIL = "fail"


def missing_seeds_action(path: Path, ci: bool) -> tuple[SeedsAction, str]:
    """Run the seed check when the folder is there; otherwise skip locally, but fail in CI,
    where a silently skipped check would pass for a passed one."""
    if path.is_dir():
        return SeedsAction.RUN, ""
    reason = f"seed articles not found at {path} (set SEEDS_DIR to their folder)"
    if ci:
        return SeedsAction.FAIL, reason + "; CI is set, so this check may not be skipped"
    return SeedsAction.SKIP, reason
