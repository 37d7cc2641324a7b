"""The first message of each ritual, for the scheduler and for /checkin, /appreciate, /date,
/recap. Starting a ritual may open an exchange (a check-in) or wait for the user's words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.clock import Clock
from bot.db import Database
from bot.outgoing import Outgoing
from bot.services import appreciations, checkins, dates, users
from bot.services import recap as recap_service
from bot.services.checkins import StartState
from bot.services.people import Person
from bot.services.recap import WeekRecap
from bot.services.rituals import Ritual
from bot.services.work import Work, begin
from handlers.appreciation import appreciation_prompt
from handlers.checkin import checkin_entry
from handlers.common import translator_for
from handlers.dates import idea_message
from handlers.memories import with_recalled_line
from handlers.recap import recap_message

Composed = tuple[int, Outgoing] | None


@dataclass(frozen=True, slots=True)
class _Draft:
    """A ritual's message as far as it is built inside the unit of work (a recap's chart is
    drawn after it)."""

    user: Person
    out: Outgoing | None = None
    recap: WeekRecap | None = None


async def compose_ritual(
    db: Database, clock: Clock, user_id: int, ritual: Ritual, *, on_request: bool = False
) -> Composed:
    """(chat id, message) to start `ritual` for the user, or None when there is nothing to
    send (not paired; a scheduled check-in the user already answered today)."""
    now = clock.now()
    async with begin(db) as work:
        user = await users.person(work, user_id)
        partner = await users.partner(work, user) if user else None
        if user is None or partner is None:
            return None
        draft = await _draft(work, user, partner, ritual, now, on_request=on_request)
    return await _finish(draft)


async def compose_rituals(
    db: Database, clock: Clock, wanted: Sequence[tuple[int, Ritual]]
) -> list[Composed]:
    """`compose_ritual` for a scheduler's batch, in one unit of work: the people, their
    partners and couples loaded together, each ritual started as `compose_ritual` does."""
    now = clock.now()
    drafts: list[_Draft | None] = []
    async with begin(db) as work:
        pairs = await users.with_partners(work, {user_id for user_id, _ in wanted})
        for user_id, ritual in wanted:
            pair = pairs.get(user_id)
            drafts.append(await _draft(work, *pair, ritual, now) if pair else None)
    return [await _finish(draft) if draft else None for draft in drafts]


async def _draft(
    work: Work,
    user: Person,
    partner: Person,
    ritual: Ritual,
    now: datetime,
    *,
    on_request: bool = False,
) -> _Draft:
    _ = translator_for(user)
    if ritual is Ritual.CHECKIN:
        started = await checkins.enter(work, user, now)
        quiet = started.state in (StartState.WAITING, StartState.DONE_TODAY)
        if quiet and not on_request:
            return _Draft(user)
        out = checkin_entry(_, started, partner.first_name)
        if out is not None and started.state is StartState.NEW:
            out = await with_recalled_line(work, out, user, partner, now)
        return _Draft(user, out)
    if ritual is Ritual.APPRECIATION:
        prompt, step = await appreciations.prompt_for(work, user, now)
        out = appreciation_prompt(_, prompt, partner.first_name, step)
        return _Draft(user, await with_recalled_line(work, out, user, partner, now))
    if ritual is Ritual.DATE:
        idea = await dates.next_idea(work, user, now)
        return _Draft(user, idea_message(_, idea, partner.first_name))
    return _Draft(user, recap=await recap_service.week_of(work, user, partner, now))


async def _finish(draft: _Draft) -> Composed:
    out = draft.out
    if draft.recap is not None:
        out = await recap_message(translator_for(draft.user), draft.recap, draft.user.first_name)
    return (draft.user.chat_id, out) if out is not None else None
