"""Date nights: an idea with its kind, "Propose to <partner>", "Another idea", and the
partner's accept / not this week / suggest another. After "accept": the proposer picks the
day (tonight, tomorrow, this weekend, or one of the next seven days) and maybe a time; both
are reminded on the day, asked "How was it?" the day after, and see each other's answer."""

from __future__ import annotations

from datetime import date, datetime, time

from babel.dates import format_skeleton, format_time
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler

from bot.context import BotApplication, BotContext
from bot.outgoing import Outgoing, message_payload
from bot.prompt_bank import DATE_KIND_LABELS, DateIdea
from bot.runtime import Runtime
from bot.services import date_plans, dates, outbox, users
from bot.services.conversation import Step, StepKind
from bot.services.date_plans import Planned, Rating, Shown, WhenChoice
from bot.services.dates import DateAnswer, Proposed
from bot.services.exchange_errors import ExchangeError, Stale
from bot.services.people import Person
from bot.services.work import Work, begin
from handlers.actions import (
    answer_stale,
    handle_tap,
    handle_text,
    require,
    tap_choice,
    tap_id,
    tap_parts,
)
from handlers.common import (
    answer_callback,
    esc,
    load_user,
    relay,
    reply,
    reply_outgoing,
    translator_for,
)
from handlers.text_steps import TextStep, TextSteps
from locales import N_, Translator

ANSWER_LABELS: dict[DateAnswer, str] = {
    DateAnswer.ACCEPT: N_("Accept 💞"),
    DateAnswer.DECLINE: N_("Not this week"),
    DateAnswer.SWAP: N_("Suggest another"),
}


def idea_line(_: Translator, idea: DateIdea) -> str:
    return f"{_(idea.text)}\n🏷 <i>{esc(_(DATE_KIND_LABELS[idea.kind]))}</i>"


def idea_message(_: Translator, idea: DateIdea, partner: str) -> Outgoing:
    return Outgoing(
        _("🗓️ A date-night idea:") + "\n\n" + idea_line(_, idea),
        InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        _("Propose to {partner}").format(partner=partner)[:60],
                        callback_data=f"dt:p:{idea.key}",
                    ),
                    InlineKeyboardButton(_("Another idea"), callback_data="dt:a"),
                ]
            ]
        ),
    )


async def on_another(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    runtime = context.runtime
    async with begin(runtime.db) as work:
        user = await load_user(runtime, work, update)
        partner = await users.partner(work, user)
        idea = None if partner is None else await dates.next_idea(work, user, runtime.clock.now())
    _ = translator_for(user)
    if partner is None or idea is None:  # no idea only without a partner
        await answer_stale(update, _, ExchangeError(Stale.NOT_YOURS))
        return
    await answer_callback(update)
    out = idea_message(_, idea, partner.first_name)
    await query.edit_message_text(out.text, reply_markup=out.markup)


async def on_propose(update: Update, context: BotContext) -> None:
    async def act(work: Work, user: Person, partner: Person | None, now: datetime) -> Proposed:
        _dt, _p, key = tap_parts(update, 3)
        partner = require(partner)
        proposal = await dates.propose_idea(work, user, key, now)
        for_partner = translator_for(partner)  # relayed with the proposal, in one transaction
        await relay(
            work,
            context.runtime,
            partner,
            proposal_text(for_partner, user.first_name, dates.idea(proposal.idea_key)),
            reply_markup=proposal_keyboard(for_partner, proposal.id),
        )
        return proposal

    tap = await handle_tap(update, context, act)
    if not tap.ok or tap.value is None or tap.partner is None:
        return
    proposal, partner, _ = tap.value, tap.partner, tap.translator
    idea = dates.idea(proposal.idea_key)
    await answer_callback(update)
    assert update.callback_query is not None
    await update.callback_query.edit_message_text(
        _("🗓️ You proposed to {partner}:").format(partner=esc(partner.first_name))
        + "\n\n"
        + idea_line(_, idea)
        + "\n\n"
        + _("I will tell you what they say.")
    )


def proposal_keyboard(_: Translator, proposal_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(_(label), callback_data=f"dt:r:{proposal_id}:{answer.value}")
                for answer, label in ANSWER_LABELS.items()
            ]
        ]
    )


def proposal_text(_: Translator, name: str, idea: DateIdea) -> str:
    return _("🗓️ {partner} proposes a date:").format(partner=esc(name)) + "\n\n" + idea_line(_, idea)


def outcome_text(_: Translator, name: str, idea: DateIdea, answer: DateAnswer) -> str:
    if answer is DateAnswer.ACCEPT:
        text = _("💞 {partner} said yes to your date:")
    elif answer is DateAnswer.DECLINE:
        text = _("{partner} can't make it this week:")
    else:
        text = _("{partner} would like another idea instead of:")
    return text.format(partner=esc(name)) + "\n\n" + idea_line(_, idea)


async def on_answer(update: Update, context: BotContext) -> None:
    async def act(
        work: Work, user: Person, partner: Person | None, now: datetime
    ) -> tuple[Proposed, DateAnswer, DateIdea | None]:
        _dt, _r, raw_id, raw_choice = tap_parts(update, 4)
        choice = tap_choice(DateAnswer, raw_choice)
        partner = require(partner)
        proposal, fresh = await dates.reply(work, user, tap_id(raw_id), choice, now)
        for_partner = translator_for(partner)  # told in the same transaction as the answer
        idea = dates.idea(proposal.idea_key)
        text = outcome_text(for_partner, user.first_name, idea, choice)
        markup = None
        if choice is DateAnswer.ACCEPT:  # the proposer picks the day
            text += "\n\n" + when_question(for_partner)
            markup = when_keyboard(for_partner, proposal.id)
        await relay(work, context.runtime, partner, text, reply_markup=markup)
        return proposal, choice, fresh

    tap = await handle_tap(update, context, act)
    if not tap.ok or tap.value is None or tap.partner is None:
        return
    (proposal, choice, fresh), partner, _ = tap.value, tap.partner, tap.translator
    idea = dates.idea(proposal.idea_key)
    await answer_callback(update)
    assert update.callback_query is not None
    await update.callback_query.edit_message_text(
        proposal_text(_, partner.first_name, idea)
        + "\n\n"
        + _("Your answer: {answer}").format(answer=_(ANSWER_LABELS[choice]))
    )
    if fresh is not None:  # after "Suggest another"
        out = idea_message(_, fresh, partner.first_name)
        await reply(update, out.text, out.markup)


# When: the proposer picks the day, then maybe a time.


def when_question(_: Translator) -> str:
    return _("When would you like to go?")


def planned_notice(_: Translator, name: str, day: date, idea: DateIdea) -> str:
    return (
        _("🗓️ {partner} planned your date for {day}:").format(
            partner=esc(name), day=day_text(_, day)
        )
        + "\n\n"
        + idea_line(_, idea)
    )


def time_notice(_: Translator, name: str, day: date, at: time | None) -> str:
    return _("🕰️ {partner} set the time of your date: {moment}").format(
        partner=esc(name), moment=moment_text(_, day, at)
    )


PICK = "p"
WHEN_LABELS: dict[WhenChoice, str] = {
    WhenChoice.TONIGHT: N_("Tonight"),
    WhenChoice.TOMORROW: N_("Tomorrow"),
    WhenChoice.WEEKEND: N_("This weekend"),
}


def when_keyboard(_: Translator, proposal_id: int) -> InlineKeyboardMarkup:
    choices = [
        InlineKeyboardButton(_(label), callback_data=f"dw:{proposal_id}:{choice.value}")
        for choice, label in WHEN_LABELS.items()
    ]
    pick = InlineKeyboardButton(_("Pick a day"), callback_data=f"dw:{proposal_id}:{PICK}")
    return InlineKeyboardMarkup([choices[:2], [choices[2], pick]])


def day_label(_: Translator, day: date) -> str:
    return format_skeleton("MMMEd", day, locale=_.language)


def day_text(_: Translator, day: date) -> str:
    return format_skeleton("MMMMEEEEd", day, locale=_.language)


def moment_text(_: Translator, day: date, at: time | None) -> str:
    if at is None:
        return day_text(_, day)
    return _("{day} at {time}").format(
        day=day_text(_, day), time=format_time(at, format="short", locale=_.language)
    )


def days_keyboard(_: Translator, proposal_id: int, days: list[date]) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(day_label(_, day), callback_data=f"dw:{proposal_id}:{day.isoformat()}")
        for day in days
    ]
    return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


def parse_when(raw: str) -> date | WhenChoice | None:
    """A choice, a day (YYYY-MM-DD), or None for "pick a day"; anything else is forged."""
    if raw == PICK:
        return None
    if len(raw) != 10 or not raw.isascii():
        return tap_choice(WhenChoice, raw)
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ExchangeError(Stale.NOT_YOURS) from None


def parse_rating(raw: str) -> Rating:
    if raw not in ("1", "2", "3"):
        raise ExchangeError(Stale.NOT_YOURS)
    return Rating(int(raw))


async def on_when(update: Update, context: BotContext) -> None:
    async def act(
        work: Work, user: Person, partner: Person | None, now: datetime
    ) -> Planned | list[date]:
        _dw, raw_id, raw_when = tap_parts(update, 3)
        proposal_id, when = tap_id(raw_id), parse_when(raw_when)
        require(partner)
        if when is None:
            return await date_plans.pick_days(work, user, proposal_id, now)
        planned = await date_plans.plan_day(work, user, proposal_id, when, now)
        other, idea = planned.partner, dates.idea(planned.idea_key)  # told with the plan
        notice = planned_notice(translator_for(other), user.first_name, planned.day, idea)
        await relay(work, context.runtime, other, notice)
        return planned

    tap = await handle_tap(update, context, act)
    if not tap.ok or tap.value is None:
        return
    _ = tap.translator
    query = update.callback_query
    assert query is not None
    await answer_callback(update)
    if isinstance(tap.value, list):  # the next seven days, as buttons
        _dw, raw_id, _p = tap_parts(update, 3)
        await query.edit_message_reply_markup(days_keyboard(_, tap_id(raw_id), tap.value))
        return
    planned = tap.value
    await query.edit_message_reply_markup(None)
    question = _(
        "🗓️ Planned: {day}. I will remind you both on the day. If you like, send me a time "
        "too (for example 19:30)."
    ).format(day=day_text(_, planned.day))
    await reply_outgoing(
        update, context, Outgoing(question, step_id=planned.step.id if planned.step else None)
    )


async def take_time(update: Update, context: BotContext, step: Step, text: str) -> None:
    """The optional time of a planned date, passed on to the partner in their own zone."""

    async def act(work: Work, user: Person, _p: Person | None, now: datetime) -> Planned | None:
        if step.ref_id is None:
            raise ExchangeError(Stale.NOT_YOURS)
        planned = await date_plans.plan_time(work, user, step.ref_id, text, now)
        if planned is not None:  # the partner sees it in their zone, told with the change
            other = planned.partner
            day, at = date_plans.seen_from(planned.day, planned.at, user.timezone, other.timezone)
            notice = time_notice(translator_for(other), user.first_name, day, at)
            await relay(work, context.runtime, other, notice)
        return planned

    done = await handle_text(
        update,
        context,
        act,
        closed=lambda _: _("That date is already planned, so I haven't changed it."),
        too_long=lambda _, e: _("Please send just a time, for example 19:30."),
    )
    _ = done.translator
    if not done.ok:
        return
    planned = done.value
    if planned is None:
        await reply(update, _("Please send just a time, for example 19:30."))
        return
    await reply(
        update,
        _("Saved: {moment}. I will remind you both on the day.").format(
            moment=moment_text(_, planned.day, planned.at)
        ),
    )


# "How was it?"

RATING_LABELS: dict[Rating, str] = {Rating.LOVELY: "🥰", Rating.NICE: "🙂", Rating.NOT_QUITE: "😕"}
NO_WORDS = "s"


def feedback_keyboard(proposal_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(label, callback_data=f"dh:{proposal_id}:{rating.value}")
                for rating, label in RATING_LABELS.items()
            ]
        ]
    )


def reminder_text(_: Translator, due: date_plans.Due, idea: DateIdea) -> str:
    if due.at is None:
        head = _("🗓️ Today is your date with {partner}:").format(partner=esc(due.partner.first_name))
    else:
        head = _("🗓️ Today at {time} is your date with {partner}:").format(
            partner=esc(due.partner.first_name),
            time=format_time(due.at, format="short", locale=_.language),
        )
    return head + "\n\n" + idea_line(_, idea)


def feedback_question(_: Translator, due: date_plans.Due, idea: DateIdea) -> str:
    return (
        _("How was your date with {partner}?").format(partner=esc(due.partner.first_name))
        + "\n\n"
        + idea_line(_, idea)
        + "\n\n"
        + _("Tap one; {partner} sees your answer once you have both answered, or tomorrow.").format(
            partner=esc(due.partner.first_name)
        )
    )


def shown_text(_: Translator, shown: Shown) -> str:
    text = _("💞 How {partner} found your date: {rating}").format(
        partner=esc(shown.author.first_name), rating=RATING_LABELS[shown.rating]
    )
    text += "\n" + idea_line(_, dates.idea(shown.idea_key))
    if shown.words:
        text += "\n\n" + esc(shown.words)
    return text


async def on_rate(update: Update, context: BotContext) -> None:
    async def act(
        work: Work, user: Person, partner: Person | None, now: datetime
    ) -> Step | list[Shown]:
        _dh, raw_id, raw_rating = tap_parts(update, 3)
        proposal_id = tap_id(raw_id)
        require(partner)
        if raw_rating == NO_WORDS:
            return await relay_shown(
                work, context, user, await date_plans.finish(work, user, proposal_id, None, now)
            )
        return await date_plans.rate_date(work, user, proposal_id, parse_rating(raw_rating), now)

    tap = await handle_tap(update, context, act)
    if not tap.ok or tap.value is None or tap.partner is None:
        return
    _ = tap.translator
    query = update.callback_query
    assert query is not None
    await answer_callback(update)
    if isinstance(tap.value, Step):
        _dh, raw_id, _r = tap_parts(update, 3)
        ask = _(
            "Thank you! Add a few words for {partner} if you like, or tap “Just the emoji”."
        ).format(partner=esc(tap.partner.first_name))
        await query.edit_message_reply_markup(None)
        keyboard = InlineKeyboardMarkup(
            [[InlineKeyboardButton(_("Just the emoji"), callback_data=f"dh:{raw_id}:{NO_WORDS}")]]
        )
        await reply_outgoing(update, context, Outgoing(ask, keyboard, step_id=tap.value.id))
        return
    await query.edit_message_reply_markup(None)
    await feedback_done(update, context, tap.user, tap.partner, tap.value)


async def take_feedback_words(update: Update, context: BotContext, step: Step, text: str) -> None:
    async def act(work: Work, user: Person, _p: Person | None, now: datetime) -> list[Shown]:
        if step.ref_id is None:
            raise ExchangeError(Stale.NOT_YOURS)
        return await relay_shown(
            work, context, user, await date_plans.finish(work, user, step.ref_id, text, now)
        )

    done = await handle_text(
        update,
        context,
        act,
        closed=lambda _: _("You have already answered about this date."),
        too_long=lambda _, e: _(
            "That is {length} characters; please keep it under {limit} and send it again."
        ).format(length=e.length, limit=e.limit),
    )
    if done.ok and done.value is not None and done.partner is not None:
        await feedback_done(update, context, done.user, done.partner, done.value)


async def relay_shown(
    work: Work, context: BotContext, user: Person, shown: list[Shown]
) -> list[Shown]:
    """What the partner may now see of "How was it?", in the transaction that shows it."""
    for item in shown:
        if item.to.id != user.id:
            await relay(work, context.runtime, item.to, shown_text(translator_for(item.to), item))
    return shown


async def feedback_done(
    update: Update, context: BotContext, user: Person, partner: Person, shown: list[Shown]
) -> None:
    _ = translator_for(user)
    to_me = [item for item in shown if item.to.id == user.id]
    to_partner = [item for item in shown if item.to.id == partner.id]
    for item in to_me:
        await reply(update, shown_text(_, item))
    if not to_partner:
        await reply(
            update,
            _("Saved. {partner} sees it once they have answered too, or tomorrow.").format(
                partner=esc(partner.first_name)
            ),
        )
    elif not to_me:
        await reply(update, _("Sent to {partner}. 💬").format(partner=esc(partner.first_name)))


async def send_due(bot: Bot, runtime: Runtime) -> int:
    """Tick hook: put the reminders, questions and reveals that are due in the outbox (the
    tick then sends them), in the same transaction that removes them from `follow_ups`."""
    now = runtime.clock.now()
    async with begin(runtime.db) as work:
        due, shown = await date_plans.take_due(work, now)
        for item in due:
            _ = translator_for(item.person)
            idea = dates.idea(item.idea_key)
            if item.is_reminder:
                out = Outgoing(reminder_text(_, item, idea))
            else:
                out = Outgoing(
                    feedback_question(_, item, idea), feedback_keyboard(item.proposal_id)
                )
            await outbox.queue_message(
                work,
                item.person,
                message_payload(item.person.chat_id, out),
                now,
                runtime.ritual_grace,
            )
        for revealed in shown:
            out = Outgoing(shown_text(translator_for(revealed.to), revealed))
            await outbox.queue_message(
                work,
                revealed.to,
                message_payload(revealed.to.chat_id, out),
                now,
                runtime.ritual_grace,
                author=revealed.author,
            )
    return len(due) + len(shown)


def register(application: BotApplication, steps: TextSteps) -> None:
    application.add_handler(CallbackQueryHandler(on_another, pattern=r"^dt:a$"))
    application.add_handler(CallbackQueryHandler(on_propose, pattern=r"^dt:p:"))
    application.add_handler(CallbackQueryHandler(on_answer, pattern=r"^dt:r:"))
    application.add_handler(CallbackQueryHandler(on_when, pattern=r"^dw:"))
    application.add_handler(CallbackQueryHandler(on_rate, pattern=r"^dh:"))
    steps.add(
        TextStep(
            StepKind.DATE_TIME,
            waiting_for=lambda _: _("a time for your date (for example 19:30)"),
            take=take_time,
            label=lambda _, partner: _("The time of our date"),
        )
    )
    steps.add(
        TextStep(
            StepKind.DATE_FEEDBACK,
            waiting_for=lambda _: _("a few words about your date"),
            take=take_feedback_words,
            label=lambda _, partner: _("How our date was, for {partner}").format(partner=partner),
        )
    )
