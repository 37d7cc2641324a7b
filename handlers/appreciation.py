"""Appreciations: prompt, relay with "Received with love", and the tap relayed back."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, ContextTypes

from bot.models import Appreciation, User
from bot.prompt_bank import Prompt
from bot.runtime import get_runtime
from bot.services import appreciations, users
from bot.services.exchange_errors import ExchangeError, Stale
from handlers.common import answer_callback, esc, load_user, notify, reply, translator_for
from handlers.outgoing import Outgoing
from handlers.stale import answer_stale, parse_int
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
    context: ContextTypes.DEFAULT_TYPE,
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


def too_long_text(_: Translator, length: int) -> str:
    return _(
        "That is {length} characters; appreciations fit in {limit}. Please shorten it and "
        "send it again."
    ).format(length=length, limit=appreciations.MAX_LENGTH)


async def on_received(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    appreciation_id = parse_int(query.data.removeprefix("ap:r:"))
    runtime = get_runtime(context)
    error: ExchangeError | None = None
    async with runtime.db.transaction() as session:
        user = await load_user(runtime, session, update)
        author: User | None = None
        try:
            if appreciation_id is None:
                raise ExchangeError(Stale.NOT_YOURS)
            row = await appreciations.receive(session, user, appreciation_id, runtime.clock.now())
            author = await users.get_user(session, row.from_user_id)
        except ExchangeError as caught:
            error = caught
    _ = translator_for(user)
    if error is not None:
        await answer_stale(update, _, error)
        return
    await answer_callback(update, _("Thank you! 💞"))
    await query.edit_message_reply_markup(None)
    if author is not None:
        await notify(
            context.bot, author.chat_id, received_relay(translator_for(author), user.first_name)
        )


def received_relay(_: Translator, name: str) -> str:
    return _("{partner} received your appreciation with love. 💞").format(partner=esc(name))


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CallbackQueryHandler(on_received, pattern=r"^ap:r:"))
