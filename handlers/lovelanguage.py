"""/lovelanguage: the love-language quiz (ten choices, the message edited in place), the
user's profile with "Share it with {partner}?", and the partner's profile once shared."""

from __future__ import annotations

from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.context import BotApplication, BotContext
from bot.outgoing import Outgoing
from bot.prompt_bank.love_quiz import FOR_YOU, NAMES, TRY
from bot.services import love_languages
from bot.services.love_languages import TOTAL, Overview, Profile, Question, Sharing
from bot.services.people import Person
from bot.services.work import Work
from handlers.actions import handle_tap, run_action, tap_choice, tap_id, tap_parts
from handlers.common import answer_callback, esc, relay, reply, translator_for
from locales import Translator

START = "ll:go"
ANSWER = "ll:q:"  # + question number + ":" + 0 or 1
SHARE = "ll:sh:"  # + a Sharing


def _names(_: Translator, profile: Profile) -> tuple[str, str]:
    first, second = (_(NAMES[language]) for language in profile.top)
    return first, second


def _ranking(_: Translator, profile: Profile) -> str:
    return _("Strongest first: {languages}.").format(
        languages=", ".join(f"{_(NAMES[language])} ({count})" for language, count in profile.scores)
    )


def my_profile_text(_: Translator, profile: Profile) -> str:
    first, second = _names(_, profile)
    lines = [
        _("💞 You feel most loved through {first} and {second}.").format(first=first, second=second)
    ]
    lines += [_(FOR_YOU[language]) for language in profile.top]
    lines.append(_ranking(_, profile))
    return "\n\n".join(lines)


def partner_profile_text(_: Translator, partner: str, profile: Profile) -> str:
    """`partner`: the name, escaped."""
    first, second = _names(_, profile)
    return "\n".join(
        [
            _("💞 {partner} feels most loved through {first} and {second}.").format(
                partner=partner, first=first, second=second
            ),
            _(TRY[profile.top[0]]),
        ]
    )


def question_message(_: Translator, question: Question) -> Outgoing:
    text = _("Which of the two would make you feel more loved? ({number}/{total})").format(
        number=question.number, total=TOTAL
    )
    rows = [
        [InlineKeyboardButton(_(option.text), callback_data=f"{ANSWER}{question.number}:{n}")]
        for n, option in enumerate(question.options)
    ]
    return Outgoing(text, InlineKeyboardMarkup(rows))


def share_keyboard(_: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(_("Yes, share it"), callback_data=f"{SHARE}{Sharing.SHARE}"),
                InlineKeyboardButton(_("Not now"), callback_data=f"{SHARE}{Sharing.KEEP}"),
            ]
        ]
    )


def overview_message(_: Translator, view: Overview, partner: Person | None) -> Outgoing:
    lines: list[str] = []
    buttons: list[list[InlineKeyboardButton]] = []
    if view.mine is None:
        lines.append(
            _(
                "People feel loved in different ways: kind words, time together, gifts, a "
                "helping hand or touch. Ten quick choices show which speak to you most. There "
                "are no wrong answers."
            )
        )
        buttons.append([InlineKeyboardButton(_("Take the quiz"), callback_data=START)])
    else:
        lines.append(my_profile_text(_, view.mine))
        buttons.append([InlineKeyboardButton(_("Take the quiz again"), callback_data=START)])
        if partner is not None and view.shared:
            lines.append(_("Shared with {partner}.").format(partner=esc(partner.first_name)))
            buttons.append(
                [InlineKeyboardButton(_("Stop sharing"), callback_data=f"{SHARE}{Sharing.KEEP}")]
            )
        elif partner is not None:
            lines.append(_("Only you can see it."))
            label = _("Share with {partner}").format(partner=partner.first_name)
            buttons.append([InlineKeyboardButton(label, callback_data=f"{SHARE}{Sharing.SHARE}")])
    if partner is not None and view.partners is not None:
        lines.append(partner_profile_text(_, esc(partner.first_name), view.partners))
    elif partner is not None:
        lines.append(
            _("{partner} has not shared a profile with you yet.").format(
                partner=esc(partner.first_name)
            )
        )
    return Outgoing("\n\n".join(lines), InlineKeyboardMarkup(buttons))


async def lovelanguage_command(update: Update, context: BotContext) -> None:
    async def act(work: Work, user: Person, partner: Person | None, now: datetime) -> Overview:
        return await love_languages.overview(work, user, partner)

    done = await run_action(update, context, act)
    if done.value is not None:
        out = overview_message(done.translator, done.value, done.partner)
        await reply(update, out.text, out.markup)


async def on_start(update: Update, context: BotContext) -> None:
    async def act(work: Work, user: Person, partner: Person | None, now: datetime) -> Question:
        return await love_languages.start(work, user)

    tap = await handle_tap(update, context, act)
    if tap.ok and tap.value is not None and update.callback_query is not None:
        await answer_callback(update)
        out = question_message(tap.translator, tap.value)
        await update.callback_query.edit_message_text(out.text, reply_markup=out.markup)


async def on_answer(update: Update, context: BotContext) -> None:
    async def act(
        work: Work, user: Person, partner: Person | None, now: datetime
    ) -> Question | Profile:
        _ll, _q, number, choice = tap_parts(update, 4)
        return await love_languages.answer(work, user, tap_id(number), tap_id(choice), now)

    tap = await handle_tap(update, context, act)
    query = update.callback_query
    if not tap.ok or tap.value is None or query is None:
        return
    _ = tap.translator
    await answer_callback(update)
    if isinstance(tap.value, Question):
        out = question_message(_, tap.value)
        await query.edit_message_text(out.text, reply_markup=out.markup)
        return
    text = my_profile_text(_, tap.value)
    if tap.partner is None:
        await query.edit_message_text(text)
        return
    ask = _("Share it with {partner}?").format(partner=esc(tap.partner.first_name))
    await query.edit_message_text(f"{text}\n\n{ask}", reply_markup=share_keyboard(_))


async def on_share(update: Update, context: BotContext) -> None:
    async def act(work: Work, user: Person, partner: Person | None, now: datetime) -> Profile:
        _ll, _sh, raw = tap_parts(update, 3)
        choice = tap_choice(Sharing, raw)
        profile = await love_languages.share(work, user, partner, choice)
        if choice is Sharing.SHARE and partner is not None:
            them = translator_for(partner)
            text = partner_profile_text(them, esc(user.first_name), profile)
            await relay(work, context.runtime, partner, text, author=user)
        return profile

    tap = await handle_tap(update, context, act)
    query = update.callback_query
    if not tap.ok or tap.value is None or query is None:
        return
    _ = tap.translator
    name = esc(tap.partner.first_name) if tap.partner is not None else ""
    if query.data == f"{SHARE}{Sharing.SHARE}":
        note = _("Shared with {partner}. You can stop sharing any time with /lovelanguage.")
    else:
        note = _("Only you can see it. You can share it any time with /lovelanguage.")
    await answer_callback(update)
    await query.edit_message_text(
        my_profile_text(_, tap.value) + "\n\n" + note.format(partner=name)
    )


def register(application: BotApplication) -> None:
    application.add_handler(
        CommandHandler("lovelanguage", lovelanguage_command, filters=filters.ChatType.PRIVATE)
    )
    application.add_handler(CallbackQueryHandler(on_start, pattern=r"^ll:go$"))
    application.add_handler(CallbackQueryHandler(on_answer, pattern=r"^ll:q:"))
    application.add_handler(CallbackQueryHandler(on_share, pattern=r"^ll:sh:"))
