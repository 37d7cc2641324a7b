"""Resolving what people type into time zones and languages."""

from __future__ import annotations

import pytest

from bot.services.timezones import COMMON_ZONES, resolve_timezone
from locales import resolve_language


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("europe/berlin", "Europe/Berlin"),
        ("Berlin", "Europe/Berlin"),
        ("new york", "America/New_York"),
        ("New_York", "America/New_York"),
        ("  sao   paulo ", "America/Sao_Paulo"),
        ("America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires"),
        ("tokyo", "Asia/Tokyo"),
        ("UTC", "UTC"),
    ],
)
def test_resolves_names_and_cities(typed: str, zone: str) -> None:
    assert resolve_timezone(typed) == zone


def test_city_in_a_nested_region_resolves() -> None:
    zone = resolve_timezone("buenos aires")
    assert zone is not None and zone.endswith("/Buenos_Aires")


@pytest.mark.parametrize("typed", ["", "Atlantis", "Europe/Nowhere", "x" * 500, "../etc"])
def test_unknown_zones(typed: str) -> None:
    assert resolve_timezone(typed) is None


def test_common_zones_all_resolve() -> None:
    assert all(resolve_timezone(z) == z for z in COMMON_ZONES)


@pytest.mark.parametrize(
    ("code", "language"),
    [
        ("de", "de"),
        ("de-AT", "de"),
        ("DE", "de"),
        ("en-GB", "en"),
        (None, "en"),
        ("xx", "en"),
        ("pt-br", "pt_BR"),
        ("pt", "pt_BR"),
        ("pt-PT", "pt_BR"),
        ("uk", "uk"),
        ("ru-RU", "ru"),
        ("es-419", "es"),
        ("fr-CA", "fr"),
        ("zh-hans", "en"),
    ],
)
def test_telegram_language_codes(code: str | None, language: str) -> None:
    assert resolve_language(code) == language
