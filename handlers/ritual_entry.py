"""The first message of each ritual, for the scheduler and for /checkin, /appreciate, /date,
/recap. Starting a ritual may open an exchange (a check-in) or wait for the user's words."""

from __future__ import annotations

from bot.clock import Clock
from bot.db import Database
from bot.outgoing import Outgoing
from bot.services import appreciations, checkins, dates, users
from bot.services import recap as recap_service
from bot.services.checkins import StartState
from bot.services.rituals import Ritual
from bot.services.work import begin
from handlers.appreciation import appreciation_prompt
from handlers.checkin import checkin_entry
from handlers.common import translator_for
from handlers.dates import idea_message
from handlers.memories import with_recalled_line
from handlers.recap import recap_message


async def compose_ritual(
    db: Database, clock: Clock, user_id: int, ritual: Ritual, *, on_request: bool = False
) -> tuple[int, Outgoing] | None:
    """(chat id, message) to start `ritual` for the user, or None when there is nothing to
    send (not paired; a scheduled check-in the user already answered today)."""
    now = clock.now()
    async with begin(db) as work:
        user = await users.person(work, user_id)
        partner = await users.partner(work, user) if user else None
        if user is None or partner is None:
            return None
        _ = translator_for(user)
        out: Outgoing | None
        if ritual is Ritual.CHECKIN:
            started = await checkins.enter(work, user, now)
            quiet = started.state in (StartState.WAITING, StartState.DONE_TODAY)
            out = (
                None if quiet and not on_request else checkin_entry(_, started, partner.first_name)
            )
            if out is not None and started.state is StartState.NEW:
                out = await with_recalled_line(work, out, user, partner, now)
        elif ritual is Ritual.APPRECIATION:
            prompt, step = await appreciations.prompt_for(work, user, now)
            out = appreciation_prompt(_, prompt, partner.first_name, step)
            out = await with_recalled_line(work, out, user, partner, now)
        elif ritual is Ritual.DATE:
            idea = await dates.next_idea(work, user, now)
            out = idea_message(_, idea, partner.first_name)
        else:
            recap = await recap_service.week_of(work, user, partner, now)
            out = None
    if ritual is Ritual.RECAP:
        out = await recap_message(_, recap, user.first_name)
    return (user.chat_id, out) if out is not None else None
