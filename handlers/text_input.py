"""Every non-command message in a private chat: the answer the bot is waiting for, a request
for text when a sticker or photo arrives mid-flow, or a hint towards /help."""

from __future__ import annotations

from telegram import Update
from telegram.ext import MessageHandler, filters

from bot.context import BotApplication, BotContext
from bot.services import checkins, inputs, requests, users
from bot.services.exchange_errors import ExchangeError, Stale
from bot.services.inputs import Expect
from handlers import appreciation as appreciation_ui
from handlers import checkin as checkin_ui
from handlers import requests as requests_ui
from handlers.common import (
    esc,
    load_user,
    notify,
    reply,
    translator_for,
)
from locales import Translator


def hint_text(_: Translator) -> str:
    return _("I'm not sure what to do with that. Send /help to see what I can do.")


def text_please(_: Translator, kind: str) -> str:
    if kind == Expect.CHECKIN_ANSWER:
        waiting = _("your answer to today's question")
    elif kind == Expect.CHECKIN_NEED:
        waiting = _("what you need (or tap Skip)")
    elif kind == Expect.APPRECIATION:
        waiting = _("your words of appreciation")
    else:
        waiting = _("your suggestion")
    return _("I can only pass on text here. I'm still waiting for {what}.").format(what=waiting)


async def on_message(update: Update, context: BotContext) -> None:
    message = update.effective_message
    assert message is not None
    runtime = context.runtime
    async with runtime.db.transaction() as session:
        user = await load_user(runtime, session, update)
        waiting = await inputs.pending(session, user.id)
        kind, ref_id, ref_key = (
            (waiting.kind, waiting.ref_id, waiting.ref_key) if waiting else ("", None, None)
        )
    _ = translator_for(user)
    if not kind:
        await reply(update, hint_text(_))
        return
    if not message.text:
        await reply(update, text_please(_, kind))
        return
    text = message.text
    if kind == Expect.CHECKIN_ANSWER:
        await _checkin_answer(update, context, ref_id, text)
    elif kind == Expect.CHECKIN_NEED:
        await checkin_ui.finish_checkin(update, context, ref_id, text)
    elif kind == Expect.APPRECIATION:
        await appreciation_ui.send_words(update, context, text, ref_key)
    elif kind == Expect.COUNTER_PROPOSAL:
        await _counter(update, context, ref_id, text)
    else:
        await reply(update, hint_text(_))


async def _checkin_answer(
    update: Update, context: BotContext, checkin_id: int | None, text: str
) -> None:
    runtime = context.runtime
    too_long: checkins.TooLong | None = None
    error: ExchangeError | None = None
    async with runtime.db.transaction() as session:
        user = await load_user(runtime, session, update)
        partner = await users.partner_of(session, user)
        try:
            if checkin_id is None or partner is None:
                raise ExchangeError(Stale.NOT_YOURS)
            await checkins.set_answer(session, user, checkin_id, text, runtime.clock.now())
        except checkins.TooLong as caught:
            too_long = caught
        except ExchangeError as caught:
            error = caught
            await inputs.clear(session, user.id)
    _ = translator_for(user)
    if too_long is not None:
        await reply(update, checkin_ui.too_long_text(_, too_long.length, too_long.limit))
    elif error is not None or partner is None or checkin_id is None:
        await reply(update, _("That check-in has closed. A new one comes with your next ritual."))
    else:
        out = checkin_ui.need_question(_, checkin_id, partner.first_name)
        await reply(update, out.text, out.markup)


async def _counter(update: Update, context: BotContext, request_id: int | None, text: str) -> None:
    runtime = context.runtime
    too_long: requests.TooLongRequest | None = None
    error: ExchangeError | None = None
    async with runtime.db.transaction() as session:
        user = await load_user(runtime, session, update)
        author = None
        try:
            if request_id is None:
                raise ExchangeError(Stale.NOT_YOURS)
            row = await requests.counter(session, user, request_id, text, runtime.clock.now())
            author = await users.get_user(session, row.from_user_id)
        except requests.TooLongRequest as caught:
            too_long = caught
        except ExchangeError as caught:
            error = caught
            await inputs.clear(session, user.id)
    _ = translator_for(user)
    if too_long is not None:
        await reply(update, requests_ui.too_long_text(_, too_long.length, too_long.limit))
    elif error is not None or author is None:
        await reply(update, _("That request has ended, so I can't pass this on."))
    else:
        await notify(
            context.bot,
            author.chat_id,
            requests_ui.counter_relay(
                translator_for(author), user.first_name, row.text, row.counter_text or ""
            ),
        )
        await reply(update, _("Sent to {partner}. 💬").format(partner=esc(author.first_name)))


def register(application: BotApplication) -> None:
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE & ~filters.COMMAND
    application.add_handler(MessageHandler(private, on_message))
