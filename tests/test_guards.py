"""The suite's guards: which databases the fixtures may wipe, where the seed articles are and
what happens when they are missing (tests/guards.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.guards import (
    SeedsAction,
    ci_enabled,
    missing_seeds_action,
    refuse_to_drop,
    seeds_dir,
)


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://postgres@127.0.0.1:5432/couples_test",
        "postgresql+psycopg://u:pw@db:5432/test",
        "postgresql://u@db/TEST_couples",
        "postgresql://u@db/test_db?sslmode=disable",
        "postgres://u@db:5432/contest",  # contains "test": the rule is about the name only
        "sqlite+aiosqlite:////tmp/run/couples_test.sqlite3",
    ],
)
def test_a_database_named_test_may_be_wiped(url: str) -> None:
    assert refuse_to_drop(url, {}) is None


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://postgres@127.0.0.1:5432/postgres",
        "postgresql+psycopg://u:pw@db.example:5432/couples",
        "postgresql://tester@127.0.0.1/couples",  # the user says test, the database does not
        "postgresql://u@test-db.internal:5432/couples",  # so does the host
        "postgresql://test:test@testhost/prod?application_name=test",  # and the query
        "postgresql://u@db",  # no database named at all: the server's default
        "sqlite+aiosqlite:////home/tests/data/couples.sqlite3",  # a folder called tests
    ],
)
def test_any_other_database_is_refused_naming_the_variable(url: str) -> None:
    refusal = refuse_to_drop(url, {})
    assert refusal is not None
    assert "TEST_DATABASE_URL" in refusal and "TEST_DATABASE_ALLOW_DROP=1" in refusal


def test_explicit_opt_in_lifts_the_refusal() -> None:
    url = "postgresql://postgres@127.0.0.1:5432/postgres"
    assert refuse_to_drop(url, {"TEST_DATABASE_ALLOW_DROP": "1"}) is None
    for value in ("", "0", "yes", "true", "11"):
        assert refuse_to_drop(url, {"TEST_DATABASE_ALLOW_DROP": value}) is not None


def test_an_unparseable_url_is_refused() -> None:
    refusal = refuse_to_drop("not a url", {})
    assert refusal is not None and "TEST_DATABASE_URL" in refusal


def test_seeds_dir_default_and_override(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    assert seeds_dir({}, repo) == tmp_path / "shared" / "seeds"
    assert seeds_dir({"SEEDS_DIR": "  "}, repo) == tmp_path / "shared" / "seeds"
    assert seeds_dir({"SEEDS_DIR": "elsewhere/seeds"}, repo) == repo / "elsewhere" / "seeds"
    absolute = tmp_path / "abs" / "seeds"
    assert seeds_dir({"SEEDS_DIR": str(absolute)}, repo) == absolute


@pytest.mark.parametrize(
    ("value", "on"),
    [("true", True), ("1", True), ("yes", True), ("", False), ("false", False), ("0", False)],
)
def test_ci_enabled(value: str, on: bool) -> None:
    assert ci_enabled({"CI": value}) is on
    assert ci_enabled({}) is False


def test_missing_seeds_skip_locally_and_fail_in_ci(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder"
    action, reason = missing_seeds_action(missing, ci=False)
    assert action is SeedsAction.SKIP and str(missing) in reason
    action, reason = missing_seeds_action(missing, ci=True)
    assert action is SeedsAction.FAIL and str(missing) in reason and "SEEDS_DIR" in reason


def test_present_seeds_run_with_or_without_ci(tmp_path: Path) -> None:
    for ci in (False, True):
        assert missing_seeds_action(tmp_path, ci=ci) == (SeedsAction.RUN, "")


def test_a_file_is_not_a_seeds_folder(tmp_path: Path) -> None:
    file = tmp_path / "seeds"
    file.write_text("")
    assert missing_seeds_action(file, ci=True)[0] is SeedsAction.FAIL
