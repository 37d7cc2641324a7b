"""Appreciations: a few words for the partner, relayed with a "Received with love" tap."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Appreciation, User
from bot.prompt_bank import APPRECIATION_PROMPTS, Prompt, by_key
from bot.services import conversation, love_languages, prompt_picker, users
from bot.services.conversation import Step, StepKind
from bot.services.exchange_errors import ExchangeError, Stale, TooLong
from bot.services.people import Person, row_of
from bot.services.work import Work

MAX_LENGTH = 1000
# A photo's caption is relayed under a line naming its author, within Telegram's 1024.
MAX_CAPTION_LENGTH = 900
# An appreciation prompt waits for words this long, or until the next one arrives.
STEP_OPEN_FOR = timedelta(hours=24)


async def prompt(session: AsyncSession, user: User, now: datetime) -> tuple[Prompt, Step]:
    """Pick today's appreciation prompt, one the user has not seen for 60 days while such
    remain (else the one they saw longest ago), and open its step (ending the previous
    prompt's). Each partner has their own: what one was shown does not count for the other.
    The pick leans toward the love languages the partner (who receives the words) shared."""
    assert user.couple_id is not None
    lean = await love_languages.leaning(session, await users.partner_of(session, user))
    chosen = await prompt_picker.pick(
        session, user.couple_id, APPRECIATION_PROMPTS, now, person_id=user.id, lean=lean
    )
    step = await conversation.open_step(
        session,
        user.id,
        StepKind.APPRECIATION,
        now,
        now + STEP_OPEN_FOR,
        ref_key=chosen.key,
        replace_kind=True,
    )
    return chosen, step


async def send(
    session: AsyncSession,
    user: User,
    partner: User,
    text: str,
    now: datetime,
    prompt_key: str | None = None,
    photo_file_id: str | None = None,
) -> Appreciation:
    """The user's words for their partner; the open appreciation prompt, if any, is answered.
    With `photo_file_id`: a photo (only for a prompt that invites one), `text` its caption."""
    if photo_file_id is not None and not _invites_photo(prompt_key):
        raise ExchangeError(Stale.WRONG_STEP)
    text = text.strip()
    limit = MAX_LENGTH if photo_file_id is None else MAX_CAPTION_LENGTH
    if len(text) > limit:
        raise TooLong(len(text), limit)
    assert user.couple_id is not None
    row = Appreciation(
        couple_id=user.couple_id,
        from_user_id=user.id,
        to_user_id=partner.id,
        prompt_key=prompt_key,
        text=text,
        photo_file_id=photo_file_id,
        created_at=now,
    )
    session.add(row)
    await conversation.close_step(session, user.id, StepKind.APPRECIATION)
    await session.flush()
    return row


def _invites_photo(prompt_key: str | None) -> bool:
    try:
        return prompt_key is not None and by_key(prompt_key).invites_photo
    except KeyError:  # a retired prompt
        return False


async def receive(
    session: AsyncSession, user: User, appreciation_id: int, now: datetime
) -> Appreciation:
    """The recipient taps "Received with love" (once)."""
    row = await session.get(Appreciation, appreciation_id)
    if row is None or row.to_user_id != user.id or row.couple_id != user.couple_id:
        raise ExchangeError(Stale.NOT_YOURS)
    if row.received_at is not None:
        raise ExchangeError(Stale.ALREADY)
    row.received_at = now
    await session.flush()
    return row


# For handlers: a unit of work and people in, views out.


@dataclass(frozen=True, slots=True)
class Sent:
    """An appreciation as it is relayed: its id (for "Received with love") and its words."""

    id: int
    text: str  # with a photo: its caption
    photo: str | None = None  # a photo's Telegram file id


async def prompt_for(work: Work, me: Person, now: datetime) -> tuple[Prompt, Step]:
    """See `prompt`."""
    return await prompt(work.session, await row_of(work, me), now)


async def give(
    work: Work,
    me: Person,
    partner: Person,
    text: str,
    now: datetime,
    prompt_key: str | None = None,
    photo_file_id: str | None = None,
) -> Sent:
    """See `send`."""
    row = await send(
        work.session,
        await row_of(work, me),
        await row_of(work, partner),
        text,
        now,
        prompt_key,
        photo_file_id,
    )
    return Sent(row.id, row.text, row.photo_file_id)


async def acknowledge(work: Work, me: Person, appreciation_id: int, now: datetime) -> Person | None:
    """The recipient taps "Received with love" (see `receive`); returns its author."""
    row = await receive(work.session, await row_of(work, me), appreciation_id, now)
    return await users.person(work, row.from_user_id)
