"""Needs after the reveal, in Telegram: "Not today" with an optional note, "Let's talk about
it" at a chosen time (both are reminded through the outbox), and /needs, the couple's open
needs and requests, with a button to close a need."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.context import BotApplication, BotContext
from bot.outgoing import Outgoing
from bot.services import needs, users
from bot.services.checkins import NeedReply
from bot.services.conversation import Step, StepKind
from bot.services.exchange_errors import ExchangeError, Stale
from bot.services.needs import Aside, NotToday, OpenItems, TalkPlan, TalkTime
from bot.services.people import Person
from bot.services.work import Work, begin
from handlers.actions import handle_tap, handle_text, require, tap_choice, tap_id, tap_parts
from handlers.common import (
    answer_callback,
    esc,
    load_user,
    not_paired_text,
    relay,
    remind,
    reply,
    translator_for,
)
from handlers.text_steps import TextStep, TextSteps
from locales import N_, Translator

TALK_TIMES: dict[TalkTime, str] = {
    TalkTime.TONIGHT: N_("Tonight"),
    TalkTime.TOMORROW: N_("Tomorrow"),
    TalkTime.WEEKEND: N_("This weekend"),
}


def note_prompt(_: Translator, checkin_id: int, partner: str, step: Step | None) -> Outgoing:
    """After "Not today": an optional note for the partner, or one of two taps."""
    data = f"nd:o:{checkin_id}:"
    return Outgoing(
        _(
            "Not today — that is okay. Would you like to add a few words for {partner}? "
            "Write them, or tap one of these:"
        ).format(partner=esc(partner)),
        InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        _("Send without a note"), callback_data=data + Aside.NOTHING
                    )
                ],
                [
                    InlineKeyboardButton(
                        _("I'd like to talk about it"), callback_data=data + Aside.TALK
                    )
                ],
            ]
        ),
        step_id=step.id if step else None,
    )


def talk_prompt(_: Translator, checkin_id: int) -> Outgoing:
    buttons = [
        InlineKeyboardButton(_(label), callback_data=f"nd:t:{checkin_id}:{when.value}")
        for when, label in TALK_TIMES.items()
    ]
    return Outgoing(
        _("When would suit you to talk about it? I will remind you both then."),
        InlineKeyboardMarkup([buttons]),
    )


def not_today_relay(_: Translator, name: str, answer: NotToday) -> str:
    """The softened line the one with the need receives."""
    lead = _("About your need “{need}”:").format(need=esc(answer.need)) + " "
    if answer.talk:
        return lead + _("{partner} can't do this today — and would like to talk about it.").format(
            partner=esc(name)
        )
    if answer.note:
        return lead + _("{partner} can't do this today, and wrote: “{note}”").format(
            partner=esc(name), note=esc(answer.note)
        )
    return lead + _("{partner} can't do this today. It stays open in /needs.").format(
        partner=esc(name)
    )


def moment_text(_: Translator, at: datetime, zone: str) -> str:
    local = at.astimezone(ZoneInfo(zone))
    return _("{day} at {time}").format(
        day=format_date(local, format="full", locale=_.language),
        time=format_time(local, format="short", locale=_.language),
    )


def talk_planned_text(_: Translator, plan: TalkPlan, zone: str) -> str:
    return _("You will talk about it on {moment}. I will remind you both then.").format(
        moment=moment_text(_, plan.at, zone)
    )


def talk_planned_relay(_: Translator, name: str, plan: TalkPlan, zone: str) -> str:
    return _(
        "{partner} would like to talk about your need “{need}” on {moment}. "
        "I will remind you both then."
    ).format(partner=esc(name), need=esc(plan.need), moment=moment_text(_, plan.at, zone))


def talk_reminder(_: Translator, need: str) -> str:
    return _(
        "⏰ Time for the talk you planned, about “{need}”. Take turns: one speaks, the other "
        "listens and says back what they heard. Once it feels settled, close it in /needs."
    ).format(need=esc(need))


def closed_text(_: Translator) -> str:
    return _("That need is no longer waiting for a note, so I haven't passed this on.")


async def on_note_choice(update: Update, context: BotContext) -> None:
    """Without a note, or "I'd like to talk about it"."""

    async def act(work: Work, user: Person, partner: Person | None, now: datetime) -> NotToday:
        _nd, _o, raw_id, raw_choice = tap_parts(update, 4)
        aside = tap_choice(Aside, raw_choice)
        partner = require(partner)
        answer = await needs.leave_note(work, user, tap_id(raw_id), None, aside, now)
        await relay_not_today(work, context, user, partner, answer)
        return answer

    tap = await handle_tap(update, context, act)
    if not tap.ok or tap.value is None or tap.partner is None:
        return
    await answer_callback(update)
    await pass_on(update, tap.user, tap.partner)


async def take_note(update: Update, context: BotContext, step: Step, text: str) -> None:
    async def act(work: Work, user: Person, partner: Person | None, now: datetime) -> NotToday:
        if step.ref_id is None:
            raise ExchangeError(Stale.NOT_YOURS)
        partner = require(partner)
        answer = await needs.leave_note(work, user, step.ref_id, text, Aside.NOTE, now)
        await relay_not_today(work, context, user, partner, answer)
        return answer

    done = await handle_text(
        update,
        context,
        act,
        closed=closed_text,
        too_long=lambda _, e: _(
            "That note is {length} characters; up to {limit} fit. Please shorten it and send it "
            "again (I haven't passed it on)."
        ).format(length=e.length, limit=e.limit),
    )
    if not done.ok or done.value is None or done.partner is None:
        return
    await pass_on(update, done.user, done.partner)


async def relay_not_today(
    work: Work, context: BotContext, user: Person, partner: Person, answer: NotToday
) -> None:
    """The softened "not today" for the one with the need, with the answer that caused it."""
    text = not_today_relay(translator_for(partner), user.first_name, answer)
    await relay(work, context.runtime, partner, text, author=user)


async def pass_on(update: Update, user: Person, partner: Person) -> None:
    _ = translator_for(user)
    text = _("Sent to {partner}.").format(partner=esc(partner.first_name))
    query = update.callback_query
    if query is not None:
        await query.edit_message_text(text)
    else:
        await reply(update, text)


async def on_talk_time(update: Update, context: BotContext) -> None:
    async def act(work: Work, user: Person, partner: Person | None, now: datetime) -> TalkPlan:
        _nd, _t, raw_id, raw_when = tap_parts(update, 4)
        when = tap_choice(TalkTime, raw_when)
        partner = require(partner)
        plan = await needs.plan_talk(work, user, tap_id(raw_id), when, now)
        text = talk_planned_relay(translator_for(partner), user.first_name, plan, partner.timezone)
        await relay(work, context.runtime, partner, text, author=partner)  # with the plan
        for person in (user, partner):  # the need is the partner's words
            reminder = talk_reminder(translator_for(person), plan.need)
            await remind(work, context.runtime, person, reminder, plan.at, author=partner)
        return plan

    tap = await handle_tap(update, context, act)
    if not tap.ok or tap.value is None or tap.partner is None:
        return
    plan, user = tap.value, tap.user
    await answer_callback(update)
    assert update.callback_query is not None
    await update.callback_query.edit_message_text(
        talk_planned_text(tap.translator, plan, user.timezone)
    )


def needs_text(_: Translator, items: OpenItems, me: Person, partner: Person) -> str:
    if not items.needs and not items.requests:
        return _("Nothing is open between you right now. 🌿")
    lines = [_("🌿 What is still open between you:")]
    for number, need in enumerate(items.needs, start=1):
        line = _("{n}. You need: “{need}”") if need.mine else _("{n}. {partner} needs: “{need}”")
        lines += ["", line.format(n=number, need=esc(need.need), partner=esc(partner.first_name))]
        lines.append(need_state(_, need, me.timezone))
    if items.requests:
        lines += ["", _("Requests:")]
        for request in items.requests:
            if request.mine:
                text = _("• You asked {partner}: “{request}”")
            else:
                text = _("• {partner} asked you: “{request}”")
            text = text.format(partner=esc(partner.first_name), request=esc(request.text))
            if request.negotiating:
                text += " " + _("(finding a version that works)")
            lines.append(text)
    if items.needs:
        lines += ["", _("When a need has been met or talked through, close it:")]
    return "\n".join(lines)


def need_state(_: Translator, need: needs.OpenNeed, zone: str) -> str:
    if need.reply is NeedReply.TALK:
        if need.talk_at is not None:
            return "   " + _("to talk about on {moment}").format(
                moment=moment_text(_, need.talk_at, zone)
            )
        return "   " + _("to talk about")
    if need.reply is NeedReply.NO:
        if need.note:
            return "   " + _("not today: “{note}”").format(note=esc(need.note))
        return "   " + _("not today")
    return "   " + _("not answered yet")


def close_buttons(_: Translator, items: OpenItems) -> InlineKeyboardMarkup | None:
    if not items.needs:
        return None
    buttons = [
        InlineKeyboardButton(
            _("Close {n}").format(n=number), callback_data=f"nd:c:{need.answer_id}"
        )
        for number, need in enumerate(items.needs, start=1)
    ]
    return InlineKeyboardMarkup([buttons[i : i + 3] for i in range(0, len(buttons), 3)])


async def needs_command(update: Update, context: BotContext) -> None:
    runtime = context.runtime
    async with begin(runtime.db) as work:
        user = await load_user(runtime, work, update)
        partner = await users.partner(work, user)
        items = await needs.open_items(work, user) if partner is not None else None
    _ = translator_for(user)
    if partner is None or items is None:
        await reply(update, not_paired_text(_))
        return
    await reply(update, needs_text(_, items, user, partner), close_buttons(_, items))


async def on_close(update: Update, context: BotContext) -> None:
    async def act(
        work: Work, user: Person, partner: Person | None, now: datetime
    ) -> tuple[Person, OpenItems]:
        _nd, _c, raw_id = tap_parts(update, 3)
        them = require(partner)
        await needs.close_need(work, user, tap_id(raw_id), now)
        return them, await needs.open_items(work, user)

    tap = await handle_tap(update, context, act)
    if not tap.ok or tap.value is None:
        return
    partner, items = tap.value
    _ = tap.translator
    await answer_callback(update, _("Closed. 🌿"))
    assert update.callback_query is not None
    await update.callback_query.edit_message_text(
        needs_text(_, items, tap.user, partner), reply_markup=close_buttons(_, items)
    )


def register(application: BotApplication, steps: TextSteps) -> None:
    application.add_handler(
        CommandHandler("needs", needs_command, filters=filters.ChatType.PRIVATE)
    )
    application.add_handler(CallbackQueryHandler(on_note_choice, pattern=r"^nd:o:"))
    application.add_handler(CallbackQueryHandler(on_talk_time, pattern=r"^nd:t:"))
    application.add_handler(CallbackQueryHandler(on_close, pattern=r"^nd:c:"))
    steps.add(
        TextStep(
            StepKind.NEED_NOTE,
            waiting_for=lambda _: _("your note with “Not today” (or tap one of its buttons)"),
            label=lambda _, partner: _("A note for {partner}").format(partner=partner),
            take=take_note,
        )
    )
