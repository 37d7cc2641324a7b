"""/depth: how deep the couple's check-in questions may go. Either partner lowers it at once;
raising it asks the other partner, who accepts or declines with a button."""

from __future__ import annotations

from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.context import BotApplication, BotContext
from bot.prompt_bank import Depth
from bot.runtime import Runtime
from bot.services import depth
from bot.services.depth import Answered, Change, Chosen, RaiseReply
from bot.services.exchange_errors import ExchangeError, Stale
from bot.services.people import Person
from bot.services.work import Work
from handlers.actions import (
    handle_tap,
    require,
    run_action,
    tap_choice,
    tap_id,
    tap_parts,
)
from handlers.common import answer_callback, esc, not_paired_text, relay, reply, translator_for
from locales import N_, Translator

DEPTH_LABELS: dict[Depth, str] = {
    Depth.LIGHT: N_("light"),
    Depth.MEDIUM: N_("medium"),
    Depth.DEEP: N_("deep"),
}


def parse_depth(_: Translator, word: str) -> Depth | None:
    """A depth named in English or in the user's language, any case."""
    word = word.strip().casefold()
    for level, label in DEPTH_LABELS.items():
        if word in (label, _(label).casefold()):
            return level
    return None


def depth_keyboard(_: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(_(label).capitalize(), callback_data=f"dp:s:{level.value}")
                for level, label in DEPTH_LABELS.items()
            ]
        ]
    )


def depth_overview(_: Translator, level: Depth) -> str:
    return (
        _("Your check-in questions go up to: <b>{depth}</b>.").format(depth=_(DEPTH_LABELS[level]))
        + "\n\n"
        + _(
            "Light questions are about the day and small things, medium ones about needs and "
            "wishes, deep ones about fears and what is hard to say. Either of you can lower "
            "this at any time; going deeper needs you both."
        )
    )


def raise_request(
    _: Translator, couple_id: int, asker: str, level: Depth
) -> tuple[str, InlineKeyboardMarkup]:
    text = _(
        "{partner} would like your check-in questions to go up to <b>{depth}</b>. "
        "Is that all right with you?"
    ).format(partner=esc(asker), depth=_(DEPTH_LABELS[level]))
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    _("Yes, let's"),
                    callback_data=f"dp:{RaiseReply.ACCEPT}:{couple_id}:{level.value}",
                ),
                InlineKeyboardButton(
                    _("Not now"), callback_data=f"dp:{RaiseReply.DECLINE}:{couple_id}:{level.value}"
                ),
            ]
        ]
    )
    return text, keyboard


def chosen_text(_: Translator, chosen: Chosen) -> str:
    name, label = esc(chosen.partner.first_name), _(DEPTH_LABELS[chosen.depth])
    if chosen.change is Change.SAME:
        return _("Your check-in questions already go up to {depth}.").format(depth=label)
    if chosen.change is Change.ASKED:
        return _("I've asked {partner}. Questions go up to {depth} once they agree too.").format(
            partner=name, depth=label
        )
    return _("Done: your check-in questions now go up to {depth}. I've let {partner} know.").format(
        depth=label, partner=name
    )


async def tell_partner(work: Work, runtime: Runtime, me: Person, chosen: Chosen) -> None:
    """In the transaction that made the change."""
    partner = chosen.partner
    _ = translator_for(partner)
    label = _(DEPTH_LABELS[chosen.depth])
    if chosen.change is Change.ASKED:
        assert partner.couple_id is not None
        text, keyboard = raise_request(_, partner.couple_id, me.first_name, chosen.depth)
        await relay(work, runtime, partner, text, reply_markup=keyboard)
    elif chosen.change is Change.LOWERED:
        text = _("{partner} would like lighter check-in questions for now: up to {depth}.")
        await relay(work, runtime, partner, text.format(partner=esc(me.first_name), depth=label))
    elif chosen.change is Change.RAISED:
        text = _("You both agreed: your check-in questions now go up to {depth}.")
        await relay(work, runtime, partner, text.format(depth=label))


async def depth_command(update: Update, context: BotContext) -> None:
    message = update.effective_message
    words = (message.text or "").split()[1:] if message else []

    async def act(
        work: Work, user: Person, partner: Person | None, now: datetime
    ) -> Depth | Chosen | None:
        require(partner)
        if not words:
            return await depth.current(work, user, now)
        level = parse_depth(translator_for(user), words[0])
        if level is None:
            return None
        chosen = await depth.choose(work, user, level, now)
        await tell_partner(work, context.runtime, user, chosen)
        return chosen

    outcome = await run_action(update, context, act)
    _ = outcome.translator
    if outcome.error is not None:
        await reply(update, not_paired_text(_))
    elif outcome.value is None:
        await reply(update, _("Use /depth light, /depth medium or /depth deep."))
    elif isinstance(outcome.value, Chosen):
        await reply(update, chosen_text(_, outcome.value))
    else:
        await reply(update, depth_overview(_, outcome.value), depth_keyboard(_))


async def on_choose(update: Update, context: BotContext) -> None:
    async def act(work: Work, user: Person, partner: Person | None, now: datetime) -> Chosen:
        _dp, _s, raw_level = tap_parts(update, 3)
        require(partner)
        chosen = await depth.choose(work, user, level_of(raw_level), now)
        await tell_partner(work, context.runtime, user, chosen)
        return chosen

    tap = await handle_tap(update, context, act)
    if not tap.ok or tap.value is None:
        return
    await answer_callback(update)
    assert update.callback_query is not None
    await update.callback_query.edit_message_text(chosen_text(tap.translator, tap.value))


def level_of(raw: str) -> Depth:
    """A depth from a button; anything else is a forged tap."""
    try:
        return Depth(tap_id(raw))
    except ValueError:
        raise ExchangeError(Stale.NOT_YOURS) from None


async def on_answer(update: Update, context: BotContext) -> None:
    async def act(work: Work, user: Person, partner: Person | None, now: datetime) -> Answered:
        _dp, raw_reply, raw_couple, raw_level = tap_parts(update, 4)
        reply = tap_choice(RaiseReply, raw_reply)
        require(partner)
        level = level_of(raw_level)
        answered = await depth.answer(work, user, tap_id(raw_couple), level, reply, now)
        await relay(work, context.runtime, answered.asker, answer_relay(user, answered))
        return answered

    tap = await handle_tap(update, context, act)
    if not tap.ok or tap.value is None:
        return
    answered, _ = tap.value, tap.translator
    label = _(DEPTH_LABELS[answered.depth])
    await answer_callback(update)
    assert update.callback_query is not None
    if answered.accepted:
        mine = _("You both agreed: your check-in questions now go up to {depth}.")
    else:
        mine = _("All right, your check-in questions stay as they are. I've let {partner} know.")
    await update.callback_query.edit_message_text(
        mine.format(depth=label, partner=esc(answered.asker.first_name))
    )


def answer_relay(me: Person, answered: Answered) -> str:
    """For the one who asked to go deeper (told in the transaction of the answer)."""
    theirs = translator_for(answered.asker)
    if answered.accepted:
        text = theirs("You both agreed: your check-in questions now go up to {depth}.")
    else:
        text = theirs(
            "{partner} would rather keep the check-in questions where they are for now. "
            "That's all right; you can ask again another time."
        )
    return text.format(depth=theirs(DEPTH_LABELS[answered.depth]), partner=esc(me.first_name))


def register(application: BotApplication) -> None:
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("depth", depth_command, filters=private))
    application.add_handler(CallbackQueryHandler(on_choose, pattern=r"^dp:s:"))
    application.add_handler(CallbackQueryHandler(on_answer, pattern=r"^dp:[yn]:"))
