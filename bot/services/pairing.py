"""Pairing two users into a couple with one-time invite codes, and ending a pairing."""

from __future__ import annotations

import enum
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import is_postgres
from bot.models import Couple, Invite, JoinAttempt, User
from bot.services import conversation
from bot.services.people import Person, person_in, row_of
from bot.services.rituals import ensure_defaults
from bot.services.users import partner_of
from bot.services.work import Work

INVITE_TTL = timedelta(hours=24)
CODE_BYTES = 9  # 72 bits of randomness -> 12 URL-safe characters
MAX_FAILED_JOINS = 5
FAILED_JOIN_WINDOW = timedelta(minutes=10)
LOCKOUT = timedelta(minutes=10)
MAX_CODE_LENGTH = 64


class Refusal(enum.Enum):
    ALREADY_PAIRED = "already_paired"
    OWN_CODE = "own_code"
    UNKNOWN_CODE = "unknown_code"
    EXPIRED_CODE = "expired_code"
    USED_CODE = "used_code"
    INVITER_PAIRED = "inviter_paired"
    LOCKED_OUT = "locked_out"
    NOT_PAIRED = "not_paired"


class PairingError(Exception):
    def __init__(self, refusal: Refusal, *, retry_at: datetime | None = None) -> None:
        super().__init__(refusal.value)
        self.refusal = refusal
        self.retry_at = retry_at


@dataclass(frozen=True, slots=True)
class NewInvite:
    code: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class Pairing:
    couple_id: int
    inviter: User
    joiner: User


def hash_code(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def normalize_code(text: str) -> str:
    return text.strip()


async def create_invite(session: AsyncSession, user: User, now: datetime) -> NewInvite:
    """A fresh one-time code for `user`; any earlier unused invite of theirs stops working."""
    if user.couple_id is not None:
        raise PairingError(Refusal.ALREADY_PAIRED)
    await session.execute(
        update(Invite)
        .where(Invite.inviter_id == user.id, Invite.used_at.is_(None), Invite.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    code = secrets.token_urlsafe(CODE_BYTES)
    expires_at = now + INVITE_TTL
    session.add(
        Invite(
            inviter_id=user.id,
            code_hash=hash_code(code),
            created_at=now,
            expires_at=expires_at,
        )
    )
    await session.flush()
    return NewInvite(code=code, expires_at=expires_at)


async def lockout_until(session: AsyncSession, user_id: int, now: datetime) -> datetime | None:
    """When a user who guessed too many wrong codes may try again (None: not locked)."""
    since = now - FAILED_JOIN_WINDOW
    stmt = select(func.count(), func.max(JoinAttempt.attempted_at)).where(
        JoinAttempt.user_id == user_id, JoinAttempt.attempted_at > since
    )
    count, latest = (await session.execute(stmt)).one()
    if count >= MAX_FAILED_JOINS and latest is not None:
        return latest + LOCKOUT
    return None


async def _record_failure(session: AsyncSession, user_id: int, now: datetime) -> None:
    session.add(JoinAttempt(user_id=user_id, attempted_at=now))
    await session.flush()


async def _find_invite(session: AsyncSession, code: str) -> Invite | None:
    digest = hash_code(code)
    invite = (
        await session.execute(select(Invite).where(Invite.code_hash == digest))
    ).scalar_one_or_none()
    if invite is None or not hmac.compare_digest(invite.code_hash, digest):
        return None
    return invite


async def join(session: AsyncSession, joiner: User, code: str, now: datetime) -> Pairing:
    """Pair `joiner` with the owner of `code`, or raise PairingError saying why not.

    Wrong, expired and used codes count towards a short lock-out. The caller commits the
    session even when this raises, so that failed attempts are remembered.
    """
    if joiner.couple_id is not None:
        raise PairingError(Refusal.ALREADY_PAIRED)
    retry_at = await lockout_until(session, joiner.id, now)
    if retry_at is not None and retry_at > now:
        raise PairingError(Refusal.LOCKED_OUT, retry_at=retry_at)

    code = normalize_code(code)
    invite = await _find_invite(session, code) if 0 < len(code) <= MAX_CODE_LENGTH else None
    if invite is None:
        await _record_failure(session, joiner.id, now)
        raise PairingError(Refusal.UNKNOWN_CODE)
    if invite.inviter_id == joiner.id:
        raise PairingError(Refusal.OWN_CODE)
    if invite.used_at is not None or invite.revoked_at is not None:
        await _record_failure(session, joiner.id, now)
        raise PairingError(Refusal.USED_CODE)
    if invite.expires_at <= now:
        await _record_failure(session, joiner.id, now)
        raise PairingError(Refusal.EXPIRED_CODE)

    inviter = await _lock_user(session, invite.inviter_id)
    if inviter is None or inviter.couple_id is not None:
        raise PairingError(Refusal.INVITER_PAIRED)

    # Claim the invite atomically: of two people racing for one code, one wins.
    claimed = await session.execute(
        update(Invite)
        .where(Invite.id == invite.id, Invite.used_at.is_(None), Invite.revoked_at.is_(None))
        .values(used_at=now)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise PairingError(Refusal.USED_CODE)

    couple = Couple(created_at=now)
    session.add(couple)
    await session.flush()
    inviter.couple_id = couple.id
    joiner.couple_id = couple.id
    for partner in (inviter, joiner):
        await ensure_defaults(session, partner, now)
    # The joiner's own open invites are pointless now.
    await session.execute(
        update(Invite)
        .where(
            Invite.inviter_id == joiner.id, Invite.used_at.is_(None), Invite.revoked_at.is_(None)
        )
        .values(revoked_at=now)
    )
    await session.flush()
    return Pairing(couple_id=couple.id, inviter=inviter, joiner=joiner)


async def _lock_user(session: AsyncSession, user_id: int) -> User | None:
    stmt = select(User).where(User.id == user_id)
    if is_postgres(session):
        stmt = stmt.with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


async def unpair(session: AsyncSession, user: User, now: datetime) -> User | None:
    """End the user's pairing for both partners; returns the former partner."""
    if user.couple_id is None:
        raise PairingError(Refusal.NOT_PAIRED)
    partner = await partner_of(session, user)
    couple = await session.get(Couple, user.couple_id)
    if couple is not None:
        couple.ended_at = now
    await conversation.close_all(session, *(u.id for u in (user, partner) if u is not None))
    user.couple_id = None
    if partner is not None:
        partner.couple_id = None
    await session.flush()
    return partner


# For handlers: a unit of work and people in, people out.


@dataclass(frozen=True, slots=True)
class Paired:
    couple_id: int
    inviter: Person
    joiner: Person


async def invite(work: Work, me: Person, now: datetime) -> NewInvite:
    """See `create_invite`."""
    return await create_invite(work.session, await row_of(work, me), now)


async def join_by_code(work: Work, me: Person, code: str, now: datetime) -> Paired:
    """See `join`: a refusal raises PairingError, and the work is still to be committed (so
    that failed attempts are remembered)."""
    done = await join(work.session, await row_of(work, me), code, now)
    return Paired(done.couple_id, person_in(work, done.inviter), person_in(work, done.joiner))


async def end(work: Work, me: Person, now: datetime) -> Person | None:
    """End the user's pairing (see `unpair`); returns the former partner."""
    former = await unpair(work.session, await row_of(work, me), now)
    return person_in(work, former) if former is not None else None
