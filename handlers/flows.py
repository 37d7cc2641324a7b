"""What every guided ritual shares in Telegram: the "End" button (either partner, at any step;
the other is told kindly), the answer to a second start ("finish or end the current one
first"), timer messages (sent once, then edited when what they show changes) and the flow
driver that runs every kind's pass after closing the flows of couples that unpaired."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler

from bot.context import BotApplication, BotContext
from bot.runtime import Runtime, TickHook
from bot.services import guided_flows
from bot.services.guided_flows import Busy, Ended, FlowKind, Side
from bot.services.people import Person
from bot.services.work import Work, begin
from handlers.actions import handle_tap, tap_id, tap_parts
from handlers.common import answer_callback, esc, relay, reply, translator_for
from locales import Translator

log = logging.getLogger(__name__)

# One kind's pass of the driver: returns the flow part ids whose timers still run.
KindPass = Callable[[Bot, Runtime], Awaitable[set[int]]]


def end_button(_: Translator, flow_id: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(_("End"), callback_data=f"fl:e:{flow_id}")


async def reply_busy(update: Update, _: Translator, busy: Busy) -> None:
    await reply(
        update,
        _("You two have a ritual open already. Finish or end the current one first."),
        InlineKeyboardMarkup([[end_button(_, busy.flow_id)]]),
    )


def ended_text(_: Translator, kind: FlowKind, name: str) -> str:
    if kind is FlowKind.UNWIND:
        text = _("{partner} ended your unwind time. That's okay, another time. 🌿")
    else:
        text = _("{partner} ended the eye-contact minutes. That's okay, another time. 🌿")
    return text.format(partner=esc(name))


async def on_end(update: Update, context: BotContext) -> None:
    async def act(work: Work, user: Person, partner: Person | None, now: datetime) -> Ended:
        _fl, _e, raw_id = tap_parts(update, 3)
        ended = await guided_flows.end(work, user, tap_id(raw_id), now)
        if ended.other is not None:
            other = ended.other.person
            text = ended_text(translator_for(other), ended.kind, user.first_name)
            await relay(work, context.runtime, other, text)
        return ended

    tap = await handle_tap(update, context, act)
    if not tap.ok or tap.value is None:
        return
    _ = tap.translator
    await answer_callback(update)
    assert update.callback_query is not None
    await update.callback_query.edit_message_text(_("Ended. 🌿"))
    other = tap.value.other
    if other is not None and other.message_id:  # their timer stops showing time
        theirs = translator_for(other.person)
        await edit(update.get_bot(), other.person.chat_id, other.message_id, theirs("Ended. 🌿"))


async def edit(
    bot: Bot, chat_id: int, message_id: int, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Edit a timer message; a failed edit only means this moment is not shown."""
    try:
        await bot.edit_message_text(
            text, chat_id=chat_id, message_id=message_id, reply_markup=markup
        )
    except TelegramError as exc:
        log.info("timer edit in chat %s failed: %s", chat_id, type(exc).__name__)


async def show_timer(bot: Bot, runtime: Runtime, side: Side, flow_id: int, text: str) -> None:
    """Send the side's timer message (claimed first, so once), or edit it when its text
    changed; it keeps an End button."""
    person = side.person
    if runtime.timer_texts.get(side.part_id) == text:
        return
    markup = InlineKeyboardMarkup([[end_button(translator_for(person), flow_id)]])
    runtime.timer_texts[side.part_id] = text
    if side.message_id is None:
        async with begin(runtime.db) as work:
            claimed = await guided_flows.started_timer(work, side.part_id)
        if not claimed:
            return
        try:
            sent = await bot.send_message(person.chat_id, text, reply_markup=markup)
        except TelegramError as exc:
            log.info("timer message to chat %s failed: %s", person.chat_id, type(exc).__name__)
            return
        async with begin(runtime.db) as work:
            await guided_flows.timer_sent(work, side.part_id, sent.message_id)
    elif side.message_id:
        await edit(bot, person.chat_id, side.message_id, text, markup)


def driver(*passes: KindPass) -> TickHook:
    """The flow driver: flows of couples that unpaired close without a word, then each kind's
    pass runs (timers, ends, time-outs), and timers that stopped are forgotten."""

    async def drive(bot: Bot, runtime: Runtime) -> None:
        async with begin(runtime.db) as work:
            await guided_flows.gone_couples(work, runtime.clock.now())
        live: set[int] = set()
        for one in passes:
            live |= await one(bot, runtime)
        for part_id in [p for p in runtime.timer_texts if p not in live]:
            del runtime.timer_texts[part_id]

    return drive


def register(application: BotApplication) -> None:
    application.add_handler(CallbackQueryHandler(on_end, pattern=r"^fl:e:"))
