"""/export (a JSON file of everything the bot holds about you) and /deletemydata."""

from __future__ import annotations

import json
import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.context import BotApplication, BotContext
from bot.services import privacy
from bot.services.work import begin
from handlers.common import (
    answer_callback,
    load_user,
    relay,
    reply,
    send_queued,
    translator_for,
)
from locales import Translator

log = logging.getLogger(__name__)

DELETE_YES = "del:yes"
DELETE_NO = "del:no"


async def export_command(update: Update, context: BotContext) -> None:
    runtime = context.runtime
    async with begin(runtime.db) as work:
        user = await load_user(runtime, work, update)
        data = await privacy.export_for(work, user, runtime.clock.now())
    _ = translator_for(user)
    payload = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_document(
        chat.id,
        document=payload,
        filename="my-couples-bot-data.json",
        caption=_("Here is everything I keep about you, as a JSON file."),
    )


async def delete_command(update: Update, context: BotContext) -> None:
    runtime = context.runtime
    async with begin(runtime.db) as work:
        user = await load_user(runtime, work, update)
    _ = translator_for(user)
    await reply(
        update,
        _(
            "This erases everything I keep about you: your profile, settings, answers, "
            "appreciations and requests. Your pairing ends; your partner is only told that it "
            "ended. This cannot be undone."
        ),
        delete_keyboard(_),
    )


def delete_keyboard(_: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(_("Yes, delete everything"), callback_data=DELETE_YES),
                InlineKeyboardButton(_("Cancel"), callback_data=DELETE_NO),
            ]
        ]
    )


def nothing_changed(_: Translator) -> str:
    return _("Okay, nothing changed.")


def pairing_ended_text(_: Translator) -> str:
    return _("Your pairing has ended. You can pair again any time with /pair.")


async def delete_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    runtime = context.runtime
    tg_user = update.effective_user
    assert tg_user is not None
    if query.data != DELETE_YES:
        async with begin(runtime.db) as work:
            user = await load_user(runtime, work, update)
        await answer_callback(update)
        await query.edit_message_text(nothing_changed(translator_for(user)))
        return
    async with begin(runtime.db) as work:
        user = await load_user(runtime, work, update)
        # Answer in the language they used, captured before the profile is gone.
        _ = translator_for(user)
        partner = await privacy.erase(work, user, runtime.clock.now())
        if partner is not None:  # told in the same transaction as the erasure
            await relay(work, runtime, partner, pairing_ended_text(translator_for(partner)))
    if not await runtime.db.checkpoint():
        log.info("the write-ahead log was busy; SQLite folds it in at its next checkpoint")
    for limiter in (runtime.flood, runtime.flood_warned, runtime.relays):
        limiter.forget(tg_user.id)
    log.info("a user erased their data")  # deliberately without the id
    await answer_callback(update)
    await query.edit_message_text(
        _("Done. Everything I kept about you is erased. If you write to me again, we start fresh.")
    )
    await send_queued(runtime, work)


def register(application: BotApplication) -> None:
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("export", export_command, filters=private))
    application.add_handler(CommandHandler("deletemydata", delete_command, filters=private))
    application.add_handler(CallbackQueryHandler(delete_button, pattern=r"^del:"))
