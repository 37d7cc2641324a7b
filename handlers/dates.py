"""Date nights: an idea with its kind, "Propose to <partner>", "Another idea", and the
partner's accept / not this week / suggest another."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, ContextTypes

from bot.prompt_bank import DATE_KIND_LABELS, DateIdea
from bot.runtime import get_runtime
from bot.services import dates, users
from bot.services.dates import DateAnswer
from bot.services.exchange_errors import ExchangeError, Stale
from handlers.common import answer_callback, esc, load_user, notify, reply, translator_for
from handlers.outgoing import Outgoing
from handlers.stale import answer_stale, parse_int
from locales import N_, Translator

ANSWER_LABELS: dict[DateAnswer, str] = {
    DateAnswer.ACCEPT: N_("Accept 💞"),
    DateAnswer.DECLINE: N_("Not this week"),
    DateAnswer.SWAP: N_("Suggest another"),
}


def idea_line(_: Translator, idea: DateIdea) -> str:
    return f"{_(idea.text)}\n<i>{esc(_(DATE_KIND_LABELS[idea.kind]))}</i>"


def idea_message(_: Translator, idea: DateIdea | None, partner: str) -> Outgoing:
    if idea is None:
        return Outgoing(
            _("That was every idea I have for now. New ones come back as the weeks pass. 🗓️")
        )
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


async def on_another(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    runtime = get_runtime(context)
    async with runtime.db.transaction() as session:
        user = await load_user(runtime, session, update)
        partner = await users.partner_of(session, user)
        idea = await dates.suggest(session, user, runtime.clock.now()) if partner else None
    _ = translator_for(user)
    if partner is None:
        await answer_stale(update, _, ExchangeError(Stale.NOT_YOURS))
        return
    await answer_callback(update)
    out = idea_message(_, idea, partner.first_name)
    await query.edit_message_text(out.text, reply_markup=out.markup)


async def on_propose(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    runtime = get_runtime(context)
    error: ExchangeError | None = None
    async with runtime.db.transaction() as session:
        user = await load_user(runtime, session, update)
        partner = await users.partner_of(session, user)
        try:
            if partner is None:
                raise ExchangeError(Stale.NOT_YOURS)
            proposal = await dates.propose(
                session, user, query.data.removeprefix("dt:p:"), runtime.clock.now()
            )
        except ExchangeError as caught:
            error = caught
    _ = translator_for(user)
    if error is not None or partner is None:
        await answer_stale(update, _, error or ExchangeError(Stale.NOT_YOURS))
        return
    idea = dates.idea(proposal.idea_key)
    await answer_callback(update)
    await query.edit_message_text(
        _("🗓️ You proposed to {partner}:").format(partner=esc(partner.first_name))
        + "\n\n"
        + idea_line(_, idea)
        + "\n\n"
        + _("I will tell you what they say.")
    )
    for_partner = translator_for(partner)
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    for_partner(label), callback_data=f"dt:r:{proposal.id}:{answer.value}"
                )
                for answer, label in ANSWER_LABELS.items()
            ]
        ]
    )
    await notify(
        context.bot,
        partner.chat_id,
        proposal_text(for_partner, user.first_name, idea),
        reply_markup=keyboard,
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


async def on_answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    parts = query.data.split(":")
    runtime = get_runtime(context)
    now = runtime.clock.now()
    error: ExchangeError | None = None
    new_idea: DateIdea | None = None
    async with runtime.db.transaction() as session:
        user = await load_user(runtime, session, update)
        partner = await users.partner_of(session, user)
        try:
            proposal_id = parse_int(parts[2]) if len(parts) == 4 else None
            if proposal_id is None or parts[3] not in DateAnswer.__members__.values():
                raise ExchangeError(Stale.NOT_YOURS)
            choice = DateAnswer(parts[3])
            proposal = await dates.answer(session, user, proposal_id, choice, now)
            if choice is DateAnswer.SWAP:
                new_idea = await dates.suggest(session, user, now)
        except ExchangeError as caught:
            error = caught
    _ = translator_for(user)
    if error is not None or partner is None:
        await answer_stale(update, _, error or ExchangeError(Stale.NOT_YOURS))
        return
    idea = dates.idea(proposal.idea_key)
    await answer_callback(update)
    await query.edit_message_text(
        proposal_text(_, partner.first_name, idea)
        + "\n\n"
        + _("Your answer: {answer}").format(answer=_(ANSWER_LABELS[choice]))
    )
    await notify(
        context.bot,
        partner.chat_id,
        outcome_text(translator_for(partner), user.first_name, idea, choice),
    )
    if choice is DateAnswer.SWAP:
        out = idea_message(_, new_idea, partner.first_name)
        await reply(update, out.text, out.markup)


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CallbackQueryHandler(on_another, pattern=r"^dt:a$"))
    application.add_handler(CallbackQueryHandler(on_propose, pattern=r"^dt:p:"))
    application.add_handler(CallbackQueryHandler(on_answer, pattern=r"^dt:r:"))
