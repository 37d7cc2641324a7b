"""The love-language quiz (/lovelanguage): ten forced choices, every pair of the five languages
once, so each language comes up four times. The five ways of feeling loved are described in
seed 004; the texts are our own.

Each option is short enough for a button of its own row. Texts are translated when shown."""

from __future__ import annotations

from dataclasses import dataclass

from bot.prompt_bank import LoveLanguage
from locales import N_

L = LoveLanguage


@dataclass(frozen=True, slots=True)
class Option:
    language: LoveLanguage
    text: str  # N_() English


QUIZ: tuple[tuple[Option, Option], ...] = (
    (
        Option(L.WORDS, N_("Hearing “I'm proud of you”")),
        Option(L.TIME, N_("An evening together, phones away")),
    ),
    (
        Option(L.GIFTS, N_("A small surprise picked just for me")),
        Option(L.SERVICE, N_("Someone doing a chore I dread")),
    ),
    (
        Option(L.TOUCH, N_("A long hug when I get home")),
        Option(L.WORDS, N_("A sweet message in the middle of the day")),
    ),
    (
        Option(L.TIME, N_("A long walk, just the two of us")),
        Option(L.GIFTS, N_("A souvenir brought back from a trip")),
    ),
    (
        Option(L.SERVICE, N_("Coffee made before I wake up")),
        Option(L.TOUCH, N_("Holding hands on a walk")),
    ),
    (
        Option(L.WORDS, N_("Being told what they admire in me")),
        Option(L.GIFTS, N_("Flowers or a treat for no reason")),
    ),
    (
        Option(L.TIME, N_("Being listened to, with full attention")),
        Option(L.SERVICE, N_("Help with a task when I'm swamped")),
    ),
    (
        Option(L.GIFTS, N_("A present that shows they listened")),
        Option(L.TOUCH, N_("Sitting close together on the sofa")),
    ),
    (
        Option(L.SERVICE, N_("Errands sorted without my asking")),
        Option(L.WORDS, N_("A heartfelt thank-you, said out loud")),
    ),
    (
        Option(L.TOUCH, N_("A shoulder rub after a long day")),
        Option(L.TIME, N_("A free Sunday with nothing planned but us")),
    ),
)

# How each language is named in a sentence ("... feels most loved through {first} and {second}").
NAMES: dict[LoveLanguage, str] = {
    L.WORDS: N_("words of affirmation"),
    L.TIME: N_("quality time"),
    L.GIFTS: N_("thoughtful gifts"),
    L.SERVICE: N_("acts of service"),
    L.TOUCH: N_("physical touch"),
}

# What a language means for the one who took the quiz, in the second person.
FOR_YOU: dict[LoveLanguage, str] = {
    L.WORDS: N_(
        "Kind words reach you deeply: a compliment, a thank-you or an “I'm proud of you” "
        "can carry your whole day."
    ),
    L.TIME: N_(
        "What fills you up is undivided attention: time together where nothing else "
        "competes for it."
    ),
    L.GIFTS: N_(
        "A small, well-chosen gift tells you that you were on someone's mind; the thought "
        "counts far more than the price."
    ),
    L.SERVICE: N_(
        "You feel cared for when someone lightens your load: a chore done, a task taken "
        "off your plate."
    ),
    L.TOUCH: N_(
        "Closeness you can feel, like a hug, a hand to hold or sitting side by side, tells "
        "you most clearly that you are loved."
    ),
}

# A concrete idea for the partner who reads a shared profile.
TRY: dict[LoveLanguage, str] = {
    L.WORDS: N_("Try telling them, in one sentence, something you admire about them."),
    L.TIME: N_("Try an evening with both phones in another room, just the two of you."),
    L.GIFTS: N_("Try bringing home a little thing that made you think of them."),
    L.SERVICE: N_("Try taking one task off their list this week, without being asked."),
    L.TOUCH: N_("Try a long hug when you see each other again after the day."),
}
