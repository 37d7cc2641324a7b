"""/unwind, the stress-reducing conversation, in Telegram: the invitation (about stress from
outside the relationship only), the choice of 5, 7 or 10 minutes a turn (the shorter wins),
two turns with prompts for the speaker and tips for the listener, a timer message in both
chats, the speaker's words relayed line by line (each saying whose turn it is), the
listener's kept with them, the listener's reply after each turn, and a short summary.
`drive` is the conversation's pass of the flow driver (`handlers.flows`)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from babel.dates import format_timedelta
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.context import BotApplication, BotContext
from bot.outgoing import Outgoing, message_payload
from bot.runtime import Runtime
from bot.services import eyes, outbox, unwind, users
from bot.services.conversation import Step, StepKind
from bot.services.exchange_errors import ExchangeError, Stale
from bot.services.guided_flows import Busy
from bot.services.people import Person
from bot.services.unwind import MINUTES, Choice, Replied, Said, Summary, Timer, Turn
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
from locales import N_, Translator

STEP = 15  # seconds: a turn's timer moves at most this often
# What the listener may send the speaker after a turn: ways of saying "I'm on your side".
REPLIES = (
    N_("That sounds really exhausting."),
    N_("No wonder that got to you."),
    N_("I'm on your side in this."),
    N_("That's a lot to carry. I'm glad you told me."),
    N_("I understand why that upset you."),
)


def duration(_: Translator, minutes: int) -> str:
    return format_timedelta(timedelta(minutes=minutes), locale=_.language)


def invitation(_: Translator, name: str, flow_id: int) -> Outgoing:
    return Outgoing(
        _(
            "🌿 {partner} invites you to unwind together: a talk about the stress of the day "
            "from outside your relationship (work, family, friends, the news), not about the "
            "two of you. You take turns: one talks, the other listens and is on their side. "
            "Are you in?"
        ).format(partner=esc(name)),
        InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(_("Yes, let's"), callback_data=f"uw:a:{flow_id}"),
                    InlineKeyboardButton(_("Not now"), callback_data=f"uw:n:{flow_id}"),
                ]
            ]
        ),
    )


def choice_prompt(_: Translator, flow_id: int) -> tuple[str, InlineKeyboardMarkup]:
    text = _(
        "How long should each turn be? Each of you picks, and the shorter choice wins. The "
        "one who invited talks first, then you swap."
    )
    buttons = [
        InlineKeyboardButton(duration(_, m), callback_data=f"uw:m:{flow_id}:{m}") for m in MINUTES
    ]
    return text, InlineKeyboardMarkup([buttons, [end_button(_, flow_id)]])


def speaker_text(_: Translator, turn: Turn) -> str:
    return _(
        "🗣 Your turn to talk, for {duration}. {partner} is listening. Talk about your day and "
        "what weighs on you from outside the two of you; whatever you type now goes to "
        "{partner}. If you like, say whether you want advice or just an ear. A few places to "
        "start:\n• What took the most out of you today?\n• Is something coming up that "
        "worries you?\n• What do you wish had gone differently?"
    ).format(duration=duration(_, turn.minutes), partner=esc(turn.listener.first_name))


def listener_text(_: Translator, turn: Turn) -> str:
    return _(
        "👂 {partner}'s turn to talk, for {duration}. You listen. A few tips:\n• Take "
        "{partner}'s side, even where you see it differently.\n• No advice unless {partner} "
        "asks for it.\n• Show that you understand, in a word or a nod.\nWhat you type during "
        "this turn stays with you; after it you can send {partner} a few kind words."
    ).format(duration=duration(_, turn.minutes), partner=esc(turn.speaker.first_name))


async def start_turn(work: Work, runtime: Runtime, turn: Turn) -> None:
    """Both learn the turn started: prompts for the speaker, tips for the listener."""
    await relay(work, runtime, turn.speaker, speaker_text(translator_for(turn.speaker), turn))
    await relay(work, runtime, turn.listener, listener_text(translator_for(turn.listener), turn))


def timer_text(_: Translator, timer: Timer, now: datetime, step: int) -> str:
    """The time left in the turn, moving in steps of `step` seconds from its start (never
    less than is left)."""
    total = int((timer.ends_at - timer.starts_at).total_seconds())
    elapsed = max(int((now - timer.starts_at).total_seconds()), 0)
    shown = max(total - step * (elapsed // step), 0)
    time = f"{shown // 60}:{shown % 60:02d}"
    if timer.speaking:
        return _("🗣 Your turn. {time} left").format(time=time)
    return _("👂 {partner}'s turn. {time} left").format(
        partner=esc(timer.other.first_name), time=time
    )


def reply_prompt(_: Translator, speaker: str, flow_id: int) -> Outgoing:
    return Outgoing(
        _(
            "⏳ {partner}'s turn is over. Send {partner} a few words that show you are on "
            "their side:"
        ).format(partner=esc(speaker)),
        InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(_(words), callback_data=f"uw:v:{flow_id}:{index}")]
                for index, words in enumerate(REPLIES)
            ]
            + [[end_button(_, flow_id)]]
        ),
    )


def turn_over_text(_: Translator) -> str:
    return _("Turn over. 🌿")


def summary_text(_: Translator, summary: Summary) -> str:
    length = duration(_, summary.minutes)
    if summary.turns >= unwind.TURNS:
        return _(
            "🌿 Your unwind time is over: two turns of {duration}, and each of you talked and "
            "listened. Thank you for being on each other's side today."
        ).format(duration=length)
    return _(
        "🌿 Your unwind time has closed after one turn of {duration}. Thank you for making "
        "time for each other."
    ).format(duration=length)


async def unwind_command(update: Update, context: BotContext) -> None:
    runtime = context.runtime
    now = runtime.clock.now()
    async with begin(runtime.db) as work:
        user = await load_user(runtime, work, update)
        _ = translator_for(user)
        partner = await users.partner(work, user)
        busy: Busy | None = None
        if partner is not None:
            try:
                invited = await unwind.invite(work, user, now)
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
            "I've invited {partner} to unwind together, a talk about stress from outside your "
            "relationship. I'll tell you their answer."
        ).format(partner=esc(partner.first_name)),
        InlineKeyboardMarkup([[end_button(_, invited.flow_id)]]),
    )


async def on_answer(update: Update, context: BotContext) -> None:
    """The invited partner: "Yes, let's" (both choose the length next) or "Not now"."""

    async def act(work: Work, user: Person, partner: Person | None, now: datetime) -> bool:
        _uw, kind, raw_id = tap_parts(update, 3)
        flow_id = tap_id(raw_id)
        if kind == "a":
            inviter = await unwind.accept(work, user, flow_id, now)
            _ = translator_for(inviter)
            text, markup = choice_prompt(_, flow_id)
            said = _("{partner} said yes!").format(partner=esc(user.first_name))
            await relay(work, context.runtime, inviter, f"{said} {text}", reply_markup=markup)
            return True
        inviter = await unwind.decline(work, user, flow_id, now)
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
        _uw, _a, raw_id = tap_parts(update, 3)
        text, markup = choice_prompt(_, int(raw_id))
        await update.callback_query.edit_message_text(text, reply_markup=markup)
    else:
        await update.callback_query.edit_message_text(_("Okay, not now. 🌿"))


async def on_choose(update: Update, context: BotContext) -> None:
    async def act(work: Work, user: Person, partner: Person | None, now: datetime) -> Choice:
        _uw, _m, raw_id, raw_minutes = tap_parts(update, 4)
        choice = await unwind.choose(work, user, tap_id(raw_id), tap_id(raw_minutes), now)
        if choice.turn is not None:
            await start_turn(work, context.runtime, choice.turn)
        return choice

    tap = await handle_tap(update, context, act)
    if not tap.ok or tap.value is None:
        return
    choice, _ = tap.value, tap.translator
    await answer_callback(update)
    assert update.callback_query is not None
    if choice.turn is None:
        text = _("You chose {duration}. Waiting for {partner}; the shorter choice wins.").format(
            duration=duration(_, choice.chosen), partner=esc(choice.partner.first_name)
        )
        markup = InlineKeyboardMarkup([[end_button(_, choice.flow_id)]])
        await update.callback_query.edit_message_text(text, reply_markup=markup)
        return
    text = _("Agreed: {duration} a turn.").format(duration=duration(_, choice.turn.minutes))
    await update.callback_query.edit_message_text(text)


def relayed_text(_: Translator, speaker: str, words: str) -> str:
    return _("🗣 {partner}'s turn: {words}").format(partner=esc(speaker), words=esc(words))


async def take_talk(update: Update, context: BotContext, step: Step, text: str) -> None:
    """Words typed during a turn: the speaker's go to the listener, the listener's stay."""

    async def act(work: Work, user: Person, partner: Person | None, now: datetime) -> Said:
        if step.ref_id is None:
            raise ExchangeError(Stale.NOT_YOURS)
        said = await unwind.talk(work, user, step.ref_id, text)
        if said.listener is not None:
            line = relayed_text(translator_for(said.listener), user.first_name, text.strip())
            await relay(work, context.runtime, said.listener, line, author=user)
        return said

    done = await handle_text(
        update,
        context,
        act,
        closed=lambda _: _("That turn has ended, so I haven't passed this on."),
        too_long=lambda _, e: _(
            "That is {length} characters; up to {limit} fit in one message here."
        ).format(length=e.length, limit=e.limit),
    )
    if not done.ok or done.value is None or done.value.listener is not None:
        return
    _ = done.translator
    await reply(
        update,
        _(
            "During {partner}'s turn, what you type stays here with you: I haven't passed it "
            "on. For now, listening is your part. 🌿"
        ).format(partner=esc(done.value.speaker.first_name)),
    )


async def on_reply(update: Update, context: BotContext) -> None:
    """The listener's reply after a turn: the speaker reads it; then the next turn starts,
    or both read the summary."""

    async def act(work: Work, user: Person, partner: Person | None, now: datetime) -> Replied:
        _uw, _v, raw_id, raw_index = tap_parts(update, 4)
        replied = await unwind.reply(work, user, tap_id(raw_id), tap_id(raw_index), now)
        runtime = context.runtime
        _ = translator_for(replied.speaker)
        heard = _("💬 {partner} heard you: “{words}”").format(
            partner=esc(user.first_name), words=_(REPLIES[replied.reply])
        )
        await relay(work, runtime, replied.speaker, heard)
        if replied.turn is not None:
            await start_turn(work, runtime, replied.turn)
        if replied.summary is not None:
            for person in replied.summary.people:
                await relay(
                    work, runtime, person, summary_text(translator_for(person), replied.summary)
                )
        return replied

    tap = await handle_tap(update, context, act)
    if not tap.ok or tap.value is None:
        return
    _ = tap.translator
    await answer_callback(update)
    assert update.callback_query is not None
    text = _("Sent to {partner}: “{words}”").format(
        partner=esc(tap.value.speaker.first_name), words=_(REPLIES[tap.value.reply])
    )
    await update.callback_query.edit_message_text(text)


async def drive(bot: Bot, runtime: Runtime) -> set[int]:
    """The conversation's pass of the flow driver: turns shown (timer messages sent, then
    edited), turns whose time is up (the listener's replies and a word for the speaker,
    through the outbox), replies nobody picked (the summary). Returns the flow parts whose
    timers run."""
    now = runtime.clock.now()
    async with begin(runtime.db) as work:
        found = await unwind.flow_pass(work, now)
        for over in found.over:
            listener, speaker = over.listener.person, over.speaker.person
            out = reply_prompt(translator_for(listener), speaker.first_name, over.flow_id)
            await queue(work, runtime, listener, out, now)
            _ = translator_for(speaker)
            text = _(
                "⏳ Your turn is over. Thank you for sharing it. {partner} is picking a few words "
                "for you."
            ).format(partner=esc(listener.first_name))
            await queue(work, runtime, speaker, Outgoing(text), now)
        for summary in found.closed:
            for person in summary.people:
                text = summary_text(translator_for(person), summary)
                await queue(work, runtime, person, Outgoing(text), now)
    await send_queued(runtime, work)
    closing = [
        (side, turn_over_text(translator_for(side.person)))
        for over in found.over
        for side in (over.speaker, over.listener)
        if side.message_id
    ]
    await asyncio.gather(
        *(edit(bot, s.person.chat_id, s.message_id or 0, text) for s, text in closing)
    )
    step = max(STEP, eyes.timer_step(len({t.flow_id for t in found.timers}), runtime.send_rate))
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


async def queue(work: Work, runtime: Runtime, person: Person, out: Outgoing, now: datetime) -> None:
    payload = message_payload(person.chat_id, out)
    await outbox.queue_message(work, person, payload, now, runtime.ritual_grace)


def register(application: BotApplication, steps: TextSteps) -> None:
    application.add_handler(
        CommandHandler("unwind", unwind_command, filters=filters.ChatType.PRIVATE)
    )
    application.add_handler(CallbackQueryHandler(on_answer, pattern=r"^uw:[an]:"))
    application.add_handler(CallbackQueryHandler(on_choose, pattern=r"^uw:m:"))
    application.add_handler(CallbackQueryHandler(on_reply, pattern=r"^uw:v:"))
    steps.add(
        TextStep(
            StepKind.FLOW_TALK,
            waiting_for=lambda _: _("your words during your turn"),
            label=lambda _, partner: _("Our unwind time"),
            take=take_talk,
        )
    )
