"""Guards that run before every handler, answers for anything unrecognised, and errors."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.error import NetworkError
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.context import BotApplication, BotContext
from bot.logging_setup import class_chain, withheld
from bot.services import updates
from handlers.common import answer_callback, esc, reply, translator_for_update

log = logging.getLogger(__name__)

DEDUP_GROUP = -2
GUARD_GROUP = -3  # groups are refused before anything touches the database
FLOOD_GROUP = -1


async def skip_redelivered(update: Update, context: BotContext) -> None:
    """Telegram redelivers an update after a crash; one whose changes were committed is not
    handled again (its id was recorded with them: see `bot.services.updates`)."""
    if await updates.was_handled(context.runtime.db, update.update_id):
        log.info("update %s was already handled; skipping", update.update_id)
        raise ApplicationHandlerStop


async def limit_floods(update: Update, context: BotContext) -> None:
    """A user sending a burst of messages is answered once, calmly; the rest are skipped."""
    user = update.effective_user
    chat = update.effective_chat
    if user is None or chat is None or chat.type != ChatType.PRIVATE:
        return
    runtime = context.runtime
    now = runtime.wall.now()  # bursts happen in real time, whatever the bot clock says
    if runtime.flood.hit(user.id, now):
        return
    _ = translator_for_update(update)
    if update.callback_query is not None:
        await answer_callback(update, _("One moment, please: that was a lot of taps."))
    elif runtime.flood_warned.hit(user.id, now):
        await reply(
            update,
            _(
                "That is a lot of messages at once. I will take a short breather: "
                "wait a few seconds, then carry on."
            ),
        )
    log.info("user %s is sending too fast; update %s skipped", user.id, update.update_id)
    raise ApplicationHandlerStop


async def refuse_groups(update: Update, context: BotContext) -> None:
    chat = update.effective_chat
    if chat is None or chat.type == ChatType.PRIVATE:
        return
    _ = translator_for_update(update)
    if update.callback_query is not None:
        await answer_callback(update, _("I only work in private chats."))
    elif update.effective_message is not None:
        username = context.runtime.bot_username
        await update.effective_message.reply_text(
            _("I only work in a private chat. Write to me directly: @{username}").format(
                username=esc(username)
            )
        )
    raise ApplicationHandlerStop


async def unknown_command(update: Update, context: BotContext) -> None:
    _ = translator_for_update(update)
    message = update.effective_message
    command = (message.text or "").split()[0] if message and message.text else "/"
    await reply(
        update,
        _("I don't know the command {command}. Send /help to see what I can do.").format(
            command=esc(command[:64])
        ),
    )


async def unknown_button(update: Update, context: BotContext) -> None:
    _ = translator_for_update(update)
    await answer_callback(update, _("This button is no longer valid."))


def describe_update(update: object) -> str:
    """What the error interrupted, by kind and ids only: "message update 12 from user 5 in
    chat 5". Never its text, nor the sender's name."""
    if not isinstance(update, Update):
        return "no update" if update is None else "a non-update event"
    if update.message is not None:
        kind = "message"
    elif update.callback_query is not None:
        kind = "callback_query"
    else:
        kind = "other"
    user = update.effective_user
    chat = update.effective_chat
    return (
        f"{kind} update {update.update_id}"
        f" from user {user.id if user else None} in chat {chat.id if chat else None}"
    )


async def on_error(update: object, context: BotContext) -> None:
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    if isinstance(error, updates.AlreadyHandled):  # another delivery of it was handled first
        log.info("update %s was handled by another delivery; dropped", update_id)
        return
    if update_id is None and isinstance(error, NetworkError):
        # Polling hiccups (Telegram or the network briefly unreachable): PTB retries itself.
        log.warning("network trouble while polling: %s", type(error).__name__)
        return
    # The classes and frames, never the message: exception texts can quote what users wrote
    # (a database driver's DETAIL line, a parser's error).
    log.error(
        "error while handling %s: %s",
        describe_update(update),
        class_chain(error) if error is not None else "unknown error",
        exc_info=withheld(error) if error is not None else None,
    )
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if update.effective_chat.type != ChatType.PRIVATE:
        return
    _ = translator_for_update(update)
    try:
        if update.callback_query is not None:
            await answer_callback(update, _("Sorry, something went wrong. Please try again."))
        else:
            await reply(update, _("Sorry, something went wrong on my side. Please try again."))
    except Exception as failure:  # the error handler must never raise
        log.warning(
            "could not tell the user about an error: %s",
            class_chain(failure),
            exc_info=withheld(failure),
        )


def register_guards(application: BotApplication) -> None:
    application.add_handler(TypeHandler(Update, skip_redelivered), group=DEDUP_GROUP)
    application.add_handler(TypeHandler(Update, refuse_groups), group=GUARD_GROUP)
    application.add_handler(TypeHandler(Update, limit_floods), group=FLOOD_GROUP)
    application.add_error_handler(on_error)


def register(application: BotApplication) -> None:
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    application.add_handler(MessageHandler(private & filters.COMMAND, unknown_command))
    application.add_handler(CallbackQueryHandler(unknown_button))
