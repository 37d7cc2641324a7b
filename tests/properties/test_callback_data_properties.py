"""Button taps: callback data comes back from Telegram as up to 64 bytes that a modified client
can forge. Any such string is matched by at most one registered pattern, and the handler it
reaches either refuses it (ExchangeError, Stale.NOT_YOURS) or calls exactly one service action
with non-negative ids in range. Buttons the bot builds reach their own action with their ids.

The handlers run for real; only `handle_tap` (the database transaction) and the services they
call are replaced, by recorders that stop at the first service call."""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from telegram import CallbackQuery, InlineKeyboardMarkup, Update
from telegram import User as TelegramUser
from telegram.ext import CallbackQueryHandler

import handlers
from bot.models import User
from bot.prompt_bank import APPRECIATION_PROMPTS, DATE_IDEAS, Depth
from bot.prompt_bank.love_quiz import QUIZ
from bot.services.checkins import NeedReply, ReactionKind
from bot.services.conversation import Route, RouteKind, Step, StepKind
from bot.services.date_plans import Rating, WhenChoice
from bot.services.dates import DateAnswer
from bot.services.depth import RaiseReply
from bot.services.exchange_errors import ExchangeError, Stale
from bot.services.gestures import Hug
from bot.services.important_days import Day, DayKind
from bot.services.love_languages import Overview, Question, Sharing
from bot.services.memories import Memory, MemoryKind, Page, Part, View
from bot.services.needs import Aside, TalkTime
from bot.services.requests import CheckReply, CounterAnswer, RequestAnswer
from bot.services.timezones import resolve_timezone
from handlers import (
    appreciation,
    checkin,
    dates,
    days,
    gestures,
    lovelanguage,
    memories,
    pairing,
    privacy,
    settings,
    text_steps,
)
from handlers import depth as depth_ui
from handlers import eyes as eyes_ui
from handlers import flows as flows_ui
from handlers import needs as needs_ui
from handlers import requests as requests_ui
from handlers import unwind as unwind_ui
from handlers.actions import Outcome, parse_int, tap_choice, tap_id
from handlers.timezone_prompt import zone_keyboard
from locales import Translator, match_language
from tests.properties.strategies import numerals

MAX_BYTES = 64  # Telegram's limit for callback_data
ID_LIMIT = 10**11  # parse_int takes at most 11 digits
USER_ID = 10**15  # the tapping user's id: out of the tap-id range, so never mistaken for one
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


class Recorder:
    """Stands in for the Application: keeps what `handlers.register` adds, in order."""

    def __init__(self) -> None:
        self.added: list[tuple[int, object]] = []

    def add_handler(self, handler: object, group: int = 0) -> None:
        self.added.append((group, handler))

    def add_error_handler(self, callback: object, block: bool = True) -> None:
        pass


def registered_buttons() -> list[CallbackQueryHandler[Any, Any]]:
    recorder = Recorder()
    handlers.register(recorder)  # type: ignore[arg-type]
    return [h for _, h in recorder.added if isinstance(h, CallbackQueryHandler)]


BUTTON_HANDLERS = registered_buttons()
PATTERNED = [h for h in BUTTON_HANDLERS if h.pattern is not None]
PATTERNS = [h.pattern.pattern for h in PATTERNED if isinstance(h.pattern, re.Pattern)]
PREFIXES = sorted(p.removeprefix("^").removesuffix("$") for p in PATTERNS)


def callback_name(handler: CallbackQueryHandler[Any, Any]) -> str:
    callback = handler.callback
    return f"{callback.__module__.removeprefix('handlers.')}.{callback.__name__}"


# Handlers that only compare the data or strip a prefix (no ids): what they do with it.
BY_VALUE: dict[str, Callable[[str], object]] = {
    "pairing.pair": lambda data: None,
    "pairing.unpair_button": lambda data: data.removeprefix(pairing.UNPAIR_CONFIRM),
    "privacy.delete_button": lambda data: data == privacy.DELETE_YES,
    "settings.timezone_button": lambda data: resolve_timezone(data.removeprefix("tz:")),
    "settings.language_button": lambda data: match_language(
        data.removeprefix(settings.LANG_CALLBACK)
    ),
    "dates.on_another": lambda data: None,
    "days.on_not_now": lambda data: None,
}
# Handlers whose taps go through handle_tap, or parse_int, to a service action.
BY_ACTION = {
    "checkin.on_mood",
    "checkin.on_skip_need",
    "checkin.on_skip_question",
    "checkin.on_another_question",
    "checkin.on_reaction",
    "checkin.on_need_reply",
    "checkin.on_share_anyway",
    "checkin.on_keep_private",
    "needs.on_note_choice",
    "needs.on_talk_time",
    "needs.on_close",
    "appreciation.on_received",
    "dates.on_propose",
    "dates.on_answer",
    "dates.on_when",
    "dates.on_rate",
    "requests.on_answer",
    "requests.on_counter_answer",
    "requests.on_check",
    "text_steps.on_choice",
    "depth.on_choose",
    "depth.on_answer",
    "memories.on_page",
    "memories.on_take_out",
    "memories.on_favourite",
    "memories.on_photo",
    "gestures.on_hug",
    "days.on_add",
    "days.on_remove",
    "eyes.on_answer",
    "eyes.on_choose",
    "eyes.on_skip",
    "lovelanguage.on_start",
    "lovelanguage.on_answer",
    "lovelanguage.on_share",
    "flows.on_end",
    "unwind.on_answer",
    "unwind.on_choose",
    "unwind.on_reply",
}


class Reached(Exception):
    def __init__(self, action: str, args: tuple[object, ...]) -> None:
        super().__init__(action)
        self.action = action
        self.args_ = args


SESSION, PARTNER = object(), User(id=USER_ID + 1, first_name="Partner", chat_id=2)
TAPPER = User(id=USER_ID, first_name="Tapper", chat_id=1)


class ServiceStub:
    """A service module whose every function records its call and stops the handler."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __getattr__(self, function: str) -> Callable[..., Coroutine[Any, Any, None]]:
        async def call(*args: object, **kwargs: object) -> None:
            kept = tuple(
                a
                for a in (*args, *kwargs.values())
                if a is not SESSION
                and a is not TAPPER
                and a is not PARTNER
                and a is not NOW
                and a != USER_ID
            )
            raise Reached(f"{self.name}.{function}", kept)

        return call


@dataclass
class Tap:
    """What one tap came to: refusals and actions, in order."""

    outcomes: list[tuple[str, object]]


CURRENT = Tap([])


async def fake_handle_tap(update: Update, context: object, action: Any) -> Outcome[Any]:
    try:
        await action(SESSION, TAPPER, PARTNER, NOW)
    except ExchangeError as error:
        CURRENT.outcomes.append(("refused", error.reason))
    except Reached as reached:
        CURRENT.outcomes.append((reached.action, reached.args_))
    else:
        CURRENT.outcomes.append(("nothing", None))
    # Returned as refused, so the handler stops before it edits messages.
    return Outcome(TAPPER, PARTNER, None, error=ExchangeError(Stale.CLOSED))


async def fake_answer_stale(update: Update, _: Translator, error: ExchangeError) -> None:
    CURRENT.outcomes.append(("refused", error.reason))


@pytest.fixture(scope="module", autouse=True)
def recorded_services() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        for module in (
            checkin,
            needs_ui,
            appreciation,
            dates,
            depth_ui,
            requests_ui,
            text_steps,
            memories,
            gestures,
            days,
            eyes_ui,
            lovelanguage,
            flows_ui,
            unwind_ui,
        ):
            patch.setattr(module, "handle_tap", fake_handle_tap)
        patch.setattr(checkin, "answer_stale", fake_answer_stale)
        patch.setattr(checkin, "checkins", ServiceStub("checkins"))
        patch.setattr(needs_ui, "needs", ServiceStub("needs"))
        patch.setattr(appreciation, "appreciations", ServiceStub("appreciations"))
        patch.setattr(dates, "dates", ServiceStub("dates"))
        patch.setattr(depth_ui, "depth", ServiceStub("depth"))
        patch.setattr(dates, "date_plans", ServiceStub("date_plans"))
        patch.setattr(requests_ui, "requests", ServiceStub("requests"))
        patch.setattr(text_steps, "conversation", ServiceStub("conversation"))
        patch.setattr(memories, "memories", ServiceStub("memories"))
        patch.setattr(gestures, "gestures", ServiceStub("gestures"))
        patch.setattr(days, "important_days", ServiceStub("important_days"))
        patch.setattr(eyes_ui, "eyes", ServiceStub("eyes"))
        patch.setattr(lovelanguage, "love_languages", ServiceStub("love_languages"))
        patch.setattr(flows_ui, "guided_flows", ServiceStub("guided_flows"))
        patch.setattr(unwind_ui, "unwind", ServiceStub("unwind"))
        yield


def tap_update(data: str) -> Update:
    user = TelegramUser(id=USER_ID, first_name="Tapper", is_bot=False)
    query = CallbackQuery(id="1", from_user=user, chat_instance="c", data=data)
    return Update(update_id=1, callback_query=query)


def run(coroutine: Coroutine[Any, Any, None]) -> None:
    """Drive a handler whose awaits all finish at once (nothing here waits for I/O)."""
    try:
        coroutine.send(None)
    except StopIteration:
        return
    coroutine.close()
    raise AssertionError("the handler waited for something")


def matching(data: str) -> list[CallbackQueryHandler[Any, Any]]:
    update = tap_update(data)
    return [h for h in PATTERNED if h.check_update(update)]


def tap(data: str) -> tuple[str, list[tuple[str, object]]]:
    """(the handler reached, what it did), or ("fallback", []) when no pattern matches."""
    found = matching(data)
    assert len(found) <= 1, f"{data!r} matches {[h.pattern for h in found]}"
    if not found:
        return "fallback", []
    handler = found[0]
    name = callback_name(handler)
    if name in BY_VALUE:
        return name, [("value", BY_VALUE[name](data))]
    CURRENT.outcomes = []
    # A context with no runtime: the stubbed services stop every handler before it is used.
    run(handler.callback(tap_update(data), SimpleNamespace(runtime=None)))  # type: ignore[arg-type]
    return name, CURRENT.outcomes


def check_forged(data: str) -> None:
    name, outcomes = tap(data)
    if name == "fallback" or name in BY_VALUE:
        return
    assert len(outcomes) == 1, outcomes  # exactly one refusal or one action
    (what, detail) = outcomes[0]
    if what == "refused":
        assert detail is Stale.NOT_YOURS
        return
    assert what != "nothing"
    assert isinstance(detail, tuple)
    for value in detail:
        if isinstance(value, int):
            assert not isinstance(value, bool)
            assert 0 <= value < ID_LIMIT
        else:  # a day ("pick a day") is parsed, valid, and checked by the service
            assert value is None or isinstance(value, enum.Enum | str | date)


def near_misses(ascii_only: bool) -> st.SearchStrategy[str]:
    """Forgeries built from the real prefixes, with ids, choices and junk between colons."""
    # UTF-8 from Telegram: no lone surrogates
    alphabet = st.characters(max_codepoint=127 if ascii_only else None, exclude_categories=["Cs"])
    choices = [
        m.value
        for kind in (
            NeedReply,
            ReactionKind,
            DateAnswer,
            RequestAnswer,
            RaiseReply,
            Aside,
            TalkTime,
            DayKind,
            Sharing,
        )
        for m in kind
    ]
    segment = st.one_of(
        st.integers(-5, 10**13).map(str),
        st.integers(ID_LIMIT - 5, 10**20).map(str),  # around and beyond the longest id
        st.sampled_from([*choices, "x", "", "0", "007", " 1", "1 ", "+1", "-1", "1_0", "9" * 11]),
        st.text(alphabet, max_size=12),
    )
    mutated = st.sampled_from(PREFIXES).flatmap(
        lambda p: st.sampled_from([p.upper(), p[:-1], " " + p, p + "\n", p.replace(":", "::")])
    )
    shaped = st.builds(  # the right number of parts for the handler behind the prefix
        lambda p, parts: p + ":".join(parts),
        st.sampled_from(PREFIXES),
        st.lists(segment, min_size=1, max_size=2),
    )
    loose = st.builds(
        lambda p, parts: p + ":".join(parts),
        st.sampled_from(PREFIXES) | mutated,
        st.lists(segment, max_size=4),
    )
    forged = [shaped, loose, st.text(alphabet, min_size=1, max_size=MAX_BYTES)]
    if not ascii_only:  # ids written in other scripts' digits, superscripts, circled numbers
        forged.append(
            st.builds(
                lambda p, number, rest: p + ":".join([number, *rest]),
                st.sampled_from(PREFIXES),
                numerals(),
                st.lists(segment, max_size=1),
            )
        )
    return st.one_of(forged)


def fits(data: str) -> bool:
    return 1 <= len(data.encode()) <= MAX_BYTES


def test_the_registered_buttons() -> None:
    names = [callback_name(h) for h in PATTERNED]
    assert len(names) == len(set(names))
    assert set(names) == set(BY_VALUE) | BY_ACTION  # a new button needs a line here
    fallbacks = [h for h in BUTTON_HANDLERS if h.pattern is None]
    assert len(fallbacks) == 1 and BUTTON_HANDLERS[-1] is fallbacks[0]  # the catch-all, last
    assert all(p.startswith("^") for p in PATTERNS)


@given(near_misses(ascii_only=False).filter(fits))
@example("ck:m:1:2")
@example("dt:a\n")
def test_no_two_patterns_match_the_same_data(data: str) -> None:
    assert len(matching(data)) <= 1


@given(near_misses(ascii_only=True).filter(fits))
@example("ap:r:1:2")
@example("ck:s:-1")
@example("rq:1:maybe")
@example("in:1:")
def test_forged_ascii_data_is_refused_or_reaches_one_action(data: str) -> None:
    check_forged(data)


@given(near_misses(ascii_only=False).filter(fits))
@example("ap:r:²")  # what Hypothesis found and shrank to (without this line)
def test_forged_unicode_data_is_refused_or_reaches_one_action(data: str) -> None:
    check_forged(data)


@given(st.one_of(st.text(), st.integers(-10, 10**20).map(str), st.from_regex(r"0*[0-9]{9,13}")))
def test_tap_ids_and_choices_are_refused_or_in_range(text: str) -> None:
    for kind in (
        NeedReply,
        ReactionKind,
        DateAnswer,
        RequestAnswer,
        WhenChoice,
        CounterAnswer,
        CheckReply,
    ):
        try:
            assert tap_choice(kind, text) in kind
        except ExchangeError as error:
            assert error.reason is Stale.NOT_YOURS
    if not text.isascii():
        return  # see test_forged_unicode_data_is_refused_or_reaches_one_action
    parsed = parse_int(text)
    assert parsed is None or 0 <= parsed < ID_LIMIT
    try:
        value = tap_id(text)
    except ExchangeError as error:
        assert error.reason is Stale.NOT_YOURS
    else:
        assert value == parsed and str(value) == text.lstrip("0").rjust(1, "0")


ids = st.integers(1, 2**31 - 1)  # the tables' Integer primary keys
_ = Translator("en")


def photo(ref_id: int) -> Memory:
    """A note of the reader's own with a photo (its page has 📷 and 🗑 buttons)."""
    return Memory(MemoryKind.NOTE, ref_id, NOW, None, (Part(True, None, "w"),), True, False, True)


def buttons(markup: InlineKeyboardMarkup | None) -> list[str]:
    assert markup is not None
    return [str(b.callback_data) for row in markup.inline_keyboard for b in row]


@given(ids, ids)
def test_every_button_the_bot_builds_reaches_its_own_action(first: int, second: int) -> None:
    week = [date(2026, 6, 8) + timedelta(days=i) for i in range(7)]
    step = Step(second, StepKind.CHECKIN_ANSWER, first, None, NOW)
    route = Route(RouteKind.ASK, choices=(step,), held_id=first)
    steps = handlers_text_steps()
    expected: list[tuple[str, str, object]] = [
        *(
            (data, "checkin.on_mood", ("checkins.choose_mood", (first, mood)))
            for data, mood in zip(
                buttons(checkin.mood_question(_, first, None).markup)[:5], range(1, 6), strict=True
            )
        ),
        (
            buttons(checkin.mood_question(_, first, None).markup)[5],
            "gestures.on_hug",
            ("gestures.send_hug", (None,)),
        ),
        (
            buttons(appreciation.appreciation_prompt(_, APPRECIATION_PROMPTS[0], "P", step).markup)[
                0
            ],
            "gestures.on_hug",
            ("gestures.send_hug", (None,)),
        ),
        *(
            (data, "gestures.on_hug", ("gestures.send_hug", (first,)))
            for back in (False, True)
            for data in buttons(gestures.back_keyboard(_, Hug(first, back)))
        ),
        *(
            (data, "days.on_add", ("important_days.ask_date", (kind,)))
            for data, kind in zip(
                buttons(
                    days.days_keyboard(_, []),
                ),
                DayKind,
                strict=True,
            )
        ),
        (
            buttons(days.days_keyboard(_, [Day(second, DayKind.OTHER, 2, 14, "n", None)]))[3],
            "days.on_remove",
            ("important_days.remove_day", (second,)),
        ),
        (
            buttons(days.anniversary_question(_)[1])[0],
            "days.on_add",
            ("important_days.ask_date", (DayKind.ANNIVERSARY,)),
        ),
        (buttons(days.anniversary_question(_)[1])[1], "days.on_not_now", ("value", None)),
        *(
            (data, handler, (action, (first,)))
            for data, handler, action in zip(
                buttons(checkin.question_keyboard(_, first)),
                ("checkin.on_skip_question", "checkin.on_another_question"),
                ("checkins.skip_question", "checkins.another_question"),
                strict=True,
            )
        ),
        *(
            (data, "depth.on_choose", ("depth.choose", (level,)))
            for data, level in zip(buttons(depth_ui.depth_keyboard(_)), Depth, strict=True)
        ),
        *(
            (data, "depth.on_answer", ("depth.answer", (first, level, reply)))
            for level in Depth
            for data, reply in zip(
                buttons(depth_ui.raise_request(_, first, "P", level)[1]), RaiseReply, strict=True
            )
        ),
        (
            buttons(checkin.need_question(_, first, "P", None).markup)[0],
            "checkin.on_skip_need",
            ("checkins.finish", (first, None)),
        ),
        *(
            (data, "checkin.on_reaction", ("checkins.send_reaction", (first, kind)))
            for data, kind in zip(
                buttons(checkin.reaction_keyboard(_, first))[:-1], ReactionKind, strict=True
            )
        ),
        (
            buttons(checkin.reaction_keyboard(_, first))[-1],
            "memories.on_favourite",
            ("memories.toggle_favourite", (MemoryKind.CHECKIN, first)),
        ),
        (
            buttons(appreciation.received_keyboard(_, first))[1],
            "memories.on_favourite",
            ("memories.toggle_favourite", (MemoryKind.APPRECIATION, first)),
        ),
        *(
            (data, "memories.on_page", ("memories.turn_page", (first, page, view)))
            for view in View
            for data, page in zip(
                buttons(memories.page_keyboard(_, Page(first, 1, 3, view, ())))[-2:],
                (0, 2),
                strict=True,
            )
        ),
        *zip(
            buttons(memories.page_keyboard(_, Page(first, 0, 1, View.ALL, (photo(second),)))),
            ("memories.on_photo", "memories.on_take_out"),
            (("memories.photo_of", (second,)), ("memories.take_out", (MemoryKind.NOTE, second))),
            strict=True,
        ),
        *(
            (data, "checkin.on_need_reply", ("checkins.answer_need", (first, choice)))
            for data, choice in zip(
                buttons(checkin.need_request(_, first, "P", "n").markup), NeedReply, strict=True
            )
        ),
        *(
            (data, "needs.on_note_choice", ("needs.leave_note", (first, None, aside)))
            for data, aside in zip(
                buttons(needs_ui.note_prompt(_, first, "P", None).markup),
                (Aside.NOTHING, Aside.TALK),
                strict=True,
            )
        ),
        *(
            (data, "needs.on_talk_time", ("needs.plan_talk", (first, when)))
            for data, when in zip(
                buttons(needs_ui.talk_prompt(_, first).markup), TalkTime, strict=True
            )
        ),
        (
            buttons(checkin.keep_or_share(_, first))[0],
            "checkin.on_keep_private",
            ("checkins.keep_private", (first,)),
        ),
        (
            buttons(checkin.keep_or_share(_, first))[1],
            "checkin.on_share_anyway",
            ("checkins.share_anyway", (first,)),
        ),
        (
            buttons(appreciation.received_keyboard(_, first))[0],
            "appreciation.on_received",
            ("appreciations.acknowledge", (first,)),
        ),
        *(  # built inline in handlers/dates.py on_propose and handlers/requests.py send_request
            (f"dt:r:{first}:{a.value}", "dates.on_answer", ("dates.reply", (first, a)))
            for a in DateAnswer
        ),
        *(
            (f"rq:{first}:{a.value}", "requests.on_answer", ("requests.reply", (first, a)))
            for a in RequestAnswer
        ),
        *(
            (data, "dates.on_when", ("date_plans.plan_day", (first, choice)))
            for data, choice in zip(
                buttons(dates.when_keyboard(_, first))[:3], WhenChoice, strict=True
            )
        ),
        (
            buttons(dates.when_keyboard(_, first))[3],
            "dates.on_when",
            ("date_plans.pick_days", (first,)),
        ),
        *(
            (data, "dates.on_when", ("date_plans.plan_day", (first, day)))
            for data, day in zip(buttons(dates.days_keyboard(_, first, week)), week, strict=True)
        ),
        *(
            (data, "dates.on_rate", ("date_plans.rate_date", (first, rating)))
            for data, rating in zip(
                buttons(dates.feedback_keyboard(first)), sorted(Rating, reverse=True), strict=True
            )
        ),
        (
            f"dh:{first}:{dates.NO_WORDS}",
            "dates.on_rate",
            ("date_plans.finish", (first, None)),
        ),
        *(  # built inline in handlers/requests.py take_counter and send_due_checks
            (
                f"rn:{first}:{second}:{a.value}",
                "requests.on_counter_answer",
                ("requests.answer_counter", (first, second, a)),
            )
            for a in CounterAnswer
        ),
        *(
            (f"rf:{first}:{a.value}", "requests.on_check", ("requests.answer_check", (first, a)))
            for a in CheckReply
        ),
        (
            buttons(steps.choices(_, route, "P"))[0],
            "text_steps.on_choice",
            ("conversation.use_held", (first, second)),
        ),
        (
            buttons(steps.choices(_, route, "P"))[-1],
            "text_steps.on_choice",
            ("conversation.use_held", (first, None)),
        ),
        (f"{pairing.UNPAIR_CONFIRM}{first}", "pairing.unpair_button", ("value", str(first))),
        *zip(
            buttons(eyes_ui.invitation(_, "P", first).markup),
            ("eyes.on_answer", "eyes.on_answer"),
            (("eyes.accept", (first,)), ("eyes.decline", (first,))),
            strict=True,
        ),
        *zip(
            buttons(eyes_ui.choice_prompt(_, first)[1]),
            ("eyes.on_choose",) * 4 + ("flows.on_end",),
            (
                *(("eyes.choose", (first, minutes)) for minutes in (1, 2, 3, 4)),
                ("guided_flows.end", (first,)),
            ),
            strict=True,
        ),
        (
            buttons(eyes_ui.words_prompt(_, first).markup)[0],
            "eyes.on_skip",
            ("eyes.leave_word", (first, None)),
        ),
        *zip(
            buttons(unwind_ui.invitation(_, "P", first).markup),
            ("unwind.on_answer", "unwind.on_answer"),
            (("unwind.accept", (first,)), ("unwind.decline", (first,))),
            strict=True,
        ),
        *zip(
            buttons(unwind_ui.choice_prompt(_, first)[1]),
            ("unwind.on_choose",) * 3 + ("flows.on_end",),
            (
                *(("unwind.choose", (first, minutes)) for minutes in (5, 7, 10)),
                ("guided_flows.end", (first,)),
            ),
            strict=True,
        ),
        *zip(
            buttons(unwind_ui.reply_prompt(_, "P", first).markup),
            ("unwind.on_reply",) * 5 + ("flows.on_end",),
            (
                *(("unwind.reply", (first, index)) for index in range(5)),
                ("guided_flows.end", (first,)),
            ),
            strict=True,
        ),
    ]
    number = first % len(QUIZ) + 1
    expected += [
        *(
            (data, "lovelanguage.on_answer", ("love_languages.answer", (number, choice)))
            for data, choice in zip(
                buttons(
                    lovelanguage.question_message(_, Question(number, QUIZ[number - 1])).markup
                ),
                (0, 1),
                strict=True,
            )
        ),
        *(
            (data, "lovelanguage.on_share", ("love_languages.share", (choice,)))
            for data, choice in zip(
                buttons(lovelanguage.share_keyboard(_)), (Sharing.SHARE, Sharing.KEEP), strict=True
            )
        ),
        (
            buttons(lovelanguage.overview_message(_, Overview(None, False, None), None).markup)[0],
            "lovelanguage.on_start",
            ("love_languages.start", ()),
        ),
    ]
    idea = DATE_IDEAS[first % len(DATE_IDEAS)]
    propose, another = buttons(dates.idea_message(_, idea, "P").markup)
    expected += [
        (propose, "dates.on_propose", ("dates.propose_idea", (idea.key,))),
        (another, "dates.on_another", ("value", None)),
    ]
    for data, handler, outcome in expected:
        assert fits(data), data
        assert tap(data) == (handler, [outcome]), data


def handlers_text_steps() -> text_steps.TextSteps:
    on_choice = next(h for h in PATTERNED if callback_name(h) == "text_steps.on_choice")
    owner = on_choice.callback.__self__  # type: ignore[attr-defined]
    assert isinstance(owner, text_steps.TextSteps)
    return owner


def test_the_fixed_buttons_reach_their_handlers() -> None:
    fixed = [
        ("pair", "pairing.pair", None),
        (pairing.UNPAIR_CANCEL, "pairing.unpair_button", pairing.UNPAIR_CANCEL),
        (privacy.DELETE_YES, "privacy.delete_button", True),
        (privacy.DELETE_NO, "privacy.delete_button", False),
        *(
            (data, "settings.timezone_button", data.removeprefix("tz:"))
            for data in buttons(zone_keyboard())
        ),
        *(
            (data, "settings.language_button", data.removeprefix(settings.LANG_CALLBACK))
            for data in buttons(settings.language_keyboard())
        ),
    ]
    for data, handler, value in fixed:
        assert fits(data), data
        assert tap(data) == (handler, [("value", value)]), data
