"""Users: who they are, their language and time zone, and who their partner is."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import is_postgres
from bot.models import Couple, User
from bot.services.people import Person, person_in, row_of
from bot.services.rituals import reschedule_user
from bot.services.work import Work
from locales import match_language


@dataclass(frozen=True, slots=True)
class TelegramProfile:
    """What Telegram tells us about the sender of an update."""

    user_id: int
    chat_id: int
    first_name: str
    language_code: str | None = None


async def ensure_user(session: AsyncSession, profile: TelegramProfile, now: datetime) -> User:
    """Create the user on first contact; keep name, chat and Telegram language current."""
    user = await session.get(User, profile.user_id)
    first_name = (profile.first_name or "").strip()[:128] or str(profile.user_id)
    if user is None:
        user = User(
            id=profile.user_id,
            chat_id=profile.chat_id,
            first_name=first_name,
            telegram_language=profile.language_code,
            timezone="UTC",
            is_active=True,
            created_at=now,
        )
        session.add(user)
        await session.flush()
        return user
    user.chat_id = profile.chat_id
    user.first_name = first_name
    if profile.language_code:
        user.telegram_language = profile.language_code
    if not user.is_active:  # they wrote to us, so they no longer block the bot (the partner
        user.is_active = True  # hears it: see `reachability.welcome_back`)
    return user


async def get_user(session: AsyncSession, user_id: int) -> User | None:
    return await session.get(User, user_id)


async def partner_of(session: AsyncSession, user: User) -> User | None:
    if user.couple_id is None:
        return None
    stmt = select(User).where(User.couple_id == user.couple_id, User.id != user.id)
    return (await session.execute(stmt)).scalar_one_or_none()


async def members_of(session: AsyncSession, couple_id: int) -> list[User]:
    stmt = select(User).where(User.couple_id == couple_id).order_by(User.id)
    return list((await session.execute(stmt)).scalars())


class UnknownLanguage(ValueError):
    pass


async def set_language(session: AsyncSession, user: User, code: str) -> str:
    """Set an explicit language; raise UnknownLanguage for one the bot does not speak."""
    match = match_language(code)
    if match is None:
        raise UnknownLanguage(code)
    user.language = match
    await session.flush()
    return match


async def set_timezone(session: AsyncSession, user: User, zone: str, now: datetime) -> None:
    """Change the user's zone; their rituals move to the same local times in the new zone."""
    user.timezone = zone
    await reschedule_user(session, user, now)


# For handlers: a unit of work and people in, people out.


async def identify(work: Work, profile: TelegramProfile, now: datetime) -> Person:
    """The sender of an update, created on first contact (see `ensure_user`)."""
    return person_in(work, await ensure_user(work.session, profile, now))


async def person(work: Work, user_id: int) -> Person | None:
    user = await get_user(work.session, user_id)
    return person_in(work, user) if user is not None else None


async def with_partners(work: Work, user_ids: Collection[int]) -> dict[int, tuple[Person, Person]]:
    """Many paired users with their partners, in three queries whatever their number (for
    the scheduler). Their couples' rows stay at hand in `work` too, so the services that
    look a couple up find it without a query; on PostgreSQL they are locked, in id order, as
    a check-in's start locks its couple: two processes composing batches at once wait for
    each other instead of deadlocking. Users missing or unpaired are left out."""
    session = work.session
    found = list((await session.execute(select(User).where(User.id.in_(user_ids)))).scalars())
    couple_ids = {u.couple_id for u in found if u.couple_id is not None}
    if not couple_ids:
        return {}
    members: dict[int, list[User]] = {}
    for row in (
        await session.execute(select(User).where(User.couple_id.in_(couple_ids)))
    ).scalars():
        members.setdefault(row.couple_id or 0, []).append(row)
    couples = select(Couple).where(Couple.id.in_(couple_ids)).order_by(Couple.id)
    if is_postgres(session):
        couples = couples.with_for_update()
    for couple in (await session.execute(couples)).scalars():
        work.keep(couple)
    pairs: dict[int, tuple[Person, Person]] = {}
    for user in found:
        others = [m for m in members.get(user.couple_id or 0, []) if m.id != user.id]
        if len(others) == 1:
            pairs[user.id] = (person_in(work, user), person_in(work, others[0]))
    return pairs


async def partner(work: Work, me: Person) -> Person | None:
    found = await partner_of(work.session, await row_of(work, me))
    return person_in(work, found) if found is not None else None


async def choose_language(work: Work, me: Person, code: str) -> Person:
    """Set an explicit language (see `set_language`); returns `me` as they are now."""
    user = await row_of(work, me)
    await set_language(work.session, user, code)
    return person_in(work, user)


async def choose_timezone(work: Work, me: Person, zone: str, now: datetime) -> Person:
    """Change the user's zone (see `set_timezone`); returns `me` as they are now."""
    user = await row_of(work, me)
    await set_timezone(work.session, user, zone, now)
    return person_in(work, user)
