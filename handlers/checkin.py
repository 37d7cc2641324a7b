"""The daily check-in in Telegram, all of it: mood buttons, the day's question, a need (its
words steps), the reveal, reactions, answers to needs, and closing after 24 hours."""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler

from bot.context import BotApplication, BotContext
from bot.outgoing import Outgoing
from bot.prompt_bank import Prompt
from bot.runtime import Runtime
from bot.services import checkins
from bot.services.checkins import (
    Entry,
    NeedReply,
    NewQuestion,
    ReactionKind,
    Reveal,
    Shared,
    StartState,
)
from bot.services.conversation import Step, StepKind
from bot.services.exchange_errors import ExchangeError, Stale
from bot.services.memories import MemoryKind
from bot.services.people import Person
from bot.services.work import Work, begin
from handlers import needs as needs_ui
from handlers.actions import (
    answer_stale,
    handle_tap,
    handle_text,
    parse_int,
    require,
    tap_choice,
    tap_id,
    tap_parts,
)
from handlers.common import (
    answer_callback,
    esc,
    notify,
    relay,
    reply,
    reply_outgoing,
    send_queued,
    translator_for,
    translator_for_update,
)
from handlers.gestures import hug_button
from handlers.memories import favourite_button
from handlers.text_steps import PhotoAnswer, TextStep, TextSteps
from locales import N_, Translator

log = logging.getLogger(__name__)

MOOD_EMOJI = {1: "😞", 2: "😕", 3: "😐", 4: "🙂", 5: "😄"}
REACTIONS: dict[ReactionKind, str] = {
    ReactionKind.THANKS: N_("Thank you for sharing"),
    ReactionKind.HARD: N_("That sounds really hard"),
    ReactionKind.SUPPORT: N_("How can I support you?"),
    ReactionKind.HAPPY: N_("I'm so happy for you"),
}
NEED_REPLIES: dict[NeedReply, str] = {
    NeedReply.YES: N_("Yes"),
    NeedReply.NO: N_("Not today"),
    NeedReply.TALK: N_("Let's talk about it"),
}


def mood_question(_: Translator, checkin_id: int, step: Step | None) -> Outgoing:
    buttons = [
        InlineKeyboardButton(emoji, callback_data=f"ck:m:{checkin_id}:{mood}")
        for mood, emoji in MOOD_EMOJI.items()
    ]
    return Outgoing(
        _("🌙 Time for your check-in. How are you feeling today?"),
        InlineKeyboardMarkup([buttons, [hug_button(_)]]),
        step_id=step.id if step else None,
    )


def day_question(
    _: Translator, checkin_id: int, question: Prompt, step: Step | None, lead: str = ""
) -> Outgoing:
    """Today's question, with Skip and Another question (a new one for both of you)."""
    if question.invites_photo:
        how = _("Just reply with a message (up to 500 characters), or a photo with a caption.")
    else:
        how = _("Just reply with a message (up to 500 characters).")
    return Outgoing(
        lead + _("Today's question: {question}").format(question=_(question.text)) + "\n\n" + how,
        question_keyboard(_, checkin_id),
        step_id=step.id if step else None,
    )


def question_keyboard(_: Translator, checkin_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(_("Skip"), callback_data=f"ck:k:{checkin_id}"),
                InlineKeyboardButton(_("Another question"), callback_data=f"ck:q:{checkin_id}"),
            ]
        ]
    )


def need_question(
    _: Translator, checkin_id: int, partner: str, step: Step | None, lead: str = ""
) -> Outgoing:
    return Outgoing(
        lead
        + _(
            "Is there anything you need from {partner}? Reply with a message, or skip "
            "(“nothing” works too)."
        ).format(partner=esc(partner)),
        InlineKeyboardMarkup(
            [[InlineKeyboardButton(_("Skip"), callback_data=f"ck:s:{checkin_id}")]]
        ),
        step_id=step.id if step else None,
    )


def checkin_entry(_: Translator, started: Entry, partner: str) -> Outgoing | None:
    """What to show when a check-in starts (scheduled or /checkin)."""
    if started.state is StartState.DONE_TODAY:
        return Outgoing(_("You have both checked in today already. See you tomorrow! 🌙"))
    if started.state is StartState.WAITING:
        return Outgoing(waiting_text(_, partner))
    waiting = started.step.kind if started.step is not None else None
    if waiting is StepKind.CHECKIN_ANSWER:
        return day_question(_, started.checkin_id, started.question, started.step)
    if waiting is StepKind.CHECKIN_NEED:
        return need_question(_, started.checkin_id, partner, started.step)
    return mood_question(_, started.checkin_id, started.step)


def saved_text(_: Translator, partner: str) -> str:
    return _("Saved for your check-in — {partner} sees it once they have answered too.").format(
        partner=esc(partner)
    )


def waiting_text(_: Translator, partner: str) -> str:
    return _(
        "Thank you, your answer is saved. I will show you both answers as soon as "
        "{partner} has answered too."
    ).format(partner=esc(partner))


def _person_block(_: Translator, label: str, answer: Shared) -> list[str]:
    mood = MOOD_EMOJI.get(answer.mood or 0, "")
    if answer.photo is not None:
        said = "📷 " + (esc(answer.answer) if answer.answer else "<i>" + _("(a photo)") + "</i>")
    elif answer.answer:
        said = esc(answer.answer)
    else:
        said = "<i>" + _("(passed on today's question)") + "</i>"
    lines = [f"<b>{esc(label)}</b> {mood}", said]
    if answer.need:
        lines.append(_("Needs: {need}").format(need=esc(answer.need)))
    return lines


def reveal_text(_: Translator, reveal: Reveal, reader: Person, partner: Person) -> str:
    local = reveal.opened_at.astimezone(ZoneInfo(reader.timezone))
    day = format_date(local, format="medium", locale=_.language)
    lines = [
        _("🌙 Your check-in, {date}").format(date=day),
        "<i>" + esc(_(reveal.question.text)) + "</i>",
        "",
    ]
    lines += _person_block(_, _("You"), reveal.shared[reader.id])
    lines.append("")
    lines += _person_block(_, partner.first_name, reveal.shared[partner.id])
    return "\n".join(lines)


def photo_caption(name: str, answer: Shared) -> str:
    """The caption of a photo answer as the partner receives it: whose, and their words."""
    head = f"<b>{esc(name)}</b> 📷"
    return head + "\n" + esc(answer.answer) if answer.answer else head


def reaction_keyboard(_: Translator, checkin_id: int) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(_(label), callback_data=f"ck:r:{checkin_id}:{kind.value}")
        for kind, label in REACTIONS.items()
    ]
    star = favourite_button(_, MemoryKind.CHECKIN, checkin_id)
    return InlineKeyboardMarkup([buttons[:2], buttons[2:], [star]])


def need_request(_: Translator, checkin_id: int, partner: str, need: str) -> Outgoing:
    buttons = [
        InlineKeyboardButton(_(label), callback_data=f"ck:n:{checkin_id}:{kind.value}")
        for kind, label in NEED_REPLIES.items()
    ]
    return Outgoing(
        _("{partner} would like this from you: “{need}”").format(
            partner=esc(partner), need=esc(need)
        ),
        InlineKeyboardMarkup([buttons]),
    )


async def queue_reveal(
    work: Work, runtime: Runtime, reveal: Reveal, people: tuple[Person, Person]
) -> None:
    """Both partners' reveal (the partner's photo answer, and the need each may answer), in
    the unit of work that revealed the check-in: committed with it, so a crash can never
    leave a revealed check-in unseen."""
    for reader, partner in (people, people[::-1]):
        _ = translator_for(reader)
        await relay(
            work,
            runtime,
            reader,
            reveal_text(_, reveal, reader, partner),
            reply_markup=reaction_keyboard(_, reveal.checkin_id),
            author=partner,
        )
        theirs = reveal.shared[partner.id]
        if theirs.photo is not None:
            caption = photo_caption(partner.first_name, theirs)
            await relay(work, runtime, reader, caption, author=partner, photo_id=theirs.photo)
        need = reveal.shared[partner.id].need
        if need:
            out = need_request(_, reveal.checkin_id, partner.first_name, need)
            await relay(work, runtime, reader, out.text, reply_markup=out.markup, author=partner)


async def on_mood(update: Update, context: BotContext) -> None:
    async def act(
        work: Work, user: Person, _p: Person | None, now: datetime
    ) -> tuple[int, checkins.Next]:
        _ck, _m, raw_id, raw_mood = tap_parts(update, 4)
        mood = tap_id(raw_mood)
        return mood, await checkins.choose_mood(work, user, tap_id(raw_id), mood, now)

    tap = await handle_tap(update, context, act)
    if not tap.ok or tap.value is None:
        return
    _ = tap.translator
    mood, advanced = tap.value
    await answer_callback(update)
    assert update.callback_query is not None
    await update.callback_query.edit_message_text(
        _("🌙 How are you feeling today? {mood}").format(mood=MOOD_EMOJI[mood])
    )
    await reply_outgoing(
        update, context, day_question(_, advanced.checkin_id, advanced.question, advanced.step)
    )


async def on_skip_question(update: Update, context: BotContext) -> None:
    """Skip at today's question: the answer stays empty and the need step comes next."""

    async def act(
        work: Work, user: Person, partner: Person | None, now: datetime
    ) -> tuple[Person, checkins.Next]:
        _ck, _k, raw_id = tap_parts(update, 3)
        return require(partner), await checkins.skip_question(work, user, tap_id(raw_id), now)

    tap = await handle_tap(update, context, act)
    if not tap.ok or tap.value is None:
        return
    _ = tap.translator
    partner, advanced = tap.value
    await answer_callback(update)
    assert update.callback_query is not None
    await update.callback_query.edit_message_text(
        _("Today's question: {question}").format(question=_(advanced.question.text))
        + "\n\n"
        + _("(skipped)")
    )
    out = need_question(_, advanced.checkin_id, partner.first_name, advanced.step)
    await reply_outgoing(update, context, out)


async def on_another_question(update: Update, context: BotContext) -> None:
    """Another question, for both partners, while neither has answered this one."""

    async def act(work: Work, user: Person, partner: Person | None, now: datetime) -> NewQuestion:
        _ck, _q, raw_id = tap_parts(update, 3)
        return await checkins.another_question(work, user, require(partner), tap_id(raw_id), now)

    tap = await handle_tap(update, context, act)
    if not tap.ok or tap.value is None:
        return
    _ = tap.translator
    new = tap.value
    await answer_callback(update)
    assert update.callback_query is not None
    mine = day_question(_, new.checkin_id, new.question, None)
    await update.callback_query.edit_message_text(mine.text, reply_markup=mine.markup)
    if new.partner_at_question:
        await show_new_question(context, new, tap.user)


async def show_new_question(context: BotContext, new: NewQuestion, asker: Person) -> None:
    """The partner's question message changes in place (so a reply to it still answers
    today's question); when it cannot be edited, the new question is sent."""
    partner = new.partner
    _ = translator_for(partner)
    lead = _("🔄 {partner} asked for another question.").format(partner=esc(asker.first_name))
    out = day_question(_, new.checkin_id, new.question, None, lead + "\n\n")
    if new.partner_message_id is not None:
        try:
            await context.bot.edit_message_text(
                out.text,
                chat_id=partner.chat_id,
                message_id=new.partner_message_id,
                reply_markup=out.markup,
            )
            return
        except TelegramError as exc:  # too old or deleted: send it instead
            log.info("question edit failed: %s", type(exc).__name__)
    await notify(context.runtime, partner, out.text, reply_markup=out.markup)


async def take_answer(update: Update, context: BotContext, step: Step, text: str) -> None:
    """Words for today's question: saved (never shown to the partner before the reveal)."""

    async def act(
        work: Work, user: Person, partner: Person | None, now: datetime
    ) -> tuple[Person, checkins.Next]:
        checkin_id = require_ref(step)
        return require(partner), await checkins.write_answer(work, user, checkin_id, text, now)

    done = await handle_text(
        update,
        context,
        act,
        closed=closed_text,
        too_long=lambda _, e: too_long_text(_, e.length, e.limit),
    )
    if not done.ok or done.value is None:
        return
    _ = done.translator
    partner, advanced = done.value
    lead = saved_text(_, partner.first_name) + "\n\n"
    out = need_question(_, advanced.checkin_id, partner.first_name, advanced.step, lead)
    await reply_outgoing(update, context, out)


async def take_photo(update: Update, context: BotContext, step: Step, photo: PhotoAnswer) -> None:
    """A photo for a question that invites one: saved with its caption until the reveal."""

    async def act(
        work: Work, user: Person, partner: Person | None, now: datetime
    ) -> tuple[Person, checkins.Next]:
        checkin_id = require_ref(step)
        advanced = await checkins.write_answer(
            work, user, checkin_id, photo.caption, now, photo.file_id
        )
        return require(partner), advanced

    done = await handle_text(
        update,
        context,
        act,
        closed=closed_text,
        too_long=lambda _, e: too_long_text(_, e.length, e.limit),
    )
    if not done.ok or done.value is None:
        return
    _ = done.translator
    partner, advanced = done.value
    lead = saved_text(_, partner.first_name) + "\n\n"
    out = need_question(_, advanced.checkin_id, partner.first_name, advanced.step, lead)
    await reply_outgoing(update, context, out)


async def take_need(update: Update, context: BotContext, step: Step, text: str) -> None:
    await finish_checkin(update, context, require_ref(step), text)


def require_ref(step: Step) -> int:
    if step.ref_id is None:
        raise ExchangeError(Stale.NOT_YOURS)
    return step.ref_id


def closed_text(_: Translator) -> str:
    return _(
        "That check-in has closed, so I haven't saved or shared this. A new one comes with "
        "your next ritual."
    )


async def on_skip_need(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    checkin_id = parse_int(query.data.removeprefix("ck:s:"))
    if checkin_id is None:
        await answer_stale(update, translator_for_update(update), ExchangeError(Stale.NOT_YOURS))
        return
    await finish_checkin(update, context, checkin_id, None)


async def finish_checkin(
    update: Update, context: BotContext, checkin_id: int, need: str | None
) -> None:
    """The last step (a need or Skip): save, then reveal or say we wait for the partner."""

    async def act(
        work: Work, user: Person, partner: Person | None, now: datetime
    ) -> tuple[Person, Reveal | None]:
        partner = require(partner)
        reveal = await checkins.finish(work, user, checkin_id, need, now)
        if reveal is not None:
            await queue_reveal(work, context.runtime, reveal, (user, partner))
        return partner, reveal

    tapped = update.callback_query is not None
    if tapped:
        done = await handle_tap(update, context, act)
    else:
        done = await handle_text(
            update,
            context,
            act,
            closed=closed_text,
            too_long=lambda _, e: too_long_text(_, e.length, e.limit),
        )
    if not done.ok or done.value is None:
        return
    _ = done.translator
    partner, reveal = done.value
    if tapped:
        await answer_callback(update)
        assert update.callback_query is not None
        await update.callback_query.edit_message_text(
            _("Is there anything you need from {partner}? (skipped)").format(
                partner=esc(partner.first_name)
            )
        )
    if reveal is None:
        await reply(update, waiting_text(_, partner.first_name))


def too_long_text(_: Translator, length: int, limit: int) -> str:
    return _(
        "That is {length} characters, a little more than the {limit} that fit. Please "
        "shorten it and send it again; I am keeping what you wrote until then."
    ).format(length=length, limit=limit)


async def on_reaction(update: Update, context: BotContext) -> None:
    async def act(work: Work, user: Person, partner: Person | None, now: datetime) -> ReactionKind:
        _ck, _r, raw_id, raw_kind = tap_parts(update, 4)
        kind = tap_choice(ReactionKind, raw_kind)
        partner = require(partner)
        await checkins.send_reaction(work, user, tap_id(raw_id), kind, now)
        text = reaction_relay(translator_for(partner), user.first_name, kind)
        await relay(work, context.runtime, partner, text)  # with the reaction itself
        return kind

    tap = await handle_tap(update, context, act)
    if not tap.ok or tap.value is None or tap.partner is None:
        return
    partner, _ = tap.partner, tap.translator
    await answer_callback(update, _("Sent to {partner}.").format(partner=partner.first_name))


def reaction_relay(_: Translator, name: str, kind: ReactionKind) -> str:
    return _("{partner} reacted to your check-in: “{reaction}”").format(
        partner=esc(name), reaction=_(REACTIONS[kind])
    )


async def on_need_reply(update: Update, context: BotContext) -> None:
    """Yes is passed on at once; "Let's talk about it" too, then asks when; "Not today" asks
    for an optional note first (handlers.needs passes it on)."""

    async def act(
        work: Work, user: Person, partner: Person | None, now: datetime
    ) -> tuple[NeedReply, int, checkins.NeedAnswered]:
        _ck, _n, raw_id, raw_choice = tap_parts(update, 4)
        choice = tap_choice(NeedReply, raw_choice)
        partner = require(partner)
        checkin_id = tap_id(raw_id)
        answered = await checkins.answer_need(work, user, checkin_id, choice, now)
        if choice is not NeedReply.NO:  # passed on with the answer ("Not today" asks first)
            text = need_reply_relay(translator_for(partner), user.first_name, answered.need, choice)
            await relay(work, context.runtime, partner, text, author=partner)
        return choice, checkin_id, answered

    tap = await handle_tap(update, context, act)
    if not tap.ok or tap.value is None or tap.partner is None:
        return
    choice, checkin_id, answered = tap.value
    partner, _ = tap.partner, tap.translator
    await answer_callback(update)
    assert update.callback_query is not None
    await update.callback_query.edit_message_text(
        _("{partner} would like this from you: “{need}”").format(
            partner=esc(partner.first_name), need=esc(answered.need)
        )
        + "\n\n"
        + _("Your answer: {answer}").format(answer=_(NEED_REPLIES[choice]))
    )
    if choice is NeedReply.NO:
        prompt = needs_ui.note_prompt(_, checkin_id, partner.first_name, answered.note_step)
        await reply_outgoing(update, context, prompt)
        return
    if choice is NeedReply.TALK:
        await reply_outgoing(update, context, needs_ui.talk_prompt(_, checkin_id))


def need_reply_relay(_: Translator, name: str, need: str, choice: NeedReply) -> str:
    return _("{partner} answered your need “{need}”: {answer}").format(
        partner=esc(name), need=esc(need), answer=_(NEED_REPLIES[choice])
    )


def partial_close_text(_: Translator, you_answered: bool) -> str:
    """A check-in closed with one answer. Neither text points at the partner."""
    if you_answered:
        return _(
            "Yesterday's check-in closed before it could be shared, so your answer stays "
            "with you. You can keep it private, or share it anyway."
        )
    return _("Yesterday's check-in has closed. A new one comes with your next check-in. 🌙")


def keep_or_share(_: Translator, checkin_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(_("Keep it private"), callback_data=f"ck:keep:{checkin_id}"),
                InlineKeyboardButton(_("Share it anyway"), callback_data=f"ck:share:{checkin_id}"),
            ]
        ]
    )


def shared_anyway_text(_: Translator, name: str, shared: checkins.SharedAnyway, zone: str) -> str:
    """What the partner receives, labelled as shared after the check-in had closed."""
    local = shared.opened_at.astimezone(ZoneInfo(zone))
    day = format_date(local, format="medium", locale=_.language)
    mood = MOOD_EMOJI.get(shared.shared.mood or 0, "")
    said = esc(shared.shared.answer or "")
    if shared.shared.photo is not None:  # the photo follows, with its caption
        said = "📷 " + (said or "<i>" + _("(a photo)") + "</i>")
    return "\n".join(
        [
            _(
                "💌 {partner} chose to share their check-in answer from {date} with you. "
                "It is just for you to read; nothing to answer."
            ).format(partner=esc(name), date=day),
            "<i>" + esc(_(shared.question.text)) + "</i>",
            "",
            f"<b>{esc(name)}</b> {mood}",
            said,
        ]
    )


async def on_share_anyway(update: Update, context: BotContext) -> None:
    async def act(
        work: Work, user: Person, partner: Person | None, now: datetime
    ) -> checkins.SharedAnyway:
        _ck, _share, raw_id = tap_parts(update, 3)
        partner = require(partner)
        shared = await checkins.share_anyway(work, user, tap_id(raw_id), now)
        text = shared_anyway_text(
            translator_for(partner), user.first_name, shared, partner.timezone
        )
        await relay(work, context.runtime, partner, text, author=user)  # with the sharing
        if shared.shared.photo is not None:
            caption = photo_caption(user.first_name, shared.shared)
            photo = shared.shared.photo
            await relay(work, context.runtime, partner, caption, author=user, photo_id=photo)
        return shared

    tap = await handle_tap(update, context, act)
    if not tap.ok or tap.value is None or tap.partner is None:
        return
    partner, _ = tap.partner, tap.translator
    await answer_callback(update, _("Sent to {partner}.").format(partner=partner.first_name))
    assert update.callback_query is not None
    await update.callback_query.edit_message_text(
        _(
            "Yesterday's check-in closed before it could be shared. You shared your answer with "
            "{partner}."
        ).format(partner=esc(partner.first_name))
    )


async def on_keep_private(update: Update, context: BotContext) -> None:
    async def act(work: Work, user: Person, partner: Person | None, now: datetime) -> bool:
        _ck, _keep, raw_id = tap_parts(update, 3)
        await checkins.keep_private(work, user, tap_id(raw_id))
        return True

    tap = await handle_tap(update, context, act)
    if not tap.ok:
        return
    _ = tap.translator
    await answer_callback(update)
    assert update.callback_query is not None
    await update.callback_query.edit_message_text(
        _("Yesterday's check-in closed before it could be shared. Your answer stays private.")
    )


def register(application: BotApplication, steps: TextSteps) -> None:
    application.add_handler(CallbackQueryHandler(on_mood, pattern=r"^ck:m:"))
    application.add_handler(CallbackQueryHandler(on_skip_need, pattern=r"^ck:s:"))
    application.add_handler(CallbackQueryHandler(on_skip_question, pattern=r"^ck:k:"))
    application.add_handler(CallbackQueryHandler(on_another_question, pattern=r"^ck:q:"))
    application.add_handler(CallbackQueryHandler(on_reaction, pattern=r"^ck:r:"))
    application.add_handler(CallbackQueryHandler(on_need_reply, pattern=r"^ck:n:"))
    application.add_handler(CallbackQueryHandler(on_share_anyway, pattern=r"^ck:share:"))
    application.add_handler(CallbackQueryHandler(on_keep_private, pattern=r"^ck:keep:"))
    steps.add(
        TextStep(
            StepKind.CHECKIN_MOOD,
            waiting_for=lambda _: _("how you are feeling (tap one of the faces)"),
            tap_first=lambda _: _(
                "First tap how you are feeling today (one of the faces above); then I will "
                "ask today's question. I haven't kept that message."
            ),
        )
    )
    steps.add(
        TextStep(
            StepKind.CHECKIN_ANSWER,
            waiting_for=lambda _: _("your answer to today's question (or tap Skip)"),
            label=lambda _, partner: _("My answer to today's question"),
            take=take_answer,
            take_photo=take_photo,
        )
    )
    steps.add(
        TextStep(
            StepKind.CHECKIN_NEED,
            waiting_for=lambda _: _("what you need (or tap Skip)"),
            label=lambda _, partner: _("What I need from {partner}").format(partner=partner),
            take=take_need,
        )
    )


async def close_expired(bot: Bot, runtime: Runtime) -> int:
    """Close check-ins whose 24 h passed with one answer, and tell each partner gently (at
    most once a week); the one who answered may share their answer anyway."""
    now = runtime.clock.now()
    async with begin(runtime.db) as work:
        expired = await checkins.close_expired(work, now)
        for closed in expired.one_sided:  # told in the transaction that closes them
            for person in closed.told:
                _ = translator_for(person)
                answered = person.id == closed.answered.id
                markup = keep_or_share(_, closed.checkin_id) if answered else None
                text = partial_close_text(_, answered)
                await relay(work, runtime, person, text, reply_markup=markup)
    await send_queued(runtime, work)
    return expired.closed
