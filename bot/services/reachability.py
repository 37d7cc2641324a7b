"""Whether Telegram can reach a user, and what the couple's shared rituals do meanwhile.

When Telegram refuses a user for good (they blocked the bot, deleted their account), the user
is marked inactive: their own prompts stop and, because every ritual here is shared, the
partner's prompts pause too (the tick skips them) until the user writes to the bot again. The
partner is told once, neutrally, in the same transaction as the change, through the outbox.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.outgoing import Outgoing, message_payload
from bot.services import outbox
from bot.services.people import Person, person_in, row_of
from bot.services.users import get_user, partner_of
from bot.services.work import Work

# (the partner who is told, the person Telegram cannot reach) -> the message's text
NoticeText = Callable[[Person, Person], str]


async def stopped_receiving(
    session: AsyncSession,
    user_id: int,
    now: datetime,
    grace: timedelta,
    notice: NoticeText,
) -> int | None:
    """Mark the user inactive; the first time, queue `notice` for their partner. Returns the
    notice's outbox id, or None when nobody is to be told (no partner, or told already)."""
    work = Work(session)
    user = await get_user(session, user_id)
    if user is None:
        return None
    user.is_active = False
    partner = await partner_of(session, user)
    if partner is None or user.inactive_notice_sent:
        return None
    user.inactive_notice_sent = True
    recipient, absent = person_in(work, partner), person_in(work, user)
    payload = message_payload(recipient.chat_id, Outgoing(notice(recipient, absent)))
    return await outbox.add_message(session, recipient.id, payload, now, grace)


async def welcome_back(
    work: Work, person: Person, now: datetime, grace: timedelta, notice: NoticeText
) -> int | None:
    """`person` wrote to the bot (so Telegram reaches them again): if their partner had been
    told that they were not receiving messages, queue `notice` for the partner (the shared
    rituals run again). Returns the notice's outbox id, or None."""
    user = await row_of(work, person)
    if not user.is_active or not user.inactive_notice_sent:
        return None
    user.inactive_notice_sent = False
    partner = await partner_of(work.session, user)
    if partner is None:
        return None
    recipient = person_in(work, partner)
    payload = message_payload(recipient.chat_id, Outgoing(notice(recipient, person)))
    return await outbox.add_message(work.session, recipient.id, payload, now, grace)
