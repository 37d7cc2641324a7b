"""/pair, /join, /unpair and their buttons."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from babel.dates import format_timedelta
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.context import BotApplication, BotContext
from bot.services import pairing, users
from bot.services.pairing import PairingError, Refusal
from bot.services.people import Person
from bot.services.work import begin
from handlers.common import (
    answer_callback,
    esc,
    load_user,
    notify,
    relay,
    reply,
    send_queued,
    translator_for,
)
from handlers.days import anniversary_question
from handlers.timezone_prompt import timezone_question
from locales import Translator

log = logging.getLogger(__name__)

PAIR_CALLBACK = "pair"
UNPAIR_CONFIRM = "unpair:yes:"
UNPAIR_CANCEL = "unpair:no"


def refusal_text(
    _: Translator, error: PairingError, partner: Person | None, now: datetime | None = None
) -> str:
    refusal = error.refusal
    if refusal is Refusal.ALREADY_PAIRED:
        name = esc(partner.first_name) if partner else "?"
        return _(
            "You are already paired with {partner}. To pair with someone else, "
            "first end this pairing with /unpair."
        ).format(partner=name)
    if refusal is Refusal.OWN_CODE:
        return _("That is your own invite. Send the link to your partner: they need to open it.")
    if refusal is Refusal.UNKNOWN_CODE:
        return _(
            "I don't know that invite code. Check it for typos, or ask your partner "
            "for a new link with /pair."
        )
    if refusal is Refusal.EXPIRED_CODE:
        return _(
            "That invite has expired (invites are valid for 24 hours). "
            "Ask your partner to send /pair for a new one."
        )
    if refusal is Refusal.USED_CODE:
        return _(
            "That invite was already used or replaced by a newer one. "
            "Ask your partner for a fresh link with /pair."
        )
    if refusal is Refusal.INVITER_PAIRED:
        return _(
            "The person who sent this invite is already paired with someone else, "
            "so I can't pair you with them."
        )
    if refusal is Refusal.LOCKED_OUT:
        assert error.retry_at is not None and now is not None
        wait = max(error.retry_at - now, timedelta(minutes=1))
        return _("Too many wrong codes. Please wait {wait} and try again.").format(
            wait=format_timedelta(wait, locale=_.language, threshold=1.1)
        )
    return _("You are not paired with anyone right now. Use /pair to invite your partner.")


async def pair(update: Update, context: BotContext) -> None:
    runtime = context.runtime
    now = runtime.clock.now()
    async with begin(runtime.db) as work:
        user = await load_user(runtime, work, update)
        _ = translator_for(user)
        try:
            invite = await pairing.invite(work, user, now)
        except PairingError as error:
            partner = await users.partner(work, user)
            text = refusal_text(_, error, partner)
            invite = None
    if invite is None:
        await answer_callback(update)
        await reply(update, text)
        return
    link = f"https://t.me/{runtime.bot_username}?start={invite.code}"
    text = "\n".join(
        [
            _("Send this link to your partner. When they open it, you are paired:"),
            link,
            "",
            _("Or they can send me: /join {code}").format(code=invite.code),
            _("The invite works once and expires in 24 hours. A new /pair replaces it."),
        ]
    )
    await answer_callback(update)
    await reply(update, text)


async def join_command(update: Update, context: BotContext) -> None:
    if not context.args:
        runtime = context.runtime
        async with begin(runtime.db) as work:
            user = await load_user(runtime, work, update)
        _ = translator_for(user)
        await reply(
            update,
            _("Please send the code after the command, like this: {example}").format(
                example="<code>/join Ab3dE5fG7hJ9</code>"
            ),
        )
        return
    await join_with_code(update, context, context.args[0])


async def join_with_code(update: Update, context: BotContext, code: str) -> None:
    runtime = context.runtime
    now = runtime.clock.now()
    result: pairing.Paired | None = None
    async with begin(runtime.db) as work:
        user = await load_user(runtime, work, update)
        _ = translator_for(user)
        try:
            result = await pairing.join_by_code(work, user, code, now)
        except PairingError as error:
            partner = await users.partner(work, user)
            text = refusal_text(_, error, partner, now)
        else:  # the inviter hears it in the same transaction as the pairing
            inviter = result.inviter
            accepted = invite_accepted_text(translator_for(inviter), result.joiner.first_name)
            await relay(work, runtime, inviter, accepted)
    if result is None:
        await reply(update, text)
        return
    joiner, inviter = result.joiner, result.inviter
    log.info("couple %s paired", result.couple_id)
    _ = translator_for(joiner)
    question, markup = anniversary_question(_)
    await reply(update, paired_text(_, inviter.first_name) + "\n\n" + question, markup)
    await send_queued(runtime, work)
    for person in (joiner, inviter):
        if person.timezone != "UTC":  # they already chose a zone
            continue
        text, markup = timezone_question(translator_for(person), person.timezone)
        await notify(context.runtime, person, text, reply_markup=markup)


def paired_text(_: Translator, partner_name: str) -> str:
    return _("You are now paired with {partner}! 💞").format(partner=esc(partner_name))


def invite_accepted_text(_: Translator, partner_name: str) -> str:
    return _("{partner} accepted your invite. You are now paired! 💞").format(
        partner=esc(partner_name)
    )


def pairing_ended_text(_: Translator, partner_name: str, retention_days: int) -> str:
    """Both partners' acknowledgement: what ended, what happens to what they shared."""
    return (
        _("Your pairing with {partner} has ended.").format(partner=esc(partner_name))
        + "\n\n"
        + history_text(_, retention_days)
        + "\n\n"
        + _("You can pair again any time with /pair.")
    )


def history_text(_: Translator, retention_days: int) -> str:
    return _(
        "What you shared stays stored and is deleted after {days} days. "
        "/export sends you your part of it; /deletemydata erases yours now."
    ).format(days=retention_days)


def unpair_question(_: Translator, partner_name: str, retention_days: int) -> str:
    return (
        _(
            "Do you really want to end the pairing with {partner}? "
            "Neither of you will receive shared rituals any more."
        ).format(partner=esc(partner_name))
        + "\n\n"
        + history_text(_, retention_days)
        + "\n\n"
        + _(
            "If what you need is some space, /pause rests your shared rituals for a while "
            "(7 days, or /pause 30) and keeps your pairing."
        )
    )


async def unpair(update: Update, context: BotContext) -> None:
    runtime = context.runtime
    async with begin(runtime.db) as work:
        user = await load_user(runtime, work, update)
        partner = await users.partner(work, user)
    _ = translator_for(user)
    if user.couple_id is None or partner is None:
        await reply(update, refusal_text(_, PairingError(Refusal.NOT_PAIRED), None))
        return
    markup = unpair_keyboard(_, user.couple_id)
    await reply(update, unpair_question(_, partner.first_name, runtime.retention.days), markup)


def unpair_keyboard(_: Translator, couple_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    _("Yes, end it"), callback_data=f"{UNPAIR_CONFIRM}{couple_id}"
                ),
                InlineKeyboardButton(_("Cancel"), callback_data=UNPAIR_CANCEL),
            ]
        ]
    )


async def unpair_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    runtime = context.runtime
    now = runtime.clock.now()
    former: Person | None = None
    cancel = query.data == UNPAIR_CANCEL
    stale = False
    async with begin(runtime.db) as work:
        user = await load_user(runtime, work, update)
        couple_id = query.data.removeprefix(UNPAIR_CONFIRM)
        if cancel:
            pass
        elif user.couple_id is None or str(user.couple_id) != couple_id:
            stale = True
        else:
            former = await pairing.end(work, user, now)
            if former is not None:  # told in the same transaction as the end of the pairing
                ended = pairing_ended_text(
                    translator_for(former), user.first_name, runtime.retention.days
                )
                await relay(work, runtime, former, ended)
    _ = translator_for(user)
    if cancel:
        await answer_callback(update)
        await query.edit_message_text(_("Okay, nothing changed."))
        return
    if stale:
        await answer_callback(update, _("This button is no longer valid."))
        return
    await answer_callback(update)
    days = runtime.retention.days
    await query.edit_message_text(pairing_ended_text(_, former.first_name if former else "?", days))
    await send_queued(runtime, work)


def register(application: BotApplication) -> None:
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("pair", pair, filters=private))
    application.add_handler(CommandHandler("join", join_command, filters=private))
    application.add_handler(CommandHandler("unpair", unpair, filters=private))
    application.add_handler(CallbackQueryHandler(pair, pattern=f"^{PAIR_CALLBACK}$"))
    application.add_handler(CallbackQueryHandler(unpair_button, pattern=r"^unpair:"))
