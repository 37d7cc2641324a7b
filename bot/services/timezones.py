"""Finding IANA time zones from what people type: `Europe/Berlin`, `berlin`, `new york`."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

REGIONS = (
    "Africa",
    "America",
    "Antarctica",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
)

# Offered as buttons by /timezone and right after pairing.
COMMON_ZONES = (
    "Europe/London",
    "Europe/Berlin",
    "Europe/Madrid",
    "Europe/Paris",
    "Europe/Kyiv",
    "Europe/Moscow",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Asia/Kolkata",
    "Australia/Sydney",
)


def _key(text: str) -> str:
    return " ".join(text.strip().lower().replace("_", " ").replace("-", " ").split())


@cache
def _index() -> tuple[dict[str, str], dict[str, str]]:
    """(full name -> zone, city -> zone), both keyed case- and space-insensitively."""
    zones = available_timezones()
    by_name = {_key(z): z for z in zones}
    by_city: dict[str, str] = {}
    for zone in sorted(zones):
        if zone.split("/", 1)[0] not in REGIONS:
            continue
        city = _key(zone.rsplit("/", 1)[-1])
        # The shortest (most canonical) name wins, e.g. America/Louisville over
        # America/Kentucky/Louisville.
        if city not in by_city or zone.count("/") < by_city[city].count("/"):
            by_city[city] = zone
    by_name.setdefault("utc", "UTC")
    return by_name, by_city


def resolve_timezone(text: str) -> str | None:
    """The IANA zone for an IANA name or a city in the tz database, or None."""
    key = _key(text)
    if not key or len(key) > 64:
        return None
    by_name, by_city = _index()
    zone = by_name.get(key.replace(" / ", "/")) or by_city.get(key)
    if zone is None and "/" in key:
        zone = by_name.get(_key(key.replace(" ", "_")))
    return zone


def local_now(zone: str, now: datetime) -> datetime:
    return now.astimezone(ZoneInfo(zone))
