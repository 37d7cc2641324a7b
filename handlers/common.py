"""Helpers shared by handlers: who sent the update, in which language to answer, safe sends."""

from __future__ import annotations

import html
import logging
from datetime import datetime

from telegram import InlineKeyboardMarkup, Update
from telegram.error import TelegramError

from bot.context import BotContext
from bot.outgoing import Outgoing, message_payload, send_part
from bot.runtime import Runtime
from bot.services import conversation, outbox, reachability, users
from bot.services.people import Person
from bot.services.work import Work, begin
from locales import Translator, resolve_language

log = logging.getLogger(__name__)


def esc(text: str) -> str:
    """Escape user-supplied text (names, answers) for HTML parse mode."""
    return html.escape(text, quote=False)


def profile_of(update: Update) -> users.TelegramProfile:
    tg_user = update.effective_user
    chat = update.effective_chat
    assert tg_user is not None and chat is not None
    return users.TelegramProfile(
        user_id=tg_user.id,
        chat_id=chat.id,
        first_name=tg_user.first_name,
        language_code=tg_user.language_code,
    )


async def load_user(runtime: Runtime, work: Work, update: Update) -> Person:
    """The sender of the update (created on first contact). If Telegram had stopped reaching
    them, their partner hears that they are back (queued here, sent by the next tick)."""
    now = runtime.clock.now()
    person = await users.identify(work, profile_of(update), now)
    await reachability.welcome_back(work, person, now, runtime.ritual_grace, back_notice)
    return person


def back_notice(recipient: Person, returned: Person) -> str:
    """For the partner, when someone Telegram could not reach writes to the bot again."""
    _ = translator_for(recipient)
    return _(
        "{partner} is receiving my messages again, so your shared rituals are back on."
    ).format(partner=esc(returned.first_name))


def translator_for(person: Person) -> Translator:
    return Translator(person.language)


def translator_for_update(update: Update) -> Translator:
    """For answers before the user is loaded: Telegram's language of the sender."""
    tg_user = update.effective_user
    return Translator(resolve_language(tg_user.language_code if tg_user else None))


async def reply(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    message = update.effective_message
    if message is not None:
        await message.reply_text(text, reply_markup=markup)
    elif update.effective_chat is not None:
        await update.get_bot().send_message(update.effective_chat.id, text, reply_markup=markup)


async def reply_outgoing(update: Update, context: BotContext, out: Outgoing) -> None:
    """Send `out` to the user's chat; a part that asks for an open step is remembered as that
    step's prompt, so that a Telegram reply to it answers that step."""
    chat = update.effective_chat
    assert chat is not None
    prompts: list[tuple[int, int]] = []  # (step id, message id), remembered in one go
    try:
        for part in out.parts():
            sent = await send_part(update.get_bot(), chat.id, part)
            if part.step_id is not None:
                prompts.append((part.step_id, sent.message_id))
    finally:
        if prompts:
            async with begin(context.runtime.db) as work:
                await conversation.prompts_sent(work, prompts)


async def relay(
    work: Work,
    runtime: Runtime,
    recipient: Person,
    text: str,
    *,
    reply_markup: InlineKeyboardMarkup | None = None,
    author: Person | None = None,
    photo_id: str | None = None,
) -> int:
    """Queue a message to someone other than the sender (the partner) in `work`: in the same
    transaction as the change that caused it, so a crash after the commit cannot lose it.
    It is sent once the work committed (`send_queued`; `run_action` does that). With
    `photo_id` (a user's photo, by Telegram's file id) it is that photo with `text` as its
    caption."""
    payload = message_payload(recipient.chat_id, Outgoing(text, reply_markup, photo_id=photo_id))
    return await outbox.queue_message(
        work, recipient, payload, runtime.clock.now(), runtime.ritual_grace, author=author
    )


async def send_queued(runtime: Runtime, work: Work) -> bool:
    """Send what `work` queued, now that it committed. False when Telegram refused any of it
    for good (e.g. the partner blocked the bot); what cannot go now is retried by the tick
    within its grace window."""
    if not work.outbox:
        return True
    assert runtime.dispatch is not None, "the application factory sets the dispatcher"
    return all((await runtime.dispatch(work.outbox)).values())


async def notify(
    runtime: Runtime,
    recipient: Person,
    text: str,
    *,
    reply_markup: InlineKeyboardMarkup | None = None,
    author: Person | None = None,
) -> bool:
    """Send to someone other than the sender, in a unit of work of its own (see `relay` for
    a message that belongs to a change). False when Telegram refused it for good."""
    async with begin(runtime.db) as work:
        await relay(work, runtime, recipient, text, reply_markup=reply_markup, author=author)
    return await send_queued(runtime, work)


async def remind(
    work: Work,
    runtime: Runtime,
    recipient: Person,
    text: str,
    at: datetime,
    *,
    author: Person | None = None,
) -> None:
    """Record a message for `at` in the outbox, in `work` (with the change that plans it); the
    tick sends it then (never a PTB job)."""
    payload = message_payload(recipient.chat_id, Outgoing(text))
    await outbox.queue_message(
        work,
        recipient,
        payload,
        runtime.clock.now(),
        runtime.ritual_grace,
        author=author,
        send_at=at,
    )


async def answer_callback(update: Update, text: str | None = None) -> None:
    query = update.callback_query
    if query is None:
        return
    try:
        await query.answer(text)
    except TelegramError as exc:  # too old, already answered: nothing a user can act on
        log.info("callback answer failed: %s", type(exc).__name__)


def relay_refusal(_: Translator, partner_name: str) -> str:
    """When a user sends many relays in a short time: the partner is not flooded."""
    return _(
        "You have sent {partner} several messages just now. Let's give them a moment; "
        "try again in a few minutes."
    ).format(partner=esc(partner_name))


def not_paired_text(_: Translator) -> str:
    return _("You are not paired with anyone right now. Use /pair to invite your partner.")
