"""The prompt bank: the day's check-in questions, appreciation prompts and date ideas.

Every text is English source text marked with `N_` so `pybabel extract` picks it up; translate
it at the moment it is shown (`_(prompt.text)`). Each prompt names the practice it comes from
and the seed article (see `SEEDS`, the files in `shared/seeds/`) that describes that practice.
The texts take ideas from the seeds, never sentences.

Keys are stable ids (`checkin.001`, `appreciation.001`, `date.001`): they are stored in the
database, so a key is never renumbered, reused or deleted. Add new prompts with the next free
number. Retire a prompt (e.g. one that can hurt a strained couple) by marking it
`retired=True` where it stands: it is never offered again, yet `by_key` still finds it, so an
old check-in, appreciation or date shows its text (and its translations stay in use).
`CHECKIN_QUESTIONS`, `APPRECIATION_PROMPTS` and `DATE_IDEAS` hold the prompts in use;
`RETIRED` the retired ones.

Texts are sent with Telegram's HTML parse mode and shown as they are, so they contain no
`<`, `>`, `&` and no `{placeholders}`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from locales import N_


class Practice(enum.StrEnum):
    """The practice of emotional intimacy a prompt puts into action."""

    DAILY_CHECKIN = "daily_checkin"
    NAMING_NEEDS = "naming_needs"
    CLEAR_REQUESTS = "clear_requests"
    RECIPROCAL_SHARING = "reciprocal_sharing"
    APPRECIATION = "appreciation"
    POSITIVE_TRAITS = "positive_traits"
    NEW_EXPERIENCES = "new_experiences"
    DATE_NIGHT = "date_night"
    EYE_CONTACT = "eye_contact"
    LOVE_LANGUAGES = "love_languages"
    CONNECTED_TIMES = "connected_times"
    SHARED_DREAMS = "shared_dreams"
    FULL_ATTENTION = "full_attention"
    VULNERABILITY = "vulnerability"
    LAUGHTER = "laughter"
    KINDNESS = "kindness"
    SELF_REFLECTION = "self_reflection"
    SELF_CARE = "self_care"
    REPAIR = "repair"  # apologising quickly, making up (001)
    LETTING_GO = "letting_go"  # letting go of keeping score, forgiveness (000, 004)
    AGREEMENTS = "agreements"  # agreements and blameless accountability (000)
    FOLLOWING_UP = "following_up"  # talking along the way about how a need is met (000)
    TWO_FEARS = "two_fears"  # losing yourself, losing each other (000)
    TRUST = "trust"  # (000)
    SPIRITUAL_CONNECTION = "spiritual_connection"  # awe, wonder, something beyond you (004)
    SELF_SOOTHING = "self_soothing"  # calming yourself before sharing (002)
    LISTENING = "listening"  # advice or just listening: witness without fixing (002)


class LoveLanguage(enum.StrEnum):
    """The five ways of feeling loved (seed 004): a prompt that clearly serves one is tagged
    with it, so the picker can lean toward what the receiver shared (see `love_languages`)."""

    WORDS = "words"  # words of affirmation
    TIME = "time"  # quality time
    GIFTS = "gifts"  # receiving gifts
    SERVICE = "service"  # acts of service
    TOUCH = "touch"  # physical touch


# Seed id -> file name in shared/seeds/ (see its README for what each article covers).
SEEDS: dict[str, str] = {
    "000": "000_6434c7d983e21428.txt",  # 14 tips for establishing emotional intimacy
    "001": "001_a319d5eb6b14dc45.txt",  # How to build emotional intimacy (20 ways)
    "002": "002_bbd993f33eced6f3.txt",  # Understand and build emotional intimacy
    "003": "003_73223f535c9d04a3.txt",  # How to build emotional intimacy in your relationship
    "004": "004_ba8e3355bf98404c.txt",  # 10 proven ways to increase emotional intimacy
}


@dataclass(frozen=True, slots=True)
class Prompt:
    key: str  # stable id, never reused or renumbered: "checkin.001"
    text: str  # English source text, marked with N_ for extraction
    practice: Practice
    seed: str  # a key of SEEDS
    # The prompt asks for a picture: a photo (with its caption) is accepted as the answer.
    invites_photo: bool = field(default=False, kw_only=True)
    retired: bool = field(default=False, kw_only=True)  # never offered again; see above
    # The love languages the prompt clearly serves (appreciation prompts and date ideas).
    serves: frozenset[LoveLanguage] = field(default=frozenset(), kw_only=True)


class Depth(enum.IntEnum):
    """How much a check-in question asks of someone: a light one suits any evening, a deep
    one asks for something rarely said. Ordered, so a ceiling compares: LIGHT < DEEP."""

    LIGHT = 1
    MEDIUM = 2
    DEEP = 3

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckinQuestion(Prompt):
    depth: Depth  # required, by keyword: CheckinQuestion("checkin.001", ..., depth=Depth.LIGHT)


class DateKind(enum.StrEnum):
    AT_HOME = "at_home"
    OUT = "out"
    NEW = "new"
    FREE = "free"


DATE_KIND_LABELS: dict[DateKind, str] = {
    DateKind.AT_HOME: N_("At home"),
    DateKind.OUT: N_("Out"),
    DateKind.NEW: N_("Something new"),
    DateKind.FREE: N_("Free"),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class DateIdea(Prompt):
    kind: DateKind  # required, by keyword: DateIdea("date.001", ..., kind=DateKind.FREE)


# The content modules import the types above, so they are imported only once those exist.
from bot.prompt_bank.appreciation import APPRECIATION_BANK  # noqa: E402
from bot.prompt_bank.checkin import CHECKIN_BANK  # noqa: E402
from bot.prompt_bank.dates import DATE_BANK  # noqa: E402

CHECKIN_QUESTIONS: tuple[CheckinQuestion, ...] = tuple(p for p in CHECKIN_BANK if not p.retired)
APPRECIATION_PROMPTS: tuple[Prompt, ...] = tuple(p for p in APPRECIATION_BANK if not p.retired)
DATE_IDEAS: tuple[DateIdea, ...] = tuple(p for p in DATE_BANK if not p.retired)
ALL_PROMPTS: tuple[Prompt, ...] = (*CHECKIN_QUESTIONS, *APPRECIATION_PROMPTS, *DATE_IDEAS)
RETIRED: tuple[Prompt, ...] = tuple(
    p for p in (*CHECKIN_BANK, *APPRECIATION_BANK, *DATE_BANK) if p.retired
)

_BY_KEY: dict[str, Prompt] = {prompt.key: prompt for prompt in (*ALL_PROMPTS, *RETIRED)}


def by_key(key: str) -> Prompt:
    """The prompt with this key, retired ones included; KeyError when there is none."""
    return _BY_KEY[key]


__all__ = [
    "ALL_PROMPTS",
    "APPRECIATION_PROMPTS",
    "CHECKIN_QUESTIONS",
    "DATE_IDEAS",
    "DATE_KIND_LABELS",
    "RETIRED",
    "SEEDS",
    "CheckinQuestion",
    "DateIdea",
    "DateKind",
    "Depth",
    "LoveLanguage",
    "Practice",
    "Prompt",
    "by_key",
]
