"""The pairing rules, called directly on the service layer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.clock import FakeClock
from bot.db import Database
from bot.models import Invite, User
from bot.services import pairing, users
from bot.services.pairing import PairingError, Refusal
from bot.services.users import TelegramProfile


async def make_user(db: Database, clock: FakeClock, user_id: int, name: str) -> User:
    async with db.transaction() as s:
        return await users.ensure_user(
            s, TelegramProfile(user_id, user_id, name, "en"), clock.now()
        )


async def invite(db: Database, clock: FakeClock, user_id: int) -> str:
    async with db.transaction() as s:
        user = await users.get_user(s, user_id)
        assert user is not None
        return (await pairing.create_invite(s, user, clock.now())).code


async def join(db: Database, clock: FakeClock, user_id: int, code: str) -> pairing.Pairing:
    """Like the handler: failures are committed too."""
    async with db.transaction() as s:
        user = await users.get_user(s, user_id)
        assert user is not None
        try:
            return await pairing.join(s, user, code, clock.now())
        except PairingError as error:
            caught = error
    raise caught


async def test_codes_are_random_long_and_stored_only_hashed(db: Database, clock: FakeClock) -> None:
    await make_user(db, clock, 1, "Ann")
    codes = {await invite(db, clock, 1) for _ in range(20)}
    assert len(codes) == 20
    assert all(len(c) >= 12 for c in codes)  # 9 bytes = 72 bits
    async with db.transaction() as s:
        hashes = (await s.execute(select(Invite.code_hash))).scalars().all()
    assert not set(hashes) & codes
    assert {pairing.hash_code(c) for c in codes} == set(hashes)


async def test_join_pairs_both_and_code_is_single_use(db: Database, clock: FakeClock) -> None:
    await make_user(db, clock, 1, "Ann")
    await make_user(db, clock, 2, "Ben")
    await make_user(db, clock, 3, "Cat")
    code = await invite(db, clock, 1)
    result = await join(db, clock, 2, code)
    assert result.inviter.id == 1 and result.joiner.id == 2
    async with db.transaction() as s:
        ann, ben = await users.get_user(s, 1), await users.get_user(s, 2)
        assert ann and ben and ann.couple_id == ben.couple_id is not None
        assert (await users.partner_of(s, ann)).id == 2  # type: ignore[union-attr]
    with pytest.raises(PairingError) as third:
        await join(db, clock, 3, code)
    assert third.value.refusal is Refusal.USED_CODE


async def test_refusals(db: Database, clock: FakeClock) -> None:
    for uid, name in ((1, "Ann"), (2, "Ben"), (3, "Cat")):
        await make_user(db, clock, uid, name)
    own = await invite(db, clock, 1)
    with pytest.raises(PairingError) as e:
        await join(db, clock, 1, own)
    assert e.value.refusal is Refusal.OWN_CODE

    with pytest.raises(PairingError) as e:
        await join(db, clock, 2, "not-a-real-code")
    assert e.value.refusal is Refusal.UNKNOWN_CODE

    clock.advance(hours=24, seconds=1)
    with pytest.raises(PairingError) as e:
        await join(db, clock, 2, own)
    assert e.value.refusal is Refusal.EXPIRED_CODE


async def test_new_invite_replaces_the_old_one(db: Database, clock: FakeClock) -> None:
    await make_user(db, clock, 1, "Ann")
    await make_user(db, clock, 2, "Ben")
    old = await invite(db, clock, 1)
    new = await invite(db, clock, 1)
    with pytest.raises(PairingError) as e:
        await join(db, clock, 2, old)
    assert e.value.refusal is Refusal.USED_CODE
    assert (await join(db, clock, 2, new)).inviter.id == 1


async def test_paired_users_can_neither_invite_nor_join(db: Database, clock: FakeClock) -> None:
    for uid, name in ((1, "Ann"), (2, "Ben"), (3, "Cat")):
        await make_user(db, clock, uid, name)
    cat_code = await invite(db, clock, 3)
    await join(db, clock, 2, await invite(db, clock, 1))
    with pytest.raises(PairingError) as e:
        await invite(db, clock, 1)
    assert e.value.refusal is Refusal.ALREADY_PAIRED
    with pytest.raises(PairingError) as e:
        await join(db, clock, 2, cat_code)
    assert e.value.refusal is Refusal.ALREADY_PAIRED


async def test_invite_from_someone_paired_meanwhile_is_refused(
    db: Database, clock: FakeClock
) -> None:
    for uid, name in ((1, "Ann"), (2, "Ben"), (3, "Cat"), (4, "Dan")):
        await make_user(db, clock, uid, name)
    ann_code = await invite(db, clock, 1)
    # Ann pairs with Cat through Cat's code; Ann's own open invite is now stale.
    await join(db, clock, 1, await invite(db, clock, 3))
    with pytest.raises(PairingError) as e:
        await join(db, clock, 4, ann_code)
    assert e.value.refusal in (Refusal.INVITER_PAIRED, Refusal.USED_CODE)


async def test_lockout_after_five_wrong_codes_lasts_ten_minutes(
    db: Database, clock: FakeClock
) -> None:
    await make_user(db, clock, 1, "Ann")
    await make_user(db, clock, 2, "Ben")
    good = await invite(db, clock, 1)
    for i in range(5):
        clock.advance(seconds=30)
        with pytest.raises(PairingError) as e:
            await join(db, clock, 2, f"wrong-{i}")
        assert e.value.refusal is Refusal.UNKNOWN_CODE
    clock.advance(seconds=30)
    with pytest.raises(PairingError) as e:
        await join(db, clock, 2, good)  # even the right code is refused while locked
    assert e.value.refusal is Refusal.LOCKED_OUT
    assert e.value.retry_at is not None
    assert timedelta(minutes=9) <= e.value.retry_at - clock.now() <= timedelta(minutes=10)
    clock.advance(minutes=10)
    assert (await join(db, clock, 2, good)).inviter.id == 1


async def test_unpair_frees_both(db: Database, clock: FakeClock) -> None:
    await make_user(db, clock, 1, "Ann")
    await make_user(db, clock, 2, "Ben")
    await join(db, clock, 2, await invite(db, clock, 1))
    async with db.transaction() as s:
        ann = await users.get_user(s, 1)
        assert ann is not None
        former = await pairing.unpair(s, ann, clock.now())
        assert former is not None and former.id == 2
    async with db.transaction() as s:
        ann, ben = await users.get_user(s, 1), await users.get_user(s, 2)
        assert ann and ben and ann.couple_id is None and ben.couple_id is None
        with pytest.raises(PairingError) as e:
            await pairing.unpair(s, ann, clock.now())
        assert e.value.refusal is Refusal.NOT_PAIRED
    # and they can pair again
    await join(db, clock, 1, await invite(db, clock, 2))
