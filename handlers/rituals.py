"""/time, /pause, /resume, and running a ritual now: /checkin, /appreciate, /date, /recap."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time, get_day_names
from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.context import BotApplication, BotContext
from bot.services import rituals, users
from bot.services.people import Person
from bot.services.rituals import DEFAULT_PAUSE_DAYS, MAX_PAUSE_DAYS, Ritual, Schedule
from bot.services.time_parsing import TimeError, TimeSpecError, parse_time_command
from bot.services.work import begin
from handlers import appreciation as appreciation_ui
from handlers.common import (
    esc,
    load_user,
    not_paired_text,
    relay,
    reply,
    reply_outgoing,
    send_queued,
    translator_for,
)
from handlers.ritual_entry import compose_ritual
from locales import N_, Translator

RITUAL_LABELS: dict[Ritual, str] = {
    Ritual.CHECKIN: N_("Daily check-in"),
    Ritual.APPRECIATION: N_("Appreciation"),
    Ritual.DATE: N_("Date-night idea"),
    Ritual.RECAP: N_("Weekly recap"),
}


def example(_: Translator, ritual: Ritual) -> str:
    days = get_day_names("abbreviated", locale=_.language)
    if ritual is Ritual.DATE:
        return f"/time date {days[4].lower()} 19:00"
    if ritual is Ritual.RECAP:
        return f"/time recap {days[6].lower()} 18:00"
    if ritual is Ritual.APPRECIATION:
        return "/time appreciation 12:30"
    return "/time checkin 21:30"


def time_error_text(_: Translator, error: TimeSpecError) -> str:
    ritual = error.ritual or Ritual.CHECKIN
    sample = example(_, ritual)
    word = esc(error.word)
    if error.error is TimeError.UNKNOWN_RITUAL:
        return _(
            "I don't know a ritual called “{word}”. Choose checkin, appreciation, date or "
            "recap, for example: {example}"
        ).format(word=word, example=sample)
    if error.error is TimeError.MISSING_TIME:
        return _("Please add a time, for example: {example}").format(example=sample)
    if error.error is TimeError.MISSING_WEEKDAY:
        return _("This ritual is weekly, so please add a weekday, for example: {example}").format(
            example=sample
        )
    if error.error is TimeError.BAD_WEEKDAY:
        return _("“{word}” is not a weekday I know. For example: {example}").format(
            word=word, example=sample
        )
    return _(
        "“{word}” is not a time I understand. Use hours and minutes from 00:00 to 23:59, "
        "for example: {example}"
    ).format(word=word, example=sample)


def describe(_: Translator, schedule: Schedule) -> str:
    ritual = schedule.ritual
    at = format_time(schedule.at, format="short", locale=_.language)
    if schedule.weekday is None:
        when = _("every day at {time}").format(time=at)
    else:
        day = get_day_names("wide", locale=_.language)[schedule.weekday]
        when = _("every {weekday} at {time}").format(weekday=day, time=at)
    line = f"• {_(RITUAL_LABELS[ritual])}: {when}"
    if not schedule.enabled:
        line += " — " + _("off")
    return line


def schedule_text(
    _: Translator,
    user: Person,
    rows: dict[Ritual, Schedule],
    paused: datetime | None,
    paused_by_me: bool = True,
) -> str:
    lines = [_("Your rituals, in your time zone {zone}:").format(zone=user.timezone)]
    lines += [describe(_, rows[r]) for r in Ritual if r in rows]
    if paused is not None:
        lines += ["", paused_line(_, paused, user.timezone, mine=paused_by_me)]
    lines += [
        "",
        _("To change one: {a}, {b} or {c}.").format(
            a=example(_, Ritual.CHECKIN), b=example(_, Ritual.DATE), c="/time recap off"
        ),
    ]
    return "\n".join(lines)


def paused_line(_: Translator, until: datetime, zone: str, *, mine: bool = True) -> str:
    """The pause's end; only the person who asked for it is invited to end it."""
    day = format_date(until.astimezone(ZoneInfo(zone)), format="long", locale=_.language)
    if mine:
        return _("All rituals are paused until {date}. /resume ends the pause.").format(date=day)
    return _("All rituals are paused until {date}.").format(date=day)


async def time_command(update: Update, context: BotContext) -> None:
    runtime = context.runtime
    now = runtime.clock.now()
    args = [a for a in (context.args or []) if a]
    error: TimeSpecError | None = None
    async with begin(runtime.db) as work:
        user = await load_user(runtime, work, update)
        _ = translator_for(user)
        if args:
            try:
                change = parse_time_command(args, _.language)
            except TimeSpecError as caught:
                error = caught
            else:
                if change.enabled is not None:
                    await rituals.switch_ritual(work, user, change.ritual, change.enabled, now)
                else:
                    assert change.at is not None
                    await rituals.move_ritual(
                        work, user, change.ritual, change.at, change.weekday, now
                    )
        else:
            await rituals.ensure_rituals(work, user, now)
        overview = await rituals.overview(work, user, now)
    if error is not None:
        await reply(update, time_error_text(_, error))
        return
    text = schedule_text(_, user, overview.schedules, overview.paused_until, overview.paused_by_me)
    if args:
        text = _("Done.") + "\n\n" + text
    await reply(update, text)


def parse_days(args: list[str]) -> int | None:
    if not args:
        return DEFAULT_PAUSE_DAYS
    if len(args) != 1 or not (args[0].isascii() and args[0].isdigit()) or len(args[0]) > 3:
        return None
    days = int(args[0])
    return days if 1 <= days <= MAX_PAUSE_DAYS else None


async def pause_command(update: Update, context: BotContext) -> None:
    runtime = context.runtime
    now = runtime.clock.now()
    days = parse_days(context.args or [])
    until: datetime | None = None
    async with begin(runtime.db) as work:
        user = await load_user(runtime, work, update)
        partner = await users.partner(work, user)
        if days is not None and partner is not None:
            until = await rituals.pause_rituals(work, user, days, now)
            if until is not None:  # told in the same transaction as the pause
                for_partner = translator_for(partner)
                text = partner_paused_text(for_partner, user.first_name, until, partner.timezone)
                await relay(work, runtime, partner, text)
    _ = translator_for(user)
    if partner is None:
        await reply(update, not_paired_text(_))
        return
    if days is None or until is None:
        await reply(
            update,
            _("Please give a number of days from 1 to {max}, for example: /pause 7").format(
                max=MAX_PAUSE_DAYS
            ),
        )
        return
    await reply(update, paused_line(_, until, user.timezone))
    await send_queued(runtime, work)


def partner_paused_text(_: Translator, name: str, until: datetime, zone: str) -> str:
    """The partner's notice: the pause is the other's, so it does not invite them to end it."""
    day = format_date(until.astimezone(ZoneInfo(zone)), format="long", locale=_.language)
    return _(
        "{partner} asked for a little breathing space: your shared rituals rest until {date}. "
        "They will start again by themselves."
    ).format(partner=esc(name), date=day)


def partner_resumed_text(_: Translator, name: str) -> str:
    return _("{partner} resumed your rituals. They start again at their usual times.").format(
        partner=esc(name)
    )


def not_your_pause_text(_: Translator, owner: str) -> str:
    return _(
        "This pause is {partner}'s, so it is theirs to end. I have let them know you would "
        "like to start again."
    ).format(partner=esc(owner))


def resume_wished_text(_: Translator, name: str) -> str:
    return _(
        "{partner} would like to start your rituals again whenever you are ready. "
        "/resume ends your pause."
    ).format(partner=esc(name))


async def resume_command(update: Update, context: BotContext) -> None:
    runtime = context.runtime
    now = runtime.clock.now()
    outcome: rituals.Resumed | None = None
    async with begin(runtime.db) as work:
        user = await load_user(runtime, work, update)
        partner = await users.partner(work, user)
        if partner is not None:
            outcome = await rituals.resume_rituals(work, user, now)
            if outcome is rituals.Resumed.NOT_YOURS:  # the owner hears the wish, or the
                wish = resume_wished_text(translator_for(partner), user.first_name)
                await relay(work, runtime, partner, wish)
            elif outcome is not rituals.Resumed.NOT_PAUSED:  # partner that it ended
                resumed = partner_resumed_text(translator_for(partner), user.first_name)
                await relay(work, runtime, partner, resumed)
    _ = translator_for(user)
    if partner is None:
        await reply(update, not_paired_text(_))
    elif outcome is rituals.Resumed.NOT_PAUSED:
        await reply(update, _("Your rituals are not paused."))
    elif outcome is rituals.Resumed.NOT_YOURS:
        await reply(update, not_your_pause_text(_, partner.first_name))
    else:
        await reply(update, _("Your rituals are back on. They arrive at their usual times."))
    await send_queued(runtime, work)


async def _run_now(update: Update, context: BotContext, ritual: Ritual) -> None:
    runtime = context.runtime
    async with begin(runtime.db) as work:
        user = await load_user(runtime, work, update)
    composed = await compose_ritual(runtime.db, runtime.clock, user.id, ritual, on_request=True)
    if composed is None:
        await reply(update, not_paired_text(translator_for(user)))
        return
    _chat_id, out = composed
    await reply_outgoing(update, context, out)


async def checkin_command(update: Update, context: BotContext) -> None:
    await _run_now(update, context, Ritual.CHECKIN)


async def date_command(update: Update, context: BotContext) -> None:
    await _run_now(update, context, Ritual.DATE)


async def recap_command(update: Update, context: BotContext) -> None:
    await _run_now(update, context, Ritual.RECAP)


async def appreciate_command(update: Update, context: BotContext) -> None:
    message = update.effective_message
    words = (message.text or "").split(maxsplit=1)[1:] if message else []
    if words:
        await appreciation_ui.send_words(update, context, words[0], None)
    else:
        await _run_now(update, context, Ritual.APPRECIATION)


def register(application: BotApplication) -> None:
    private = filters.ChatType.PRIVATE
    for name, callback in (
        ("time", time_command),
        ("pause", pause_command),
        ("resume", resume_command),
        ("checkin", checkin_command),
        ("appreciate", appreciate_command),
        ("date", date_command),
        ("recap", recap_command),
    ):
        application.add_handler(CommandHandler(name, callback, filters=private))
