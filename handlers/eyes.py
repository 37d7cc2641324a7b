"""/eyes, eye-contact minutes, in Telegram: the invitation ("Yes, let's" / "Not now"), the
choice of 1–4 minutes (the shorter choice wins), the timer message in both chats (3-2-1,
then the time left, edited every few seconds), the gentle end, one optional word each, and
"End" at any step (`handlers.flows`). `drive` is the eye-contact pass of the flow driver: a
short repeating job runs it (every second), and it reads everything it shows from the stored
flow, so a restart resumes a timer."""

from __future__ import annotations

import asyncio
import math
from datetime import datetime, timedelta

from babel.dates import format_timedelta
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.context import BotApplication, BotContext
from bot.outgoing import Outgoing, message_payload
from bot.runtime import Runtime
from bot.services import eyes, outbox, users
from bot.services.conversation import Step, StepKind
from bot.services.exchange_errors import ExchangeError, Stale
from bot.services.eyes import MINUTES, Choice, Shared, Timer
from bot.services.guided_flows import Busy
from bot.services.people import Person
from bot.services.work import Work, begin
from handlers.actions import handle_tap, handle_text, tap_id, tap_parts
from handlers.common import (
    answer_callback,
    esc,
    load_user,
    not_paired_text,
    relay,
    reply,
    send_queued,
    translator_for,
)
from handlers.flows import edit, end_button, reply_busy, show_timer
from handlers.text_steps import TextStep, TextSteps
from locales import Translator


def duration(_: Translator, minutes: int) -> str:
    return format_timedelta(timedelta(minutes=minutes), locale=_.language)


def invitation(_: Translator, name: str, flow_id: int) -> Outgoing:
    return Outgoing(
        _(
            "👀 {partner} invites you to a few minutes of eye contact: sit facing each other "
            "and look into each other's eyes, no words needed. Are you in?"
        ).format(partner=esc(name)),
        InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(_("Yes, let's"), callback_data=f"ey:a:{flow_id}"),
                    InlineKeyboardButton(_("Not now"), callback_data=f"ey:n:{flow_id}"),
                ]
            ]
        ),
    )


def choice_prompt(_: Translator, flow_id: int) -> tuple[str, InlineKeyboardMarkup]:
    text = _(
        "How long? Each of you picks 1, 2, 3 or 4 minutes, and the shorter choice wins. Once "
        "you have both chosen, a 3-2-1 starts in both chats at the same moment."
    )
    buttons = [
        InlineKeyboardButton(duration(_, m), callback_data=f"ey:m:{flow_id}:{m}") for m in MINUTES
    ]
    return text, InlineKeyboardMarkup([buttons[:2], buttons[2:], [end_button(_, flow_id)]])


def timer_text(_: Translator, timer: Timer, now: datetime, step: int) -> str:
    """What the timer message shows at `now`: 3, 2, 1, then the time left, moving in steps
    of `step` seconds from the start (so it never shows less than is left)."""
    if now < timer.starts_at:
        count = max(1, math.ceil((timer.starts_at - now).total_seconds()))
        return _("Get ready… {count}").format(count=count)
    elapsed = int((now - timer.starts_at).total_seconds())
    shown = max(timer.minutes * 60 - step * (elapsed // step), 0)
    return _("👀 Look into each other's eyes. {time} left").format(
        time=f"{shown // 60}:{shown % 60:02d}"
    )


def finished_text(_: Translator, minutes: int) -> str:
    return _("🌿 {duration} of eye contact, together.").format(duration=duration(_, minutes))


def words_prompt(_: Translator, flow_id: int) -> Outgoing:
    return Outgoing(
        _(
            "🌿 Time is up. Take a breath and come back gently. If you like, send one word "
            "for how that felt, or tap Skip."
        ),
        InlineKeyboardMarkup([[InlineKeyboardButton(_("Skip"), callback_data=f"ey:s:{flow_id}")]]),
    )


def shared_text(_: Translator, shared: Shared) -> str:
    return _("{partner}'s word after your eye contact: “{words}”").format(
        partner=esc(shared.author.first_name), words=esc(shared.words)
    )


async def eyes_command(update: Update, context: BotContext) -> None:
    runtime = context.runtime
    now = runtime.clock.now()
    async with begin(runtime.db) as work:
        user = await load_user(runtime, work, update)
        _ = translator_for(user)
        partner = await users.partner(work, user)
        busy: Busy | None = None
        if partner is not None:
            try:
                invited = await eyes.invite(work, user, now)
            except Busy as caught:
                busy = caught
            else:
                out = invitation(translator_for(partner), user.first_name, invited.flow_id)
                await relay(work, runtime, partner, out.text, reply_markup=out.markup)
    if partner is None:
        await reply(update, not_paired_text(_))
        return
    if busy is not None:
        await reply_busy(update, _, busy)
        return
    await send_queued(runtime, work)
    await reply(
        update,
        _(
            "I've invited {partner} to a few minutes of eye contact. I'll tell you their answer."
        ).format(partner=esc(partner.first_name)),
        InlineKeyboardMarkup([[end_button(_, invited.flow_id)]]),
    )


async def on_answer(update: Update, context: BotContext) -> None:
    """The invited partner: "Yes, let's" (both choose next) or "Not now"."""

    async def act(work: Work, user: Person, partner: Person | None, now: datetime) -> bool:
        _ey, kind, raw_id = tap_parts(update, 3)
        flow_id = tap_id(raw_id)
        if kind == "a":
            inviter = await eyes.accept(work, user, flow_id, now)
            _ = translator_for(inviter)
            text, markup = choice_prompt(_, flow_id)
            said = _("{partner} said yes!").format(partner=esc(user.first_name))
            await relay(work, context.runtime, inviter, f"{said} {text}", reply_markup=markup)
            return True
        inviter = await eyes.decline(work, user, flow_id, now)
        _ = translator_for(inviter)
        text = _("{partner} can't right now. Maybe another time. 🌿").format(
            partner=esc(user.first_name)
        )
        await relay(work, context.runtime, inviter, text)
        return False

    tap = await handle_tap(update, context, act)
    if not tap.ok or tap.value is None:
        return
    _ = tap.translator
    await answer_callback(update)
    assert update.callback_query is not None
    if tap.value:
        _ey, _a, raw_id = tap_parts(update, 3)
        text, markup = choice_prompt(_, int(raw_id))
        await update.callback_query.edit_message_text(text, reply_markup=markup)
    else:
        await update.callback_query.edit_message_text(_("Okay, not now. 🌿"))


async def on_choose(update: Update, context: BotContext) -> None:
    async def act(work: Work, user: Person, partner: Person | None, now: datetime) -> Choice:
        _ey, _m, raw_id, raw_minutes = tap_parts(update, 4)
        return await eyes.choose(work, user, tap_id(raw_id), tap_id(raw_minutes), now)

    tap = await handle_tap(update, context, act)
    if not tap.ok or tap.value is None:
        return
    choice, _ = tap.value, tap.translator
    await answer_callback(update)
    assert update.callback_query is not None
    if choice.minutes is None:
        text = _("You chose {duration}. Waiting for {partner}; the shorter choice wins.").format(
            duration=duration(_, choice.chosen), partner=esc(choice.partner.first_name)
        )
        markup = InlineKeyboardMarkup([[end_button(_, choice.flow_id)]])
        await update.callback_query.edit_message_text(text, reply_markup=markup)
        return
    text = _("Agreed: {duration}. Get ready, the timer starts in both chats now.").format(
        duration=duration(_, choice.minutes)
    )
    await update.callback_query.edit_message_text(text)


async def on_skip(update: Update, context: BotContext) -> None:
    async def act(work: Work, user: Person, partner: Person | None, now: datetime) -> list[Shared]:
        _ey, _s, raw_id = tap_parts(update, 3)
        return await share(work, context.runtime, user, tap_id(raw_id), None, now)

    tap = await handle_tap(update, context, act)
    if not tap.ok or tap.value is None:
        return
    await answer_callback(update)
    assert update.callback_query is not None
    await update.callback_query.edit_message_text(
        words_done(tap.translator, tap.user, tap.partner, tap.value, wrote=False)
    )


async def take_word(update: Update, context: BotContext, step: Step, text: str) -> None:
    async def act(work: Work, user: Person, partner: Person | None, now: datetime) -> list[Shared]:
        if step.ref_id is None:
            raise ExchangeError(Stale.NOT_YOURS)
        return await share(work, context.runtime, user, step.ref_id, text, now)

    done = await handle_text(
        update,
        context,
        act,
        closed=lambda _: _("Those minutes have closed, so I haven't passed this on."),
        too_long=lambda _, e: _(
            "That is {length} characters; one word or a few, up to {limit}, fit here."
        ).format(length=e.length, limit=e.limit),
    )
    if not done.ok or done.value is None:
        return
    await reply(update, words_done(done.translator, done.user, done.partner, done.value))


async def share(
    work: Work, runtime: Runtime, user: Person, flow_id: int, words: str | None, now: datetime
) -> list[Shared]:
    """Keep the user's word (or their pass); once both are in, the partner reads the user's
    word, in the same unit of work."""
    shown = await eyes.leave_word(work, user, flow_id, words, now)
    for item in shown:
        if item.to.id != user.id:
            await relay(work, runtime, item.to, shared_text(translator_for(item.to), item))
    return shown


def words_done(
    _: Translator, user: Person, partner: Person | None, shown: list[Shared], *, wrote: bool = True
) -> str:
    """For the writer: their partner's word, when it is shown now; else what happens next."""
    mine = [item for item in shown if item.to.id == user.id]
    if mine:
        return shared_text(_, mine[0])
    name = esc(partner.first_name) if partner else ""
    if shown or not wrote:
        return _("Thank you. 🌿")
    return _("Kept. {partner} reads it once they have written theirs too.").format(partner=name)


async def drive(bot: Bot, runtime: Runtime) -> set[int]:
    """The eye-contact pass of the flow driver: timers shown (sent, then edited when what
    they show changes), timers that ended (the gentle end and a word step, through the
    outbox), and steps past their deadline (closed; the words written so far shown). Returns
    the flow parts whose timers run."""
    now = runtime.clock.now()
    async with begin(runtime.db) as work:
        found = await eyes.flow_pass(work, now)
        for finished in found.finished:
            for side, _step in finished.sides:
                out = words_prompt(translator_for(side.person), finished.flow_id)
                payload = message_payload(side.person.chat_id, out)
                await outbox.queue_message(work, side.person, payload, now, runtime.ritual_grace)
        for item in found.shared:
            text = shared_text(translator_for(item.to), item)
            payload = message_payload(item.to.chat_id, Outgoing(text))
            await outbox.queue_message(
                work, item.to, payload, now, runtime.ritual_grace, author=item.author
            )
    closing = []
    for finished in found.finished:
        for side, _step in finished.sides:
            if side.message_id:  # the timer message keeps what they did, without buttons
                closing.append((side, finished_text(translator_for(side.person), finished.minutes)))
    await send_queued(runtime, work)
    await asyncio.gather(
        *(edit(bot, s.person.chat_id, s.message_id or 0, text) for s, text in closing)
    )
    step = eyes.timer_step(len({t.flow_id for t in found.timers}), runtime.send_rate)
    await asyncio.gather(
        *(
            show_timer(
                bot,
                runtime,
                t.side,
                t.flow_id,
                timer_text(translator_for(t.side.person), t, now, step),
            )
            for t in found.timers
        )
    )
    return {t.side.part_id for t in found.timers}


def register(application: BotApplication, steps: TextSteps) -> None:
    application.add_handler(CommandHandler("eyes", eyes_command, filters=filters.ChatType.PRIVATE))
    application.add_handler(CallbackQueryHandler(on_answer, pattern=r"^ey:[an]:"))
    application.add_handler(CallbackQueryHandler(on_choose, pattern=r"^ey:m:"))
    application.add_handler(CallbackQueryHandler(on_skip, pattern=r"^ey:s:"))
    steps.add(
        TextStep(
            StepKind.FLOW_WORD,
            waiting_for=lambda _: _("your word after the eye contact (or tap Skip)"),
            label=lambda _, partner: _("My word for {partner}").format(partner=partner),
            take=take_word,
        )
    )
