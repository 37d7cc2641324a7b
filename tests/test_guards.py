"""The suite's guards: which databases the fixtures may wipe (tests/guards.py)."""

from __future__ import annotations

import pytest

from tests.guards import refuse_to_drop


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
