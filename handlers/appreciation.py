"""Appreciations: prompt, relay with "Received with love" (words, or a photo with its caption
for a prompt that invites one), and the tap relayed back."""

from __future__ import annotations

from datetime import datetime

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MaybeInaccessibleMessage,
    Message,
    Update,
)
from telegram.ext import CallbackQueryHandler

from bot.context import BotApplication, BotContext
from bot.outgoing import Outgoing
from bot.prompt_bank import Prompt
from bot.services import appreciations
from bot.services.appreciations import Sent
from bot.services.conversation import Step, StepKind
from bot.services.exchange_errors import ExchangeError, Stale
from bot.services.memories import MemoryKind
from bot.services.people import Person
from bot.services.work import Work
from handlers.actions import handle_tap, handle_text, tap_id, tap_parts
from handlers.common import (
    answer_callback,
    esc,
    not_paired_text,
    relay,
    relay_refusal,
    reply,
    translator_for,
)
from handlers.gestures import hug_button
from handlers.memories import favourite_button
from handlers.text_steps import PhotoAnswer, TextStep, TextSteps
from locales import Translator


def appreciation_prompt(_: Translator, prompt: Prompt, partner: str, step: Step) -> Outgoing:
    if prompt.invites_photo:
        how = _(
            "Reply with a few words, or a photo with a caption, and I will pass it on to {partner}."
        )
    else:
        how = _("Reply with a few words and I will pass them on to {partner}.")
    return Outgoing(
        "☀️ " + _(prompt.text) + "\n\n" + how.format(partner=esc(partner)),
        InlineKeyboardMarkup([[hug_button(_)]]),
        step_id=step.id,
    )


def relay_text(_: Translator, author: str, words: str) -> str:
    """The appreciation as the partner reads it (a photo's caption: words may be empty)."""
    lead = _("💌 {partner} appreciates you:").format(partner=esc(author))
    return lead + "\n\n" + esc(words) if words else lead


def received_keyboard(_: Translator, appreciation_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    _("Received with love 💞"), callback_data=f"ap:r:{appreciation_id}"
                )
            ],
            [favourite_button(_, MemoryKind.APPRECIATION, appreciation_id)],
        ]
    )


async def answer_sent(update: Update, user: Person, partner: Person, delivered: bool) -> None:
    """Tell the author whether their words reached the partner."""
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
    update: Update,
    context: BotContext,
    words: str,
    prompt_key: str | None,
    photo_id: str | None = None,
) -> None:
    """Store the user's words for their partner and relay them (from /appreciate <words>, as
    the answer to an appreciation prompt, or after choosing "appreciation" for held words);
    with `photo_id`, a photo answering a prompt that invites one, relayed as that photo with
    `words` (its caption)."""
    runtime = context.runtime

    async def act(
        work: Work, user: Person, partner: Person | None, now: datetime
    ) -> tuple[Person, Sent | None]:
        if partner is None:
            raise ExchangeError(Stale.NOT_YOURS)
        if not runtime.relays.hit(user.id, runtime.wall.now()):
            return partner, None  # too many relays just now: nothing is stored or sent
        sent = await appreciations.give(work, user, partner, words, now, prompt_key, photo_id)
        for_partner = translator_for(partner)
        await relay(  # committed with the appreciation itself
            work,
            runtime,
            partner,
            relay_text(for_partner, user.first_name, sent.text),
            reply_markup=received_keyboard(for_partner, sent.id),
            author=user,
            photo_id=sent.photo,
        )
        return partner, sent

    done = await handle_text(
        update,
        context,
        act,
        closed=not_paired_text,
        too_long=lambda _, e: too_long_text(_, e.length, e.limit),
    )
    if not done.ok or done.value is None:
        return
    partner, sent = done.value
    if sent is None:
        await reply(update, relay_refusal(done.translator, partner.first_name))
    else:
        await answer_sent(update, done.user, partner, done.delivered)


async def take_words(update: Update, context: BotContext, step: Step, text: str) -> None:
    await send_words(update, context, text, step.ref_key)


async def take_photo(update: Update, context: BotContext, step: Step, photo: PhotoAnswer) -> None:
    """A photo answering a prompt that invites one: relayed as it is, with its caption."""
    await send_words(update, context, photo.caption, step.ref_key, photo.file_id)


def too_long_text(_: Translator, length: int, limit: int) -> str:
    return _(
        "That is {length} characters; appreciations fit in {limit}. Please shorten it and "
        "send it again."
    ).format(length=length, limit=limit)


async def on_received(update: Update, context: BotContext) -> None:
    async def act(work: Work, user: Person, _p: Person | None, now: datetime) -> Person | None:
        _ap, _r, raw_id = tap_parts(update, 3)
        author = await appreciations.acknowledge(work, user, tap_id(raw_id), now)
        if author is not None:  # committed with the acknowledgement
            text = received_relay(translator_for(author), user.first_name)
            await relay(work, context.runtime, author, text)
        return author

    tap = await handle_tap(update, context, act)
    if not tap.ok:
        return
    _ = tap.translator
    await answer_callback(update, _("Thank you! 💞"))
    query = update.callback_query
    assert query is not None and query.message is not None
    await query.edit_message_reply_markup(without_received(query.message))


def without_received(message: MaybeInaccessibleMessage) -> InlineKeyboardMarkup | None:
    """The relayed appreciation's keyboard once received: its ⭐ stays, as it was."""
    markup = message.reply_markup if isinstance(message, Message) else None
    rows = [
        row
        for row in (markup.inline_keyboard if markup else ())
        if not any(str(b.callback_data).startswith("ap:r:") for b in row)
    ]
    return InlineKeyboardMarkup(rows) if rows else None


def received_relay(_: Translator, name: str) -> str:
    return _("{partner} received your appreciation with love. 💞").format(partner=esc(name))


def register(application: BotApplication, steps: TextSteps) -> None:
    application.add_handler(CallbackQueryHandler(on_received, pattern=r"^ap:r:"))
    steps.add(
        TextStep(
            StepKind.APPRECIATION,
            waiting_for=lambda _: _("your words of appreciation"),
            take=take_words,
            take_photo=take_photo,
            label=lambda _, partner: _("Appreciation for {partner} (sent at once)").format(
                partner=partner
            ),
        )
    )
