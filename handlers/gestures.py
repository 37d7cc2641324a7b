"""Small gestures: /hug and the 💞 button under the daily messages send the partner one warm
line with a "💞 back" button; at most three a day per person (in their own day)."""

from __future__ import annotations

from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.context import BotApplication, BotContext
from bot.services import gestures
from bot.services.exchange_errors import ExchangeError, Stale
from bot.services.gestures import DAILY_LIMIT, Hug
from bot.services.people import Person
from bot.services.work import Work
from handlers.actions import handle_tap, require, run_action, tap_id, tap_parts
from handlers.common import answer_callback, esc, not_paired_text, relay, reply, translator_for
from locales import N_, Translator

HUG = "hg:s"  # the 💞 button under the daily messages
BACK = "hg:b:"  # + the id of the hug answered

# The warm lines, one per hug in turn (by its id).
LINES = (
    N_("💞 {partner} is thinking of you right now."),
    N_("💞 {partner} sends you a warm hug."),
    N_("💞 A little squeeze from {partner}, just because."),
    N_("💞 {partner} is glad you are in their life."),
)


def hug_button(_: Translator) -> InlineKeyboardButton:
    """The small 💞 under the check-in and appreciation messages."""
    return InlineKeyboardButton(_("💞 Send a hug"), callback_data=HUG)


def hug_text(_: Translator, sender: str, hug: Hug) -> str:
    if hug.back:
        return _("💞 {partner} hugs you back.").format(partner=esc(sender))
    return _(LINES[hug.id % len(LINES)]).format(partner=esc(sender))


def back_keyboard(_: Translator, hug: Hug) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(_("💞 back"), callback_data=f"{BACK}{hug.id}")]]
    )


def sent_text(_: Translator, partner: str) -> str:
    """`partner`: the name as shown (escaped for a message, as is for a toast)."""
    return _("💞 Sent to {partner}.").format(partner=partner)


def limit_text(_: Translator, partner: str) -> str:
    """`partner`: the name as shown (escaped for a message, as is for a toast)."""
    return _(
        "That makes {count} hugs for {partner} today — they know you are thinking of them. "
        "More tomorrow! 💞"
    ).format(count=DAILY_LIMIT, partner=partner)


async def _hug(
    work: Work,
    context: BotContext,
    user: Person,
    partner: Person | None,
    now: datetime,
    back_of: int | None,
) -> Hug | None:
    """Record the hug and queue its line to the partner in the same unit of work."""
    them = require(partner)
    hug = await gestures.send_hug(work, user, them, now, back_of=back_of)
    if hug is not None:
        _ = translator_for(them)
        text = hug_text(_, user.first_name, hug)
        markup = back_keyboard(_, hug)
        await relay(work, context.runtime, them, text, reply_markup=markup, author=user)
    return hug


async def hug_command(update: Update, context: BotContext) -> None:
    async def act(work: Work, user: Person, partner: Person | None, now: datetime) -> Hug | None:
        return await _hug(work, context, user, partner, now, None)

    done = await run_action(update, context, act)
    _ = done.translator
    if done.partner is None or done.error is not None:
        await reply(update, not_paired_text(_))
    elif done.value is None:
        await reply(update, limit_text(_, esc(done.partner.first_name)))
    else:
        await reply(update, sent_text(_, esc(done.partner.first_name)))


async def on_hug(update: Update, context: BotContext) -> None:
    """💞 under a daily message, or "💞 back" under a hug: answered with a short toast."""

    async def act(work: Work, user: Person, partner: Person | None, now: datetime) -> Hug | None:
        query = update.callback_query
        back_of = None
        if query is None or query.data != HUG:
            _hg, kind, raw_id = tap_parts(update, 3)
            if kind != "b":
                raise ExchangeError(Stale.NOT_YOURS)
            back_of = tap_id(raw_id)
        return await _hug(work, context, user, partner, now, back_of)

    tap = await handle_tap(update, context, act)
    if not tap.ok or tap.partner is None:
        return
    _ = tap.translator
    if tap.value is None:
        await answer_callback(update, limit_text(_, tap.partner.first_name))
        return
    await answer_callback(update, sent_text(_, tap.partner.first_name))
    if tap.value.back and update.callback_query is not None:
        await update.callback_query.edit_message_reply_markup(None)


def register(application: BotApplication) -> None:
    application.add_handler(CommandHandler("hug", hug_command, filters=filters.ChatType.PRIVATE))
    application.add_handler(CallbackQueryHandler(on_hug, pattern=r"^hg:"))
