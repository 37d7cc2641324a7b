"""The two people in the playground: who they are, and what the bot's database says about them
(time zone, language, partner, next ritual)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from bot.db import Database
from bot.local_api import SimulatedUser
from bot.models import RitualSchedule, User
from bot.services import people, users
from bot.services.timezones import resolve_timezone
from locales import LANGUAGES

MAX_NAME = 64
MAX_ZONE = 64


class PlaygroundError(Exception):
    """Something the person did that the playground refuses, with a message for the page."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True, slots=True)
class Persona:
    name: str
    language: str
    timezone: str

    def to_json(self) -> dict[str, str]:
        return asdict(self)


DEFAULTS = {
    "a": Persona("Alex", "en", "Europe/Berlin"),
    "b": Persona("Sam", "de", "America/New_York"),
}


def persona_from(data: Mapping[str, Any] | None, default: Persona) -> Persona:
    """A persona from form/JSON fields ``name``, ``language``, ``timezone`` (blank: default)."""
    data = data or {}
    name = " ".join(str(data.get("name") or "").split())[:MAX_NAME] or default.name
    language = str(data.get("language") or "").strip() or default.language
    if language not in LANGUAGES:
        raise PlaygroundError(f"unknown language {language[:16]!r}; use one of {list(LANGUAGES)}")
    zone = " ".join(str(data.get("timezone") or "").split())[:MAX_ZONE] or default.timezone
    return Persona(name, language, zone)


@dataclass(slots=True)
class Participant:
    role: str
    persona: Persona
    user: SimulatedUser

    @property
    def user_id(self) -> int:
        return self.user.id

    def to_json(self) -> dict[str, Any]:
        # The zone of the person's "phone": message times are shown in it.
        device_zone = resolve_timezone(self.persona.timezone) or "UTC"
        return {
            "role": self.role,
            "user_id": self.user_id,
            "device_zone": device_zone,
            **self.persona.to_json(),
        }


@dataclass(slots=True)
class Session:
    number: int
    participants: dict[str, Participant]

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "people": {role: p.to_json() for role, p in self.participants.items()},
        }

    def role_of(self, chat_id: int) -> str | None:
        for role, participant in self.participants.items():
            if participant.user_id == chat_id:
                return role
        return None


async def people_state(db: Database, session: Session | None) -> dict[str, Any]:
    """What the bot knows about each participant (after /start): zone, language, partner."""
    if session is None:
        return {}
    out: dict[str, Any] = {}
    async with db.transaction() as tx:
        for role, participant in session.participants.items():
            user = await tx.get(User, participant.user_id)
            if user is None:
                out[role] = {"known": False, "timezone": "UTC", "language": None}
                continue
            partner = await users.partner_of(tx, user)
            out[role] = {
                "known": True,
                "timezone": user.timezone,
                "language": people.language_of(user),
                "partner": partner.first_name if partner else None,
            }
    return out


async def next_ritual(db: Database, user_ids: list[int]) -> tuple[datetime, str, int] | None:
    """(when, ritual, user id) of the earliest enabled ritual of these users."""
    if not user_ids:
        return None
    stmt = (
        select(RitualSchedule.next_fire_at, RitualSchedule.ritual, RitualSchedule.user_id)
        .where(
            RitualSchedule.user_id.in_(user_ids),
            RitualSchedule.enabled.is_(True),
            RitualSchedule.next_fire_at.is_not(None),
        )
        .order_by(RitualSchedule.next_fire_at)
        .limit(1)
    )
    async with db.transaction() as tx:
        row = (await tx.execute(stmt)).first()
    if row is None or row[0] is None:
        return None
    return row[0], str(row[1]), int(row[2])
