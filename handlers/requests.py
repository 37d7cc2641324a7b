"""/ask: a clear request the partner answers yes, no, or let's negotiate; negotiating goes
in rounds (accept / no / counter again) until one side accepts or says no, and a week after
an agreement the asker is asked whether it happened."""

from __future__ import annotations

from datetime import datetime

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.context import BotApplication, BotContext
from bot.outgoing import Outgoing, message_payload
from bot.runtime import Runtime
from bot.services import outbox, requests, users
from bot.services.conversation import Step, StepKind
from bot.services.exchange_errors import ExchangeError, Stale, TooLong
from bot.services.people import Person
from bot.services.requests import Asked, CheckReply, CounterAnswer, RequestAnswer
from bot.services.work import Work, begin
from handlers.actions import handle_tap, handle_text, require, tap_choice, tap_id, tap_parts
from handlers.common import (
    answer_callback,
    esc,
    load_user,
    not_paired_text,
    relay,
    relay_refusal,
    reply,
    reply_outgoing,
    send_queued,
    translator_for,
)
from handlers.text_steps import TextStep, TextSteps
from locales import N_, Translator

ANSWER_LABELS: dict[RequestAnswer, str] = {
    RequestAnswer.YES: N_("Yes"),
    RequestAnswer.NO: N_("No"),
    RequestAnswer.NEGOTIATE: N_("Let's negotiate"),
}
COUNTER_LABELS: dict[CounterAnswer, str] = {
    CounterAnswer.ACCEPT: N_("Accept"),
    CounterAnswer.NO: N_("No"),
    CounterAnswer.COUNTER: N_("Counter again"),
}
CHECK_LABELS: dict[CheckReply, str] = {
    CheckReply.YES: N_("Yes"),
    CheckReply.NOT_YET: N_("Not yet"),
    CheckReply.LET_GO: N_("Let it go"),
}


def request_text(_: Translator, name: str, text: str) -> str:
    return _("🙏 {partner} asks you:").format(partner=esc(name)) + "\n\n" + esc(text)


def too_long_text(_: Translator, length: int, limit: int) -> str:
    return _("That is {length} characters; please keep it under {limit} and send it again.").format(
        length=length, limit=limit
    )


async def ask_command(update: Update, context: BotContext) -> None:
    message = update.effective_message
    words = (message.text or "").split(maxsplit=1)[1:] if message else []
    runtime = context.runtime
    too_long: TooLong | None = None
    asked: Asked | None = None
    async with begin(runtime.db) as work:
        user = await load_user(runtime, work, update)
        partner = await users.partner(work, user)
        limited = (
            partner is not None
            and bool(words)
            and not runtime.relays.hit(user.id, runtime.wall.now())
        )
        if partner is not None and words and not limited:
            try:
                asked = await requests.ask_partner(
                    work, user, partner, words[0], runtime.clock.now()
                )
            except TooLong as caught:
                too_long = caught
            else:  # the request and its relay are committed together
                await queue_request(work, runtime, user, partner, asked)
    delivered = await send_queued(runtime, work)
    _ = translator_for(user)
    if partner is None:
        await reply(update, not_paired_text(_))
    elif not words:
        await reply(
            update,
            _(
                "Ask for one clear, concrete thing, and {partner} can answer yes, no or let's "
                "negotiate. For example: /ask Could we have breakfast together on Saturday?"
            ).format(partner=esc(partner.first_name)),
        )
    elif limited:
        await reply(update, relay_refusal(_, partner.first_name))
    elif too_long is not None:
        await reply(update, too_long_text(_, too_long.length, too_long.limit))
    else:
        assert asked is not None
        await answer_sent(update, user, partner, delivered)


def answer_keyboard(_: Translator, request_id: int) -> InlineKeyboardMarkup:
    """Under a request: yes, no, let's negotiate."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(_(label), callback_data=f"rq:{request_id}:{answer.value}")
                for answer, label in ANSWER_LABELS.items()
            ]
        ]
    )


def counter_keyboard(_: Translator, request_id: int, rounds: int) -> InlineKeyboardMarkup:
    """Under a counter-proposal: accept, no, counter again."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    _(label), callback_data=f"rn:{request_id}:{rounds}:{choice.value}"
                )
                for choice, label in COUNTER_LABELS.items()
            ]
        ]
    )


def check_keyboard(_: Translator, request_id: int) -> InlineKeyboardMarkup:
    """Under "did it happen?": yes, not yet, let it go."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(_(label), callback_data=f"rf:{request_id}:{reply.value}")
                for reply, label in CHECK_LABELS.items()
            ]
        ]
    )


async def queue_request(
    work: Work, runtime: Runtime, user: Person, partner: Person, asked: Asked
) -> None:
    for_partner = translator_for(partner)
    keyboard = answer_keyboard(for_partner, asked.id)
    await relay(
        work,
        runtime,
        partner,
        request_text(for_partner, user.first_name, asked.text),
        reply_markup=keyboard,
        author=user,
    )


async def answer_sent(update: Update, user: Person, partner: Person, delivered: bool) -> None:
    _ = translator_for(user)
    if delivered:
        await reply(
            update,
            _("Sent to {partner}. I will tell you the answer.").format(
                partner=esc(partner.first_name)
            ),
        )
    else:
        await reply(
            update,
            _("I couldn't reach {partner} right now. Please try again later.").format(
                partner=esc(partner.first_name)
            ),
        )


def answer_relay(_: Translator, name: str, text: str, answer: RequestAnswer) -> str:
    if answer is RequestAnswer.YES:
        head = _("✅ {partner} said yes to your request:")
    elif answer is RequestAnswer.NO:
        head = _("{partner} said no to your request, for now:")
    else:
        head = _("{partner} would like to negotiate your request:")
    return head.format(partner=esc(name)) + "\n\n" + esc(text)


def counter_relay(_: Translator, name: str, request: str, counter: str) -> str:
    return (
        _("💬 {partner} suggests, about “{request}”:").format(
            partner=esc(name), request=esc(request)
        )
        + "\n\n"
        + esc(counter)
    )


async def on_answer(update: Update, context: BotContext) -> None:
    async def act(
        work: Work, user: Person, _p: Person | None, now: datetime
    ) -> tuple[Asked, RequestAnswer, Step | None]:
        _rq, raw_id, raw_choice = tap_parts(update, 3)
        choice = tap_choice(RequestAnswer, raw_choice)
        asked, step = await requests.reply(work, user, tap_id(raw_id), choice, now)
        author = asked.author  # told in the same transaction as the answer
        text = answer_relay(translator_for(author), user.first_name, asked.text, choice)
        await relay(work, context.runtime, author, text)
        return asked, choice, step

    tap = await handle_tap(update, context, act)
    if not tap.ok or tap.value is None:
        return
    asked, choice, step = tap.value
    author = asked.author
    _ = tap.translator
    await answer_callback(update)
    assert update.callback_query is not None
    await update.callback_query.edit_message_text(
        request_text(_, author.first_name, asked.text)
        + "\n\n"
        + _("Your answer: {answer}").format(answer=_(ANSWER_LABELS[choice]))
    )
    if step is not None:
        await reply_outgoing(update, context, Outgoing(counter_question(_), step_id=step.id))


async def take_counter(update: Update, context: BotContext, step: Step, text: str) -> None:
    """The counter-proposal after "let's negotiate", relayed to the one who asked."""

    async def act(work: Work, user: Person, other: Person | None, now: datetime) -> Asked:
        if step.ref_id is None:
            raise ExchangeError(Stale.NOT_YOURS)
        asked = await requests.suggest_instead(work, user, step.ref_id, text, now)
        if other is not None:  # relayed in the same transaction as the counter-proposal
            await queue_counter(work, context.runtime, user, other, asked)
        return asked

    done = await handle_text(
        update,
        context,
        act,
        closed=lambda _: _("That request has ended, so I can't pass this on."),
        too_long=lambda _, e: too_long_text(_, e.length, e.limit),
    )
    if not done.ok or done.value is None:
        return
    other = done.partner
    if other is None:
        return
    _ = done.translator
    await reply(update, _("Sent to {partner}. 💬").format(partner=esc(other.first_name)))


async def queue_counter(
    work: Work, runtime: Runtime, user: Person, other: Person, asked: Asked
) -> None:
    for_other = translator_for(other)
    keyboard = counter_keyboard(for_other, asked.id, asked.rounds)
    await relay(
        work,
        runtime,
        other,
        counter_relay(for_other, user.first_name, asked.text, asked.counter or ""),
        reply_markup=keyboard,
        author=user,
    )


def counter_question(_: Translator) -> str:
    return _(
        "What would you suggest instead? Reply with a short message (up to {limit} characters)."
    ).format(limit=requests.MAX_COUNTER_LENGTH)


def agreed_text(_: Translator, name: str, asked: Asked) -> str:
    return (
        _("🤝 You and {partner} agreed on:").format(partner=esc(name))
        + "\n\n"
        + esc(asked.counter or asked.text)
    )


def let_go_notice(_: Translator, name: str, asked: Asked) -> str:
    return _("{partner} would rather leave this one here: “{request}”").format(
        partner=esc(name), request=esc(asked.text)
    )


async def on_counter_answer(update: Update, context: BotContext) -> None:
    """Accept, no, or counter again, on the latest counter-proposal."""

    async def act(
        work: Work, user: Person, partner: Person | None, now: datetime
    ) -> tuple[Asked, CounterAnswer, Step | None]:
        _rn, raw_id, raw_round, raw_choice = tap_parts(update, 4)
        choice = tap_choice(CounterAnswer, raw_choice)
        other = require(partner)
        asked, step = await requests.answer_counter(
            work, user, tap_id(raw_id), tap_id(raw_round), choice, now
        )
        for_other = translator_for(other)  # told in the same transaction as the answer
        if choice is CounterAnswer.ACCEPT:
            await relay(
                work, context.runtime, other, agreed_text(for_other, user.first_name, asked)
            )
        elif choice is CounterAnswer.NO:
            notice = let_go_notice(for_other, user.first_name, asked)
            await relay(work, context.runtime, other, notice)
        return asked, choice, step

    tap = await handle_tap(update, context, act)
    if not tap.ok or tap.value is None or tap.partner is None:
        return
    (asked, choice, step), other, _ = tap.value, tap.partner, tap.translator
    await answer_callback(update)
    query = update.callback_query
    assert query is not None
    await query.edit_message_text(
        counter_relay(_, other.first_name, asked.text, asked.counter or "")
        + "\n\n"
        + _("Your answer: {answer}").format(answer=_(COUNTER_LABELS[choice]))
    )
    if choice is CounterAnswer.ACCEPT:
        await reply(update, agreed_text(_, other.first_name, asked))
    elif step is not None:
        await reply_outgoing(update, context, Outgoing(counter_question(_), step_id=step.id))


def check_text(_: Translator, name: str, asked: Asked) -> str:
    return (
        _("🌱 A week ago you and {partner} agreed on:").format(partner=esc(name))
        + "\n\n"
        + esc(asked.counter or asked.text)
        + "\n\n"
        + _("Did it happen?")
    )


async def send_due_checks(bot: Bot, runtime: Runtime) -> int:
    """Tick hook: "did this happen?" for agreements a week old, put in the outbox (the tick
    then sends them) in the transaction that removes them from `follow_ups`."""
    now = runtime.clock.now()
    async with begin(runtime.db) as work:
        due = await requests.take_due_checks(work, now)
        for item in due:
            _ = translator_for(item.asker)
            keyboard = check_keyboard(_, item.request.id)
            out = Outgoing(check_text(_, item.partner.first_name, item.request), keyboard)
            await outbox.queue_message(
                work,
                item.asker,
                message_payload(item.asker.chat_id, out),
                now,
                runtime.ritual_grace,
            )
    return len(due)


async def on_check(update: Update, context: BotContext) -> None:
    async def act(work: Work, user: Person, partner: Person | None, now: datetime) -> bool:
        _rf, raw_id, raw_reply = tap_parts(update, 3)
        choice = tap_choice(CheckReply, raw_reply)
        require(partner)
        return await requests.answer_check(work, user, tap_id(raw_id), choice, now)

    tap = await handle_tap(update, context, act)
    if not tap.ok or tap.value is None or tap.partner is None:
        return
    _ = tap.translator
    await answer_callback(update)
    query = update.callback_query
    assert query is not None
    await query.edit_message_reply_markup(None)
    choice = CheckReply(tap_parts(update, 3)[2])
    name = esc(tap.partner.first_name)
    if choice is CheckReply.YES:
        text = _("Lovely. Thank you for telling me. 💞")
    elif choice is CheckReply.LET_GO:
        text = _("All right, I will let it rest.")
    elif tap.value:
        text = _("Thanks for telling me. I will ask again in a week.")
    else:
        text = _(
            "Thanks for telling me. Perhaps talk it over with {partner} when it suits you both."
        )
    await reply(update, text.format(partner=name))


def register(application: BotApplication, steps: TextSteps) -> None:
    application.add_handler(CommandHandler("ask", ask_command, filters=filters.ChatType.PRIVATE))
    application.add_handler(CallbackQueryHandler(on_answer, pattern=r"^rq:"))
    application.add_handler(CallbackQueryHandler(on_counter_answer, pattern=r"^rn:"))
    application.add_handler(CallbackQueryHandler(on_check, pattern=r"^rf:"))
    steps.add(
        TextStep(
            StepKind.COUNTER_PROPOSAL,
            waiting_for=lambda _: _("your suggestion"),
            take=take_counter,
            label=lambda _, partner: _("My suggestion to {partner}").format(partner=partner),
        )
    )
