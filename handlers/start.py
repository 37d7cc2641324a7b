"""/start (with or without an invite code from a deep link) and /help."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CommandHandler, filters

from bot.context import BotApplication, BotContext
from bot.services import users
from bot.services.work import begin
from handlers.commands import help_text
from handlers.common import esc, load_user, reply, translator_for
from handlers.pairing import PAIR_CALLBACK, join_with_code


async def start(update: Update, context: BotContext) -> None:
    if context.args:
        await join_with_code(update, context, context.args[0])
        return
    runtime = context.runtime
    async with begin(runtime.db) as work:
        user = await load_user(runtime, work, update)
        partner = await users.partner(work, user)
    _ = translator_for(user)
    lines = [
        _("Hi {name}! I help couples stay close through small rituals:").format(
            name=esc(user.first_name)
        ),
        _("• a short daily check-in, shown to both of you once you have both answered"),
        _("• prompts to appreciate each other, and date-night ideas"),
        _("• a weekly recap of what you shared"),
    ]
    markup = None
    if partner is None:
        lines += ["", _("To begin, pair with your partner.")]
        markup = InlineKeyboardMarkup(
            [[InlineKeyboardButton(_("💞 Pair with my partner"), callback_data=PAIR_CALLBACK)]]
        )
    else:
        lines += [
            "",
            _("You are paired with {partner}. Send /help to see everything.").format(
                partner=esc(partner.first_name)
            ),
        ]
    await reply(update, "\n".join(lines), markup)


async def help_command(update: Update, context: BotContext) -> None:
    runtime = context.runtime
    async with begin(runtime.db) as work:
        user = await load_user(runtime, work, update)
    await reply(update, help_text(translator_for(user)))


def register(application: BotApplication) -> None:
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("start", start, filters=private))
    application.add_handler(CommandHandler("help", help_command, filters=private))
