"""Property-based tests (Hypothesis).

Profiles: `ci` (the default) runs a fixed, derandomized set of examples without an example
database, so a run is reproducible and its time bounded; `HYPOTHESIS_PROFILE=thorough` tries
many more, random examples for a local hunt.

Every test here sees time zones from the `tzdata` package only (see `tz_support`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import settings

from tests.properties.tz_support import tzdata_only

settings.register_profile("ci", max_examples=200, deadline=None, derandomize=True, database=None)
settings.register_profile(
    "thorough", max_examples=3000, deadline=None, database=None, print_blob=True
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="package", autouse=True)
def zones_from_tzdata() -> Iterator[None]:
    with tzdata_only():
        yield
