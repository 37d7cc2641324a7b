"""Inline buttons that share a row are short enough not to be cut on a phone: in every language,
a label in a row of two or more buttons (a 2×2 keyboard or wider) has at most 24 characters.
The keyboards are the real ones, built by the handlers' own keyboard functions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.prompt_bank import APPRECIATION_PROMPTS, CHECKIN_QUESTIONS, DATE_IDEAS
from bot.services.conversation import Step, StepKind
from bot.services.gestures import Hug
from bot.services.important_days import Day, DayKind
from bot.services.memories import PAGE_SIZE, Memory, MemoryKind, Page, Part, View
from handlers import (
    appreciation,
    checkin,
    dates,
    days,
    depth,
    eyes,
    gestures,
    lovelanguage,
    memories,
    needs,
    pairing,
    privacy,
    requests,
    unwind,
)
from locales import LANGUAGES, Translator

MAX_LABEL = 24
NAME = "Alexandra"  # a first name of ordinary length, in labels that name the partner
WEEK = [date(2026, 6, 8) + timedelta(days=n) for n in range(7)]  # every weekday
AT = datetime(2026, 6, 8, 18, tzinfo=UTC)
STEP = Step(7, StepKind.APPRECIATION, None, None, AT)
# A middle page of the memory book: every item mine and with a photo (📷 and 🗑 rows), ◀ and ▶.
PAGE = Page(
    couple_id=7,
    number=1,
    pages=3,
    view=View.ALL,
    items=tuple(
        Memory(MemoryKind.CHECKIN, n, AT, None, (Part(True, 4, "ok"),), mine=True, photo=True)
        for n in range(PAGE_SIZE)
    ),
)
# Every kind of day, and more than a row of 🗑 buttons.
DAYS = [
    Day(1, DayKind.ANNIVERSARY, 2, 14, None, None),
    Day(2, DayKind.BIRTHDAY, 3, 1, None, 7),
    *(Day(n, DayKind.OTHER, 5, n, "First date", None) for n in range(3, 9)),
]

Build = Callable[[Translator], InlineKeyboardMarkup | None]
KEYBOARDS: dict[str, Build] = {
    "check-in mood": lambda _: checkin.mood_question(_, 7, None).markup,
    "today's question": lambda _: checkin.question_keyboard(_, 7),
    "today's question (shown)": lambda _: (
        checkin.day_question(_, 7, CHECKIN_QUESTIONS[0], None).markup
    ),
    "need step": lambda _: checkin.need_question(_, 7, NAME, None).markup,
    "reactions": lambda _: checkin.reaction_keyboard(_, 7),
    "answer to a need": lambda _: checkin.need_request(_, 7, NAME, "tea").markup,
    "keep or share": lambda _: checkin.keep_or_share(_, 7),
    "not today note": lambda _: needs.note_prompt(_, 7, NAME, None).markup,
    "when to talk": lambda _: needs.talk_prompt(_, 7).markup,
    "received with love": lambda _: appreciation.received_keyboard(_, 7),
    "date idea": lambda _: dates.idea_message(_, DATE_IDEAS[0], NAME).markup,
    "date proposal": lambda _: dates.proposal_keyboard(_, 7),
    "when is the date": lambda _: dates.when_keyboard(_, 7),
    "pick a day": lambda _: dates.days_keyboard(_, 7, WEEK),
    "depth": depth.depth_keyboard,
    "going deeper": lambda _: depth.raise_request(_, 7, NAME, depth.Depth.DEEP)[1],
    "request": lambda _: requests.answer_keyboard(_, 7),
    "counter-proposal": lambda _: requests.counter_keyboard(_, 7, 2),
    "did it happen": lambda _: requests.check_keyboard(_, 7),
    "unpair": lambda _: pairing.unpair_keyboard(_, 7),
    "delete my data": privacy.delete_keyboard,
    "appreciation prompt (💞)": lambda _: (
        appreciation.appreciation_prompt(_, APPRECIATION_PROMPTS[0], NAME, STEP).markup
    ),
    "memory book page": lambda _: memories.page_keyboard(_, PAGE),
    "kept as favourite (⭐)": lambda _: memories.with_button(
        checkin.reaction_keyboard(_, 7), memories.favourite_button(_, MemoryKind.CHECKIN, 7, True)
    ),
    "hug back": lambda _: gestures.back_keyboard(_, Hug(7, back=False)),
    "important days": lambda _: days.days_keyboard(_, DAYS),
    "anniversary question": lambda _: days.anniversary_question(_)[1],
    "eye contact invitation": lambda _: eyes.invitation(_, NAME, 7).markup,
    "eye contact minutes": lambda _: eyes.choice_prompt(_, 7)[1],
    "eye contact words": lambda _: eyes.words_prompt(_, 7).markup,
    "share my love languages": lovelanguage.share_keyboard,
    "unwind invitation": lambda _: unwind.invitation(_, NAME, 7).markup,
    "unwind turn length": lambda _: unwind.choice_prompt(_, 7)[1],
    "unwind replies": lambda _: unwind.reply_prompt(_, NAME, 7).markup,
}


def too_long(markup: InlineKeyboardMarkup | None) -> list[str]:
    rows = markup.inline_keyboard if markup is not None else ()
    return [b.text for row in rows if len(row) > 1 for b in row if len(b.text) > MAX_LABEL]


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_buttons_sharing_a_row_fit_a_phone(language: str) -> None:
    _ = Translator(language)
    cut = {name: labels for name, build in KEYBOARDS.items() if (labels := too_long(build(_)))}
    assert cut == {}, f"labels over {MAX_LABEL} characters in {language}: {cut}"


def test_only_labels_sharing_a_row_are_held_to_the_limit() -> None:
    long, short = (
        InlineKeyboardButton("x" * 25, callback_data="a"),
        InlineKeyboardButton("y" * 24, callback_data="b"),
    )
    assert too_long(InlineKeyboardMarkup([[long, short]])) == ["x" * 25]
    assert too_long(InlineKeyboardMarkup([[long], [short]])) == []
    assert too_long(None) == []
