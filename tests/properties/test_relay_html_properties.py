"""Words one partner typed, as the other partner sees them: the HTML the bot sends is parsed
the way Telegram does (the local Bot API's parser) and must show the words exactly, without
failing and without picking up any formatting from them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.local_api.entities import slice_utf16
from bot.local_api.html_entities import parse_html
from bot.prompt_bank import CHECKIN_QUESTIONS, DATE_IDEAS
from bot.services.checkins import NeedReply, ReactionKind, Reveal, Shared, SharedAnyway
from bot.services.dates import DateAnswer
from bot.services.people import Person
from bot.services.recap import Moment, WeekRecap
from bot.services.requests import RequestAnswer
from bot.services.rituals import Ritual
from bot.services.time_parsing import TimeError, TimeSpecError
from handlers import appreciation, checkin, common, dates, pairing, recap, requests, rituals
from locales import LANGUAGES, Translator

# Fragments that matter to an HTML parser, and to str.format.
TRICKY = [
    "<", ">", "&", '"', "'", "&amp;", "&lt;", "&#60;", "&#x3C;", "&#0;", "&nbsp;", "&amp",
    "<b>", "</b>", "<i>", "</i>", '<a href="https://example.org">', "</a>", "<tg-spoiler>",
    "<br>", "<!--", "-->", "<pre>", "</", "{partner}", "{0}", "{", "}", "%s", "\n", "\r\n",
    "\t", " ", "💞", "👩‍❤️‍👨", "\u200d", "\u202e", "\ufeff", "\x00", "ℌ", "⁠", "ﬀ",
]  # fmt: skip
OPEN, CLOSE = "⦃", "⦄"  # marks the places of the words in the template

user_texts = st.one_of(
    st.text(min_size=1),  # any Unicode without surrogates
    st.lists(st.sampled_from(TRICKY) | st.text(max_size=3), min_size=1, max_size=12).map("".join),
).filter(lambda text: text != "" and OPEN not in text)


def token(index: int) -> str:
    return f"{OPEN}{index}{CLOSE}"


@dataclass(frozen=True)
class Relay:
    name: str
    words: int  # how many user-typed texts it takes
    build: Callable[[Translator, Sequence[str], int], str]  # (_, texts, choice) -> HTML

    def __str__(self) -> str:
        return self.name


def _reveal(_: Translator, texts: Sequence[str], pick: int) -> str:
    partner_name, mine, my_need, theirs, their_need = texts
    question = CHECKIN_QUESTIONS[pick % len(CHECKIN_QUESTIONS)]
    opened = datetime(2026, 3, 2, 21, 0, tzinfo=UTC)
    reader = Person(1, 1, "Reader", "en", "UTC", 1)
    partner = Person(2, 2, partner_name, "en", "UTC", 1)
    shared = {
        1: Shared(pick % 5 + 1, mine, my_need),
        2: Shared((pick + 2) % 5 + 1, theirs, their_need),
    }
    return checkin.reveal_text(_, Reveal(7, opened, question, shared), reader, partner)


def _recap(_: Translator, texts: Sequence[str], pick: int) -> str:
    partner_name, author, words = texts
    days = [date(2026, 3, 1) + timedelta(days=i) for i in range(7)]
    week = WeekRecap(
        days=days,
        my_moods=[3] * 7,
        partner_moods=[4] * 7,
        both_checked_in=pick % 8,
        streak=pick % 3,
        dates_done=1,
        favourite=(author, words),
        moment=Moment(author, CHECKIN_QUESTIONS[pick % len(CHECKIN_QUESTIONS)], words),
        partner_name=partner_name,
    )
    return recap.recap_text(_, week)


def _pick(options: Sequence[object], pick: int) -> object:
    return options[pick % len(options)]


UNTIL = datetime(2026, 3, 9, 8, 0, tzinfo=UTC)
WORD_ERRORS = [TimeError.UNKNOWN_RITUAL, TimeError.BAD_WEEKDAY, TimeError.BAD_TIME]

RELAYS = [
    Relay("appreciation.relay_text", 2, lambda _, t, p: appreciation.relay_text(_, *t)),
    Relay("appreciation.received_relay", 1, lambda _, t, p: appreciation.received_relay(_, *t)),
    Relay("requests.request_text", 2, lambda _, t, p: requests.request_text(_, *t)),
    Relay(
        "requests.answer_relay",
        2,
        lambda _, t, p: requests.answer_relay(_, *t, _pick(list(RequestAnswer), p)),
    ),
    Relay("requests.counter_relay", 3, lambda _, t, p: requests.counter_relay(_, *t)),
    Relay("checkin.reveal_text", 5, _reveal),
    Relay("checkin.need_request", 2, lambda _, t, p: checkin.need_request(_, 7, *t).text),
    Relay(
        "checkin.need_reply_relay",
        2,
        lambda _, t, p: checkin.need_reply_relay(_, *t, _pick(list(NeedReply), p)),
    ),
    Relay(
        "checkin.reaction_relay",
        1,
        lambda _, t, p: checkin.reaction_relay(_, *t, _pick(list(ReactionKind), p)),
    ),
    Relay(
        "checkin.shared_anyway_text",
        2,
        lambda _, t, p: checkin.shared_anyway_text(
            _,
            t[0],
            SharedAnyway(UNTIL, _pick(CHECKIN_QUESTIONS, p), Shared(p % 5 + 1, t[1], None)),
            "UTC",
        ),
    ),
    Relay("common.relay_refusal", 1, lambda _, t, p: common.relay_refusal(_, *t)),
    Relay("pairing.paired_text", 1, lambda _, t, p: pairing.paired_text(_, *t)),
    Relay("pairing.invite_accepted_text", 1, lambda _, t, p: pairing.invite_accepted_text(_, *t)),
    Relay("pairing.pairing_ended_text", 1, lambda _, t, p: pairing.pairing_ended_text(_, *t, 365)),
    Relay(
        "dates.proposal_text",
        1,
        lambda _, t, p: dates.proposal_text(_, *t, _pick(DATE_IDEAS, p)),
    ),
    Relay(
        "dates.outcome_text",
        1,
        lambda _, t, p: dates.outcome_text(_, *t, _pick(DATE_IDEAS, p), _pick(list(DateAnswer), p)),
    ),
    Relay(
        "rituals.partner_paused_text",
        1,
        lambda _, t, p: rituals.partner_paused_text(_, *t, UNTIL, "UTC"),
    ),
    Relay("rituals.partner_resumed_text", 1, lambda _, t, p: rituals.partner_resumed_text(_, *t)),
    Relay("rituals.not_your_pause_text", 1, lambda _, t, p: rituals.not_your_pause_text(_, *t)),
    Relay("rituals.resume_wished_text", 1, lambda _, t, p: rituals.resume_wished_text(_, *t)),
    Relay(
        "rituals.time_error_text",  # echoes the word the user typed after /time
        1,
        lambda _, t, p: rituals.time_error_text(
            _, TimeSpecError(_pick(WORD_ERRORS, p), _pick(list(Ritual), p), word=t[0])
        ),
    ),
    Relay("recap.recap_text", 3, _recap),
]


def seen(html: str) -> tuple[str, list[dict[str, object]]]:
    """What the recipient sees: plain text and entities (raises on markup Telegram refuses)."""
    return parse_html(html)


def covered(text: str, entity: dict[str, object]) -> str:
    offset, length = entity["offset"], entity["length"]
    assert isinstance(offset, int) and isinstance(length, int)
    return slice_utf16(text, offset, length)


@pytest.mark.parametrize("relay", RELAYS, ids=str)
@settings(max_examples=max(25, settings.default.max_examples // 4))
@given(st.sampled_from(sorted(LANGUAGES)), st.data(), st.integers(0, 59))
def test_the_partner_sees_the_words_exactly(
    relay: Relay, language: str, data: st.DataObject, pick: int
) -> None:
    texts = data.draw(st.lists(user_texts, min_size=relay.words, max_size=relay.words))
    _ = Translator(language)
    tokens = [token(i) for i in range(relay.words)]

    def fill(template_text: str) -> str:
        for marker, text in zip(tokens, texts, strict=True):
            template_text = template_text.replace(marker, text)
        return template_text

    template_plain, template_entities = seen(relay.build(_, tokens, pick))
    assert all(marker in template_plain for marker in tokens)  # every text is shown

    plain, entities = seen(relay.build(_, texts, pick))  # never an unparsable message

    assert plain == fill(template_plain)  # the words, literally, where they belong
    # and no formatting from the words: the same entities, over the same stretches
    assert [e["type"] for e in entities] == [e["type"] for e in template_entities]
    for entity, template_entity in zip(entities, template_entities, strict=True):
        assert covered(plain, entity) == fill(covered(template_plain, template_entity))
