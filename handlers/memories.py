"""The memory book in Telegram: /memories (a page at a time, ◀ ▶ edited in place, 🗑 for
the reader's own items, 📷 to see a saved photo), /memories favourites, /remember <words> (or
a photo captioned /remember ...), the ⭐ under relayed appreciations and revealed check-ins,
and the "on this day" line of the day's check-in or appreciation message."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.context import BotApplication, BotContext
from bot.outgoing import Outgoing
from bot.prompt_bank import by_key
from bot.services import memories, users
from bot.services.exchange_errors import ExchangeError, Stale
from bot.services.memories import PAGE_SIZE, Memory, MemoryKind, Page, Part, Recalled, View
from bot.services.people import Person
from bot.services.work import Work, begin
from handlers.actions import handle_tap, handle_text, tap_choice, tap_id, tap_parts
from handlers.common import (
    answer_callback,
    esc,
    load_user,
    not_paired_text,
    reply,
    translator_for,
    translator_for_update,
)
from handlers.dates import RATING_LABELS
from locales import N_, Translator

KIND_CODES: dict[MemoryKind, str] = {
    MemoryKind.CHECKIN: "c",
    MemoryKind.APPRECIATION: "a",
    MemoryKind.DATE: "d",
    MemoryKind.REQUEST: "r",
    MemoryKind.NOTE: "n",
}
CODE_KINDS = {code: kind for kind, code in KIND_CODES.items()}
FAVOURITE_WORDS = {"favourites", "favorites", "favourite", "favorite", "fav", "⭐"}
MOODS = {1: "😞", 2: "😕", 3: "😐", 4: "🙂", 5: "😄"}  # the check-in's faces
RATINGS: dict[int, str] = {rating.value: face for rating, face in RATING_LABELS.items()}
AGO: dict[int, str] = {
    1: N_("a month ago"),
    3: N_("three months ago"),
    6: N_("six months ago"),
    12: N_("a year ago"),
}
REMEMBER_CAPTION = re.compile(r"^/remember(@\w+)?(\s+(?P<words>.*))?$", re.DOTALL)


def kind_of(code: str) -> MemoryKind:
    kind = CODE_KINDS.get(code)
    if kind is None:
        raise ExchangeError(Stale.NOT_YOURS)
    return kind


# ---------------------------------------------------------------------------- the page


def day_of(_: Translator, at: datetime, zone: str) -> str:
    return format_date(at.astimezone(ZoneInfo(zone)), format="medium", locale=_.language)


def who(_: Translator, part: Part, partner: str) -> str:
    return _("You") if part.mine else esc(partner)


def part_line(_: Translator, part: Part, partner: str, faces: dict[int, str]) -> str:
    face = faces.get(part.score or 0, "")
    head = f"{who(_, part, partner)} {face}".rstrip()
    if part.words:
        return f"{head}: {esc(part.words)}"
    return head


def prompt_text(_: Translator, key: str | None) -> str:
    if key is None:
        return ""
    try:
        return _(by_key(key).text)
    except KeyError:
        return ""


def item_text(_: Translator, item: Memory, number: int, partner: str, zone: str) -> str:
    day = day_of(_, item.at, zone)
    star = " ⭐" if item.favourite else ""
    lines: list[str]
    if item.kind is MemoryKind.CHECKIN:
        head = _("{n}. 🌙 {date}, your check-in").format(n=number, date=day)
        lines = [head + star]
        question = prompt_text(_, item.key)
        if question:
            lines.append(f"<i>{esc(question)}</i>")
        lines += [part_line(_, part, partner, MOODS) for part in item.parts]
    elif item.kind is MemoryKind.APPRECIATION:
        part = item.parts[0]
        if part.mine:
            head = _("{n}. 💌 {date}, you appreciated {partner}:")
        else:
            head = _("{n}. 💌 {date}, {partner} appreciated you:")
        lines = [head.format(n=number, date=day, partner=esc(partner)) + star]
        lines.append(f"“{esc(part.words or '')}”")
    elif item.kind is MemoryKind.DATE:
        head = _("{n}. 🥂 {date}, a date: {idea}").format(
            n=number, date=day, idea=esc(prompt_text(_, item.key))
        )
        lines = [head + star]
        lines += [part_line(_, part, partner, RATINGS) for part in item.parts]
    elif item.kind is MemoryKind.REQUEST:
        part = item.parts[0]
        if part.mine:
            head = _("{n}. 🤝 {date}, you asked {partner} and you agreed:")
        else:
            head = _("{n}. 🤝 {date}, {partner} asked you and you agreed:")
        lines = [head.format(n=number, date=day, partner=esc(partner)) + star]
        lines.append(f"“{esc(part.words or '')}”")
    else:
        part = item.parts[0]
        if part.mine:
            head = _("{n}. 📝 {date}, you saved:")
        else:
            head = _("{n}. 📝 {date}, {partner} saved:")
        lines = [head.format(n=number, date=day, partner=esc(partner)) + star]
        photo = "📷 " if item.photo else ""
        lines.append(photo + (f"“{esc(part.words)}”" if part.words else ""))
    return "\n".join(line for line in lines if line)


def page_text(_: Translator, page: Page, reader: Person, partner: str) -> str:
    if not page.items:
        if page.view is View.FAVOURITES:
            return _(
                "No favourites yet. Tap ⭐ under an appreciation or a revealed check-in to "
                "keep it here."
            )
        return _(
            "Your memory book is still empty. It fills as you check in, appreciate each other "
            "and go on dates. You can also save a moment now: /remember followed by a few words."
        )
    if page.view is View.FAVOURITES:
        title = _("⭐ Your favourites, page {page} of {pages}")
    else:
        title = _("📖 Your story together, page {page} of {pages}")
    lines = [title.format(page=page.number + 1, pages=page.pages)]
    first = page.number * PAGE_SIZE + 1
    for offset, item in enumerate(page.items):
        lines += ["", item_text(_, item, first + offset, partner, reader.timezone)]
    return "\n".join(lines)


def page_keyboard(_: Translator, page: Page) -> InlineKeyboardMarkup | None:
    view = page.view.value
    rows: list[list[InlineKeyboardButton]] = []
    first = page.number * PAGE_SIZE + 1
    own = [
        InlineKeyboardButton(
            f"🗑 {first + offset}",
            callback_data=f"mb:d:{KIND_CODES[item.kind]}:{item.ref_id}:{page.number}:{view}",
        )
        for offset, item in enumerate(page.items)
        if item.mine
    ]
    photos = [
        InlineKeyboardButton(f"📷 {first + offset}", callback_data=f"mb:v:{item.ref_id}")
        for offset, item in enumerate(page.items)
        if item.photo
    ]
    for buttons in (photos, own):
        rows += [buttons[i : i + 5] for i in range(0, len(buttons), 5)]
    turn = []
    if page.number > 0:
        turn.append(
            InlineKeyboardButton(
                "◀", callback_data=f"mb:p:{page.couple_id}:{page.number - 1}:{view}"
            )
        )
    if page.number + 1 < page.pages:
        turn.append(
            InlineKeyboardButton(
                "▶", callback_data=f"mb:p:{page.couple_id}:{page.number + 1}:{view}"
            )
        )
    if turn:
        rows.append(turn)
    return InlineKeyboardMarkup(rows) if rows else None


async def memories_command(update: Update, context: BotContext) -> None:
    args = [a.lower() for a in (context.args or [])]
    view = View.FAVOURITES if args and args[0] in FAVOURITE_WORDS else View.ALL

    runtime = context.runtime
    async with begin(runtime.db) as work:
        user = await load_user(runtime, work, update)
        partner = await users.partner(work, user)
        page = None
        if partner is not None:
            page = await memories.book(work, user, 0, view, runtime.clock.now())
    _ = translator_for(user)
    if partner is None or page is None:
        await reply(update, not_paired_text(_))
        return
    await reply(update, page_text(_, page, user, partner.first_name), page_keyboard(_, page))


async def show(update: Update, page: Page, user: Person, partner: Person) -> None:
    _ = translator_for(user)
    query = update.callback_query
    assert query is not None
    await query.edit_message_text(
        page_text(_, page, user, partner.first_name), reply_markup=page_keyboard(_, page)
    )


async def on_page(update: Update, context: BotContext) -> None:
    async def act(
        work: Work, user: Person, partner: Person | None, now: datetime
    ) -> tuple[Person, Page]:
        _mb, _p, raw_couple, raw_page, raw_view = tap_parts(update, 5)
        if partner is None:
            raise ExchangeError(Stale.NOT_YOURS)
        page = await memories.turn_page(
            work, user, tap_id(raw_couple), tap_id(raw_page), tap_choice(View, raw_view), now
        )
        return partner, page

    tap = await handle_tap(update, context, act)
    if not tap.ok or tap.value is None:
        return
    await answer_callback(update)
    partner, page = tap.value
    await show(update, page, tap.user, partner)


async def on_take_out(update: Update, context: BotContext) -> None:
    async def act(
        work: Work, user: Person, partner: Person | None, now: datetime
    ) -> tuple[Person, Page]:
        _mb, _d, raw_kind, raw_id, raw_page, raw_view = tap_parts(update, 6)
        kind, ref_id = kind_of(raw_kind), tap_id(raw_id)
        page_number, view = tap_id(raw_page), tap_choice(View, raw_view)
        if partner is None:
            raise ExchangeError(Stale.NOT_YOURS)
        await memories.take_out(work, user, kind, ref_id, now)
        return partner, await memories.book(work, user, page_number, view, now)

    tap = await handle_tap(update, context, act)
    if not tap.ok or tap.value is None:
        return
    _ = tap.translator
    await answer_callback(update, _("Taken out of your memory book."))
    partner, page = tap.value
    await show(update, page, tap.user, partner)


async def on_photo(update: Update, context: BotContext) -> None:
    async def act(work: Work, user: Person, partner: Person | None, now: datetime) -> str:
        _mb, _v, raw_id = tap_parts(update, 3)
        if partner is None:
            raise ExchangeError(Stale.NOT_YOURS)
        return await memories.photo_of(work, user, tap_id(raw_id), now)

    tap = await handle_tap(update, context, act)
    if not tap.ok or tap.value is None:
        return
    await answer_callback(update)
    chat = update.effective_chat
    assert chat is not None
    await update.get_bot().send_photo(chat.id, photo=tap.value)


# ---------------------------------------------------------------------------- ⭐


def favourite_button(
    _: Translator, kind: MemoryKind, ref_id: int, kept: bool = False
) -> InlineKeyboardButton:
    """The ⭐ under a relayed appreciation or a revealed check-in (for the reader)."""
    label = _("🌟 A favourite") if kept else _("⭐ Keep as favourite")
    return InlineKeyboardButton(label, callback_data=f"mb:f:{KIND_CODES[kind]}:{ref_id}")


def with_button(
    markup: InlineKeyboardMarkup | None, button: InlineKeyboardButton
) -> InlineKeyboardMarkup:
    """The message's keyboard with the button of the same data relabelled (kept in place)."""
    rows = [
        [button if b.callback_data == button.callback_data else b for b in row]
        for row in (markup.inline_keyboard if markup else ())
    ]
    return InlineKeyboardMarkup(rows or [[button]])


async def on_favourite(update: Update, context: BotContext) -> None:
    async def act(
        work: Work, user: Person, partner: Person | None, now: datetime
    ) -> tuple[MemoryKind, int, bool]:
        _mb, _f, raw_kind, raw_id = tap_parts(update, 4)
        kind, ref_id = kind_of(raw_kind), tap_id(raw_id)
        if partner is None:
            raise ExchangeError(Stale.NOT_YOURS)
        return kind, ref_id, await memories.toggle_favourite(work, user, kind, ref_id, now)

    tap = await handle_tap(update, context, act)
    if not tap.ok or tap.value is None:
        return
    kind, ref_id, kept = tap.value
    _ = tap.translator
    if kept:
        await answer_callback(update, _("Kept among your favourites: /memories favourites"))
    else:
        await answer_callback(update, _("No longer among your favourites."))
    query = update.callback_query
    assert query is not None
    markup = query.message.reply_markup if isinstance(query.message, Message) else None
    await query.edit_message_reply_markup(
        with_button(markup, favourite_button(_, kind, ref_id, kept))
    )


# ---------------------------------------------------------------------------- /remember


def remember_usage(_: Translator) -> str:
    return _(
        "Write what you would like to keep after the command, for example: "
        "/remember our walk by the lake. A photo with the caption /remember ... is kept too."
    )


async def save(update: Update, context: BotContext, words: str, photo: str | None) -> None:
    async def act(work: Work, user: Person, partner: Person | None, now: datetime) -> Person:
        if partner is None:
            raise ExchangeError(Stale.NOT_YOURS)
        await memories.remember(work, user, words, photo, now)
        return partner

    done = await handle_text(
        update,
        context,
        act,
        closed=not_paired_text,
        too_long=lambda _, e: _(
            "That is {length} characters; up to {limit} fit in the memory book. Please shorten "
            "it and send it again."
        ).format(length=e.length, limit=e.limit),
    )
    if not done.ok or done.value is None:
        return
    _ = done.translator
    await reply(
        update,
        _("Kept in your memory book. {partner} finds it there too: /memories").format(
            partner=esc(done.value.first_name)
        ),
    )


async def remember_command(update: Update, context: BotContext) -> None:
    message = update.effective_message
    words = (message.text or "").split(maxsplit=1)[1:] if message else []
    if not words or not words[0].strip():
        await reply(update, remember_usage(translator_for_update(update)))
        return
    await save(update, context, words[0].strip(), None)


async def remember_photo(update: Update, context: BotContext) -> None:
    message = update.effective_message
    assert message is not None and message.photo
    match = REMEMBER_CAPTION.match(message.caption or "")
    words = (match.group("words") or "").strip() if match else ""
    await save(update, context, words, message.photo[-1].file_id)


# ---------------------------------------------------------------------------- on this day


def recalled_line(_: Translator, recalled: Recalled, partner: str) -> str:
    if recalled.mine:
        line = _("🕰 On this day, {ago}, you wrote: “{words}”")
    else:
        line = _("🕰 On this day, {ago}, {partner} wrote: “{words}”")
    return line.format(ago=_(AGO[recalled.months]), partner=esc(partner), words=esc(recalled.words))


async def with_recalled_line(
    work: Work, out: Outgoing, user: Person, partner: Person, now: datetime
) -> Outgoing:
    """The day's check-in or appreciation message, with an "on this day" line when the book
    has one to give (see `memories.on_this_day`)."""
    recalled = await memories.on_this_day(work, user, now)
    if recalled is None:
        return out
    line = recalled_line(translator_for(user), recalled, partner.first_name)
    return replace(out, text=line + "\n\n" + out.text)


def register(application: BotApplication) -> None:
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("memories", memories_command, filters=private))
    application.add_handler(CommandHandler("remember", remember_command, filters=private))
    application.add_handler(
        MessageHandler(
            private & filters.PHOTO & filters.CaptionRegex(r"^/remember(@\w+)?(\s|$)"),
            remember_photo,
        )
    )
    application.add_handler(CallbackQueryHandler(on_page, pattern=r"^mb:p:"))
    application.add_handler(CallbackQueryHandler(on_take_out, pattern=r"^mb:d:"))
    application.add_handler(CallbackQueryHandler(on_favourite, pattern=r"^mb:f:"))
    application.add_handler(CallbackQueryHandler(on_photo, pattern=r"^mb:v:"))
