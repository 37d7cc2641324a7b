"""/timezone and /language with their buttons."""

from __future__ import annotations

from datetime import datetime

from babel.dates import format_time
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.context import BotApplication, BotContext
from bot.services import timezones, users
from bot.services.work import begin
from handlers.common import answer_callback, esc, load_user, reply, translator_for
from handlers.timezone_prompt import TZ_CALLBACK, timezone_question
from locales import LANGUAGES, Translator

LANG_CALLBACK = "lang:"
MAX_ARG_LENGTH = 64


def _zone_set_text(_: Translator, zone: str, now: datetime) -> str:
    local = timezones.local_now(zone, now)
    return _("Your time zone is now {zone}. It is {time} there.").format(
        zone=zone, time=format_time(local, format="short", locale=_.language)
    )


async def timezone_command(update: Update, context: BotContext) -> None:
    runtime = context.runtime
    now = runtime.clock.now()
    wanted = " ".join(context.args or [])
    zone: str | None = None
    async with begin(runtime.db) as work:
        user = await load_user(runtime, work, update)
        if wanted:
            zone = timezones.resolve_timezone(wanted)
            if zone is not None:
                user = await users.choose_timezone(work, user, zone, now)
    _ = translator_for(user)
    if not wanted:
        text, markup = timezone_question(_, user.timezone)
        await reply(update, text, markup)
    elif zone is None:
        await reply(
            update,
            _(
                "I couldn't find a time zone called “{name}”. Try a city such as "
                "/timezone Berlin, or a full name such as /timezone America/New_York."
            ).format(name=esc(wanted[:MAX_ARG_LENGTH])),
        )
    else:
        await reply(update, _zone_set_text(_, zone, now))


async def timezone_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    runtime = context.runtime
    zone = timezones.resolve_timezone(query.data.removeprefix(TZ_CALLBACK))
    now = runtime.clock.now()
    async with begin(runtime.db) as work:
        user = await load_user(runtime, work, update)
        if zone is not None:
            user = await users.choose_timezone(work, user, zone, now)
    _ = translator_for(user)
    if zone is None:
        await answer_callback(update, _("This button is no longer valid."))
        return
    await answer_callback(update)
    await query.edit_message_text(_zone_set_text(_, zone, now))


def language_keyboard() -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(name, callback_data=LANG_CALLBACK + code)
        for code, name in LANGUAGES.items()
    ]
    return InlineKeyboardMarkup([buttons[i : i + 4] for i in range(0, len(buttons), 4)])


def _language_set_text(_: Translator) -> str:
    return _("From now on I will speak English with you.")


async def language_command(update: Update, context: BotContext) -> None:
    runtime = context.runtime
    wanted = " ".join(context.args or [])
    chosen: str | None = None
    async with begin(runtime.db) as work:
        user = await load_user(runtime, work, update)
        if wanted:
            try:
                user = await users.choose_language(work, user, wanted[:MAX_ARG_LENGTH])
                chosen = user.language
            except users.UnknownLanguage:
                chosen = None
    _ = translator_for(user)
    if not wanted:
        await reply(update, _("Choose your language:"), language_keyboard())
    elif chosen is None:
        available = ", ".join(f"{name} ({code})" for code, name in LANGUAGES.items())
        await reply(
            update,
            _("I don't speak “{code}” yet. Available: {available}.").format(
                code=esc(wanted[:MAX_ARG_LENGTH]), available=available
            ),
            language_keyboard(),
        )
    else:
        await reply(update, _language_set_text(_))


async def language_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    runtime = context.runtime
    chosen: str | None = None
    async with begin(runtime.db) as work:
        user = await load_user(runtime, work, update)
        try:
            user = await users.choose_language(work, user, query.data.removeprefix(LANG_CALLBACK))
            chosen = user.language
        except users.UnknownLanguage:
            chosen = None
    _ = translator_for(user)
    if chosen is None:
        await answer_callback(update, _("This button is no longer valid."))
        return
    await answer_callback(update)
    await query.edit_message_text(_language_set_text(_))


def register(application: BotApplication) -> None:
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("timezone", timezone_command, filters=private))
    application.add_handler(CommandHandler("language", language_command, filters=private))
    application.add_handler(CallbackQueryHandler(timezone_button, pattern=f"^{TZ_CALLBACK}"))
    application.add_handler(CallbackQueryHandler(language_button, pattern=f"^{LANG_CALLBACK}"))
