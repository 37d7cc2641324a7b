"""Pairing at the edges: a code expires to the second, a code that someone used or revoked while
a join was under way never pairs (the claim is atomic), a code whose owner is paired by now
pairs nobody, joining someone revokes one's own open codes, and unpairing ends the couple and
every open step of both (each kills mutants of bot/services/pairing.py that the other tests
let survive)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from bot.clock import FakeClock
from bot.db import Database
from bot.models import Couple, HeldText, Invite, OpenStep, User
from bot.services import appreciations, conversation, pairing, users
from bot.services.pairing import PairingError, Refusal
from bot.services.users import TelegramProfile

ANN, BEN, CAT, DAN = 1, 2, 3, 4


@pytest.fixture
async def people(db: Database, clock: FakeClock) -> None:
    async with db.transaction() as s:
        for uid, name in ((ANN, "Ann"), (BEN, "Ben"), (CAT, "Cat"), (DAN, "Dan")):
            await users.ensure_user(s, TelegramProfile(uid, uid, name), clock.now())


async def invite(db: Database, clock: FakeClock, uid: int) -> str:
    async with db.transaction() as s:
        user = await s.get(User, uid)
        assert user is not None
        return (await pairing.create_invite(s, user, clock.now())).code


async def join(db: Database, clock: FakeClock, uid: int, code: str) -> pairing.Pairing:
    """Like the handler: the failed attempt is committed too."""
    async with db.transaction() as s:
        user = await s.get(User, uid)
        assert user is not None
        try:
            return await pairing.join(s, user, code, clock.now())
        except PairingError as error:
            caught = error
    raise caught


async def refusal(db: Database, clock: FakeClock, uid: int, code: str) -> Refusal:
    with pytest.raises(PairingError) as refused:
        await join(db, clock, uid, code)
    return refused.value.refusal


async def couples(db: Database) -> dict[int, int | None]:
    async with db.transaction() as s:
        return {u.id: u.couple_id for u in (await s.execute(select(User))).scalars()}


async def as_read_before(db: Database, code: str) -> Invite:
    """The invite as a join read it a moment ago, before another process used or revoked it."""
    async with db.transaction() as s:
        row = await pairing._find_invite(s, code)
        assert row is not None
        return Invite(
            id=row.id,
            inviter_id=row.inviter_id,
            code_hash=row.code_hash,
            created_at=row.created_at,
            expires_at=row.expires_at,
            used_at=None,
            revoked_at=None,
        )


def stale(monkeypatch: pytest.MonkeyPatch, invite: Invite) -> None:
    async def find(session: object, code: str) -> Invite:
        return invite

    monkeypatch.setattr(pairing, "_find_invite", find)


async def test_a_code_expires_24_hours_after_it_was_made_to_the_second(
    db: Database, clock: FakeClock, people: None
) -> None:
    code = await invite(db, clock, ANN)
    clock.advance(pairing.INVITE_TTL)
    assert await refusal(db, clock, BEN, code) is Refusal.EXPIRED_CODE
    assert (await couples(db))[BEN] is None


async def test_a_code_revoked_while_a_join_was_under_way_pairs_nobody(
    db: Database, clock: FakeClock, people: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = await invite(db, clock, ANN)
    read_before = await as_read_before(db, old)
    await invite(db, clock, ANN)  # Ann made a new code: the old one is revoked
    stale(monkeypatch, read_before)
    assert await refusal(db, clock, BEN, old) is Refusal.USED_CODE
    assert await couples(db) == {ANN: None, BEN: None, CAT: None, DAN: None}


async def test_a_code_used_while_a_join_was_under_way_pairs_nobody_else(
    db: Database, clock: FakeClock, people: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ben used Ann's code (and they parted since, so Ann is free again): Cat's join, which
    read the code before Ben's went through, must not pair her with Ann."""
    code = await invite(db, clock, ANN)
    read_before = await as_read_before(db, code)
    await join(db, clock, BEN, code)
    async with db.transaction() as s:
        ben = await s.get(User, BEN)
        assert ben is not None
        await pairing.unpair(s, ben, clock.now())
    stale(monkeypatch, read_before)
    assert await refusal(db, clock, CAT, code) is Refusal.USED_CODE
    assert await couples(db) == {ANN: None, BEN: None, CAT: None, DAN: None}


async def test_a_code_whose_owner_is_paired_by_now_pairs_nobody(
    db: Database, clock: FakeClock, people: None
) -> None:
    """Ann's code is still open, but she is in a couple now (a join of hers that raced this
    one): nobody may join her, and her couple stays as it is."""
    code = await invite(db, clock, ANN)
    async with db.transaction() as s:
        couple = Couple(created_at=clock.now())
        s.add(couple)
        await s.flush()
        await s.execute(update(User).where(User.id.in_([ANN, CAT])).values(couple_id=couple.id))
    before = await couples(db)
    assert await refusal(db, clock, BEN, code) is Refusal.INVITER_PAIRED
    assert await couples(db) == before
    async with db.transaction() as s:
        unused = await s.scalar(select(Invite.used_at).where(Invite.inviter_id == ANN))
    assert unused is None


async def test_joining_someone_revokes_ones_own_open_code_and_nothing_else(
    db: Database, clock: FakeClock, people: None
) -> None:
    start = clock.now()
    await join(db, clock, BEN, await invite(db, clock, ANN))  # Ann's first code: used...
    async with db.transaction() as s:  # ...and Ann and Ben parted
        ben = await s.get(User, BEN)
        assert ben is not None
        await pairing.unpair(s, ben, clock.now())
    clock.advance(timedelta(minutes=1))
    await invite(db, clock, ANN)  # revoked a minute later by her next one
    clock.advance(timedelta(minutes=1))
    anns = await invite(db, clock, ANN)
    dans = await invite(db, clock, DAN)
    clock.advance(timedelta(minutes=5))
    await join(db, clock, ANN, await invite(db, clock, CAT))
    async with db.transaction() as s:
        rows = (await s.execute(select(Invite).order_by(Invite.id))).scalars().all()
        kept = [(i.inviter_id, i.used_at, i.revoked_at) for i in rows]
    minute = timedelta(minutes=1)
    assert kept == [
        (ANN, start, None),
        (ANN, None, start + 2 * minute),
        (ANN, None, clock.now()),  # the one open code of the joiner
        (DAN, None, None),
        (CAT, clock.now(), None),
    ]
    assert await refusal(db, clock, BEN, anns) is Refusal.USED_CODE
    assert (await join(db, clock, BEN, dans)).inviter.id == DAN


async def test_unpairing_ends_the_couple_and_every_open_step_and_held_words_of_both(
    db: Database, clock: FakeClock, people: None
) -> None:
    couple_id = (await join(db, clock, BEN, await invite(db, clock, ANN))).couple_id
    cat_dan = (await join(db, clock, DAN, await invite(db, clock, CAT))).couple_id
    for uid in (ANN, BEN, CAT):
        async with db.transaction() as s:
            user = await s.get(User, uid)
            assert user is not None
            await appreciations.prompt(s, user, clock.now())
            await conversation.route_text(s, uid, f"words of {uid}", clock.now(), reply_to=9)
    clock.advance(timedelta(hours=1))
    async with db.transaction() as s:
        ann = await s.get(User, ANN)
        assert ann is not None
        await pairing.unpair(s, ann, clock.now())
    async with db.transaction() as s:
        ended = {c.id: c.ended_at for c in (await s.execute(select(Couple))).scalars()}
        steps = (await s.execute(select(OpenStep.user_id))).scalars().all()
        held = (await s.execute(select(HeldText.user_id))).scalars().all()
    assert ended == {couple_id: clock.now(), cat_dan: None}
    assert (steps, held) == ([CAT], [CAT])
