"""Appreciations: prompt, relay with "Received with love", and the tap relayed back."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler

from bot.context import BotApplication, BotContext
from bot.models import Appreciation, User
from bot.outgoing import Outgoing
from bot.prompt_bank import Prompt
from bot.ratelimit import wall_clock
from bot.services import appreciations, inputs, users
from handlers.common import (
    answer_callback,
    esc,
    load_user,
    not_paired_text,
    notify,
    relay_refusal,
    reply,
    translator_for,
)
from handlers.taps import handle_tap, tap_id, tap_parts
from locales import Translator


def appreciation_prompt(_: Translator, prompt: Prompt, partner: str) -> Outgoing:
    return Outgoing(
        "☀️ "
        + _(prompt.text)
        + "\n\n"
        + _("Reply with a few words and I will pass them on to {partner}.").format(
            partner=esc(partner)
        )
    )


def relay_text(_: Translator, author: str, words: str) -> str:
    return _("💌 {partner} appreciates you:").format(partner=esc(author)) + "\n\n" + esc(words)


def received_keyboard(_: Translator, appreciation_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    _("Received with love 💞"), callback_data=f"ap:r:{appreciation_id}"
                )
            ]
        ]
    )


async def deliver(
    update: Update,
    context: BotContext,
    user: User,
    partner: User,
    row: Appreciation,
) -> None:
    for_partner = translator_for(partner)
    delivered = await notify(
        context.bot,
        partner.chat_id,
        relay_text(for_partner, user.first_name, row.text),
        reply_markup=received_keyboard(for_partner, row.id),
    )
    _ = translator_for(user)
    if delivered:
        await reply(update, _("Sent to {partner}. 💌").format(partner=esc(partner.first_name)))
    else:
        await reply(
            update,
            _("I couldn't reach {partner} right now. Please try again later.").format(
                partner=esc(partner.first_name)
            ),
        )


async def send_words(
    update: Update, context: BotContext, words: str, prompt_key: str | None
) -> None:
    """Store the user's words for their partner and relay them (from /appreciate <words> or
    as the reply to an appreciation prompt)."""
    runtime = context.runtime
    too_long: appreciations.TooLongAppreciation | None = None
    row: Appreciation | None = None
    async with runtime.db.transaction() as session:
        user = await load_user(runtime, session, update)
        partner = await users.partner_of(session, user)
        limited = partner is not None and not runtime.relays.hit(user.id, wall_clock())
        if partner is None:
            await inputs.clear(session, user.id)
        elif not limited:
            try:
                row = await appreciations.send(
                    session, user, partner, words, runtime.clock.now(), prompt_key
                )
            except appreciations.TooLongAppreciation as caught:
                too_long = caught
    _ = translator_for(user)
    if partner is None:
        await reply(update, not_paired_text(_))
    elif limited:
        await reply(update, relay_refusal(_, partner.first_name))
    elif too_long is not None:
        await reply(update, too_long_text(_, too_long.length))
    else:
        assert row is not None
        await deliver(update, context, user, partner, row)


def too_long_text(_: Translator, length: int) -> str:
    return _(
        "That is {length} characters; appreciations fit in {limit}. Please shorten it and "
        "send it again."
    ).format(length=length, limit=appreciations.MAX_LENGTH)


async def on_received(update: Update, context: BotContext) -> None:
    async def act(session: AsyncSession, user: User, _p: User | None, now: datetime) -> User | None:
        _ap, _r, raw_id = tap_parts(update, 3)
        row = await appreciations.receive(session, user, tap_id(raw_id), now)
        return await users.get_user(session, row.from_user_id)

    tap = await handle_tap(update, context, act)
    if not tap.ok:
        return
    _ = tap.translator
    await answer_callback(update, _("Thank you! 💞"))
    assert update.callback_query is not None
    await update.callback_query.edit_message_reply_markup(None)
    author = tap.value
    if author is not None:
        await notify(
            context.bot, author.chat_id, received_relay(translator_for(author), tap.user.first_name)
        )


def received_relay(_: Translator, name: str) -> str:
    return _("{partner} received your appreciation with love. 💞").format(partner=esc(name))


def register(application: BotApplication) -> None:
    application.add_handler(CallbackQueryHandler(on_received, pattern=r"^ap:r:"))
