"""Date nights: an idea with its kind, "Propose to <partner>", "Another idea", and the
partner's accept / not this week / suggest another."""

from __future__ import annotations

from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler

from bot.context import BotApplication, BotContext
from bot.outgoing import Outgoing
from bot.prompt_bank import DATE_KIND_LABELS, DateIdea
from bot.services import dates, users
from bot.services.dates import DateAnswer, Proposed
from bot.services.exchange_errors import ExchangeError, Stale
from bot.services.people import Person
from bot.services.work import Work, begin
from handlers.actions import answer_stale, handle_tap, require, tap_choice, tap_id, tap_parts
from handlers.common import answer_callback, esc, load_user, notify, reply, translator_for
from locales import N_, Translator

ANSWER_LABELS: dict[DateAnswer, str] = {
    DateAnswer.ACCEPT: N_("Accept 💞"),
    DateAnswer.DECLINE: N_("Not this week"),
    DateAnswer.SWAP: N_("Suggest another"),
}


def idea_line(_: Translator, idea: DateIdea) -> str:
    return f"{_(idea.text)}\n🏷 <i>{esc(_(DATE_KIND_LABELS[idea.kind]))}</i>"


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


async def on_another(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    runtime = context.runtime
    async with begin(runtime.db) as work:
        user = await load_user(runtime, work, update)
        partner = await users.partner(work, user)
        idea = await dates.next_idea(work, user, runtime.clock.now()) if partner else None
    _ = translator_for(user)
    if partner is None:
        await answer_stale(update, _, ExchangeError(Stale.NOT_YOURS))
        return
    await answer_callback(update)
    out = idea_message(_, idea, partner.first_name)
    await query.edit_message_text(out.text, reply_markup=out.markup)


async def on_propose(update: Update, context: BotContext) -> None:
    async def act(work: Work, user: Person, partner: Person | None, now: datetime) -> Proposed:
        _dt, _p, key = tap_parts(update, 3)
        require(partner)
        return await dates.propose_idea(work, user, key, now)

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
        context.runtime,
        partner,
        proposal_text(for_partner, tap.user.first_name, idea),
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


async def on_answer(update: Update, context: BotContext) -> None:
    async def act(
        work: Work, user: Person, partner: Person | None, now: datetime
    ) -> tuple[Proposed, DateAnswer, DateIdea | None]:
        _dt, _r, raw_id, raw_choice = tap_parts(update, 4)
        choice = tap_choice(DateAnswer, raw_choice)
        require(partner)
        proposal, fresh = await dates.reply(work, user, tap_id(raw_id), choice, now)
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
    await notify(
        context.runtime,
        partner,
        outcome_text(translator_for(partner), tap.user.first_name, idea, choice),
    )
    if choice is DateAnswer.SWAP:
        out = idea_message(_, fresh, partner.first_name)
        await reply(update, out.text, out.markup)


def register(application: BotApplication) -> None:
    application.add_handler(CallbackQueryHandler(on_another, pattern=r"^dt:a$"))
    application.add_handler(CallbackQueryHandler(on_propose, pattern=r"^dt:p:"))
    application.add_handler(CallbackQueryHandler(on_answer, pattern=r"^dt:r:"))
