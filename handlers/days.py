"""/days: the couple's important days (anniversary, each partner's birthday, other days with a
name), added with a button and a short text step, removed with a button; the anniversary
question right after pairing; and the tick hook that sends their reminders and greetings."""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_skeleton
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.context import BotApplication, BotContext
from bot.outgoing import Outgoing, message_payload
from bot.runtime import Runtime
from bot.services import important_days, outbox, users
from bot.services.conversation import Step, StepKind
from bot.services.important_days import MAX_OTHER_DAYS, Day, DayKind, DayNoticeKind, Notice
from bot.services.people import Person
from bot.services.work import Work, begin
from handlers.actions import handle_tap, handle_text, require, tap_choice, tap_id, tap_parts
from handlers.common import (
    answer_callback,
    esc,
    load_user,
    not_paired_text,
    relay,
    reply,
    reply_outgoing,
    translator_for,
)
from handlers.text_steps import TextStep, TextSteps
from locales import N_, Translator

ADD = "dy:a:"  # + DayKind
REMOVE = "dy:r:"  # + the day's id
NOT_NOW = "dy:n"  # the anniversary question after pairing, skipped

ADD_LABELS: dict[DayKind, str] = {
    DayKind.ANNIVERSARY: N_("💍 Anniversary"),
    DayKind.BIRTHDAY: N_("🎂 My birthday"),
    DayKind.OTHER: N_("✨ Another day"),
}


def day_date(_: Translator, day: Day) -> str:
    """ "14 February", in the reader's language (leap day kept as is)."""
    return format_skeleton("MMMMd", date(2000, day.month, day.day), locale=_.language)


def day_label(_: Translator, day: Day, reader: Person, partner: Person) -> str:
    """What a day is called for `reader` (escaped)."""
    if day.kind is DayKind.ANNIVERSARY:
        return _("💍 Your anniversary")
    if day.kind is DayKind.BIRTHDAY:
        if day.person_id == reader.id:
            return _("🎂 Your birthday")
        return _("🎂 {partner}'s birthday").format(partner=esc(partner.first_name))
    return "✨ " + esc(day.name or "")


def days_text(_: Translator, days: list[Day], me: Person, partner: Person) -> str:
    if not days:
        return _(
            "📅 No important days here yet. Add your anniversary, your birthday or any day "
            "that matters to you both: I will remind you three days before and greet you "
            "both on the day."
        )
    lines = [_("📅 Your important days, the next one first:"), ""]
    lines += [
        f"{number}. {day_label(_, day, me, partner)} — {day_date(_, day)}"
        for number, day in enumerate(days, start=1)
    ]
    lines += ["", _("Three days before each, and on the day itself, I will send a line.")]
    return "\n".join(lines)


def days_keyboard(_: Translator, days: list[Day]) -> InlineKeyboardMarkup:
    """Add buttons ("Another day" only while there is room), then 🗑 per listed day."""
    full = sum(d.kind is DayKind.OTHER for d in days) >= MAX_OTHER_DAYS
    rows = [
        [
            InlineKeyboardButton(_(label), callback_data=f"{ADD}{kind.value}")
            for kind, label in ADD_LABELS.items()
            if not (full and kind is DayKind.OTHER)
        ]
    ]
    remove = [
        InlineKeyboardButton(_("🗑 {n}").format(n=number), callback_data=f"{REMOVE}{day.id}")
        for number, day in enumerate(days, start=1)
    ]
    rows += [remove[i : i + 5] for i in range(0, len(remove), 5)]
    return InlineKeyboardMarkup(rows)


def ask_text(_: Translator, kind: DayKind) -> str:
    if kind is DayKind.ANNIVERSARY:
        return _("When is your anniversary? Send the day and month, e.g. 14.02")
    if kind is DayKind.BIRTHDAY:
        return _("When is your birthday? Send the day and month, e.g. 14.02 (no year needed)")
    return _("Which day would you like me to keep? Send its name and date, e.g. “First date 14.02”")


def anniversary_question(_: Translator) -> tuple[str, InlineKeyboardMarkup]:
    """Asked once, right after pairing (with the joiner's "You are now paired")."""
    text = _(
        "Would you like me to remember your anniversary? I will remind you both a few days before."
    )
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    _("💍 Add our anniversary"), callback_data=f"{ADD}{DayKind.ANNIVERSARY.value}"
                ),
                InlineKeyboardButton(_("Not now"), callback_data=NOT_NOW),
            ]
        ]
    )
    return text, markup


async def days_command(update: Update, context: BotContext) -> None:
    runtime = context.runtime
    async with begin(runtime.db) as work:
        user = await load_user(runtime, work, update)
        partner = await users.partner(work, user)
        days = await important_days.list_days(work, user, runtime.clock.now())
    _ = translator_for(user)
    if partner is None:
        await reply(update, not_paired_text(_))
        return
    await reply(update, days_text(_, days, user, partner), days_keyboard(_, days))


async def on_add(update: Update, context: BotContext) -> None:
    async def act(work: Work, user: Person, partner: Person | None, now: datetime) -> Step:
        _dy, _a, raw_kind = tap_parts(update, 3)
        kind = tap_choice(DayKind, raw_kind)
        require(partner)
        return await important_days.ask_date(work, user, kind, now)

    tap = await handle_tap(update, context, act)
    if not tap.ok or tap.value is None:
        return
    await answer_callback(update)
    step = tap.value
    kind = DayKind(step.ref_key or "")
    await reply_outgoing(update, context, Outgoing(ask_text(tap.translator, kind), step_id=step.id))


async def on_not_now(update: Update, context: BotContext) -> None:
    async with begin(context.runtime.db) as work:
        user = await load_user(context.runtime, work, update)
    _ = translator_for(user)
    await answer_callback(update, _("All right. You can add it any time with /days."))
    query = update.callback_query
    if query is not None and query.message is not None:
        await query.edit_message_reply_markup(None)


async def take_date(update: Update, context: BotContext, step: Step, text: str) -> None:
    async def act(
        work: Work, user: Person, partner: Person | None, now: datetime
    ) -> tuple[Day, Person] | None:
        them = require(partner)
        day = await important_days.take_date(work, user, step, text, now)
        if day is None:
            return None
        _ = translator_for(them)
        told = _("📅 {partner} added an important day to /days: {day} — {date}.").format(
            partner=esc(user.first_name), day=day_label(_, day, them, user), date=day_date(_, day)
        )
        await relay(work, context.runtime, them, told, author=user)
        return day, them

    done = await handle_text(
        update,
        context,
        act,
        closed=lambda _: _("That question has closed; send /days to add a day again."),
        too_long=lambda _, e: _(
            "That name is {length} characters; up to {limit} fit. Please send a shorter one."
        ).format(length=e.length, limit=e.limit),
    )
    if not done.ok:
        return
    _ = done.translator
    if done.value is None:
        await reply(update, _("I couldn't read a date there. Send the day and month, e.g. 14.02"))
        return
    day, partner = done.value
    await reply(
        update,
        _("Kept: {day} — {date}. I will remind you three days before. 📅").format(
            day=day_label(_, day, done.user, partner), date=day_date(_, day)
        ),
    )


async def on_remove(update: Update, context: BotContext) -> None:
    async def act(
        work: Work, user: Person, partner: Person | None, now: datetime
    ) -> tuple[Person, list[Day]]:
        _dy, _r, raw_id = tap_parts(update, 3)
        them = require(partner)
        await important_days.remove_day(work, user, tap_id(raw_id))
        return them, await important_days.list_days(work, user, now)

    tap = await handle_tap(update, context, act)
    if not tap.ok or tap.value is None:
        return
    partner, days = tap.value
    _ = tap.translator
    await answer_callback(update, _("Removed."))
    query = update.callback_query
    assert query is not None
    await query.edit_message_text(
        days_text(_, days, tap.user, partner), reply_markup=days_keyboard(_, days)
    )


def notice_text(_: Translator, notice: Notice, partner: Person) -> str:
    """A reminder three days before, or the greeting on the day, for `notice.recipient`."""
    day, on = notice.day, format_skeleton("MMMMd", notice.on, locale=_.language)
    if notice.kind is DayNoticeKind.REMINDER:
        if day.kind is DayKind.BIRTHDAY:
            return _(
                "🎂 {partner}'s birthday is in three days, on {date}. Time to think of a "
                "small surprise?"
            ).format(partner=esc(partner.first_name), date=on)
        if day.kind is DayKind.ANNIVERSARY:
            return _(
                "💍 Your anniversary is in three days, on {date}. Would you like to plan "
                "something together?"
            ).format(date=on)
        return _("📅 In three days, on {date}: {name}. A little time to get ready.").format(
            date=on, name=esc(day.name or "")
        )
    if day.kind is DayKind.BIRTHDAY:
        if day.person_id == notice.recipient.id:
            return _("🎂 Happy birthday, {name}! Wishing you a day full of warmth.").format(
                name=esc(notice.recipient.first_name)
            )
        return _(
            "🎂 Today is {partner}'s birthday. A good day to tell them what they mean to you."
        ).format(partner=esc(partner.first_name))
    if day.kind is DayKind.ANNIVERSARY:
        return _("💍 Happy anniversary to you both! Today is your day. 💞")
    return _("📅 Today is {name}. Thinking of you both. 💞").format(name=esc(day.name or ""))


async def send_due_days(bot: Bot, runtime: Runtime) -> int:
    """Tick hook: the reminders and greetings due now go in the outbox (the tick then sends
    them), in the transaction that records them as sent."""
    now = runtime.clock.now()
    async with begin(runtime.db) as work:
        notices = await important_days.take_due_notices(work, now)
        for notice in notices:
            partner = await users.partner(work, notice.recipient)
            if partner is None:
                continue
            text = notice_text(translator_for(notice.recipient), notice, partner)
            payload = message_payload(notice.recipient.chat_id, Outgoing(text))
            await outbox.queue_message(work, notice.recipient, payload, now, runtime.ritual_grace)
    return len(notices)


def register(application: BotApplication, steps: TextSteps) -> None:
    application.add_handler(CommandHandler("days", days_command, filters=filters.ChatType.PRIVATE))
    application.add_handler(CallbackQueryHandler(on_add, pattern=r"^dy:a:"))
    application.add_handler(CallbackQueryHandler(on_remove, pattern=r"^dy:r:"))
    application.add_handler(CallbackQueryHandler(on_not_now, pattern=r"^dy:n$"))
    steps.add(
        TextStep(
            StepKind.DAY_DATE,
            waiting_for=lambda _: _("the date of your important day"),
            label=lambda _, partner: _("An important day"),
            take=take_date,
        )
    )
