"""The prompt bank: enough prompts, stable keys, safe texts, every text extractable by Babel,
and ideas (never sentences) taken from the seed articles."""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file

import bot.prompt_bank as bank
from bot.prompt_bank import (
    APPRECIATION_PROMPTS,
    CHECKIN_QUESTIONS,
    DATE_IDEAS,
    DATE_KIND_LABELS,
    RETIRED,
    SEEDS,
    CheckinQuestion,
    DateIdea,
    DateKind,
    Depth,
    LoveLanguage,
    Practice,
    Prompt,
    by_key,
    love_quiz,
)
from tests.guards import SeedsAction, ci_enabled, missing_seeds_action, seeds_dir

BANK_DIR = Path(bank.__file__).resolve().parent
CONTENT_MODULES = ("checkin.py", "appreciation.py", "dates.py")
REPO_ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = seeds_dir(os.environ, REPO_ROOT)  # SEEDS_DIR, else ../shared/seeds

# Issue 14's minimums: enough that ordinary use never runs out within 60 days.
CATEGORIES: dict[str, tuple[tuple[Prompt, ...], int]] = {
    "checkin": (CHECKIN_QUESTIONS, 120),
    "appreciation": (APPRECIATION_PROMPTS, 120),
    "date": (DATE_IDEAS, 90),
}
DEPTH_MINIMUMS = {Depth.LIGHT: 60, Depth.MEDIUM: 30, Depth.DEEP: 30}
# Practices of the seeds that had no prompt before issue 14: each gets a few.
SEED_PRACTICES_ADDED = (
    Practice.REPAIR,
    Practice.LETTING_GO,
    Practice.AGREEMENTS,
    Practice.FOLLOWING_UP,
    Practice.TWO_FEARS,
    Practice.TRUST,
    Practice.SPIRITUAL_CONNECTION,
    Practice.SELF_SOOTHING,
    Practice.LISTENING,
)
ALL: tuple[Prompt, ...] = (*CHECKIN_QUESTIONS, *APPRECIATION_PROMPTS, *DATE_IDEAS)
BANK: tuple[Prompt, ...] = (*ALL, *RETIRED)  # every key ever given out
ALL_TEXTS: list[str] = [p.text for p in BANK] + list(DATE_KIND_LABELS.values())
# The love-language quiz (its options, names and sentences) is in our own words too.
QUIZ_TEXTS: list[str] = [
    *(option.text for pair in love_quiz.QUIZ for option in pair),
    *love_quiz.NAMES.values(),
    *love_quiz.FOR_YOU.values(),
    *love_quiz.TRY.values(),
]

SHINGLE = 7  # a shared run of this many words counts as a copied sentence


def words(text: str) -> list[str]:
    """Lowercased words, punctuation stripped (apostrophes dropped: "don't" -> "dont")."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'").replace("'", "")
    return re.findall(r"[a-z0-9]+", text)


def shingles(text: str, n: int = SHINGLE) -> set[tuple[str, ...]]:
    w = words(text)
    return {tuple(w[i : i + n]) for i in range(len(w) - n + 1)}


@pytest.mark.parametrize("category", CATEGORIES)
def test_counts(category: str) -> None:
    prompts, minimum = CATEGORIES[category]
    assert len(prompts) >= minimum


def test_depths_meet_the_minimums() -> None:
    count = Counter(q.depth for q in CHECKIN_QUESTIONS)
    assert {d: count[d] for d in Depth if count[d] < DEPTH_MINIMUMS[d]} == {}


@pytest.mark.parametrize("practice", SEED_PRACTICES_ADDED)
def test_seed_practices_covered(practice: Practice) -> None:
    assert len([p for p in ALL if p.practice is practice]) >= 4


@pytest.mark.parametrize("category", CATEGORIES)
def test_keys_well_formed_per_category(category: str) -> None:
    prompts, _minimum = CATEGORIES[category]
    pattern = re.compile(rf"{re.escape(category)}\.\d{{3}}")
    retired = [p for p in RETIRED if p.key.startswith(category + ".")]
    bad = [p.key for p in (*prompts, *retired) if not pattern.fullmatch(p.key)]
    assert bad == []


def test_keys_unique() -> None:
    duplicates = [k for k, n in Counter(p.key for p in BANK).items() if n > 1]
    assert duplicates == []


@pytest.mark.parametrize("category", CATEGORIES)
def test_no_key_ever_deleted(category: str) -> None:
    # Keys are numbered from 001 without gaps: a prompt is retired, never deleted, so a
    # stored key always finds its prompt and no number can be given out twice.
    numbers = sorted(int(p.key.split(".")[1]) for p in BANK if p.key.startswith(category + "."))
    assert numbers == list(range(1, len(numbers) + 1))


def test_retired_prompts_are_never_offered_yet_still_found() -> None:
    assert RETIRED, "the bank has retired prompts (issue 14)"
    assert all(p.retired for p in RETIRED)
    assert not any(p.retired for p in ALL)
    offered = {p.key for p in (*CHECKIN_QUESTIONS, *APPRECIATION_PROMPTS, *DATE_IDEAS)}
    assert offered.isdisjoint(p.key for p in RETIRED)
    for prompt in RETIRED:
        assert by_key(prompt.key) is prompt


def test_hurtful_prompts_are_retired() -> None:
    # Issue 14's examples: words sent bare as an appreciation, closeness compared side by side.
    assert by_key("appreciation.034") in RETIRED  # three words for how your partner makes you feel
    assert by_key("checkin.031") in RETIRED  # when did you last feel really close?


def test_texts_unique_case_insensitive() -> None:
    counts = Counter(t.casefold() for t in ALL_TEXTS)
    assert [t for t, n in counts.items() if n > 1] == []


def test_types() -> None:
    assert all(type(p) is CheckinQuestion for p in CHECKIN_QUESTIONS)
    assert all(type(p) in (CheckinQuestion, Prompt, DateIdea) for p in RETIRED)
    assert all(isinstance(p.depth, Depth) for p in CHECKIN_QUESTIONS)
    assert all(type(p) is Prompt for p in APPRECIATION_PROMPTS)
    assert all(isinstance(p, DateIdea) and isinstance(p.kind, DateKind) for p in DATE_IDEAS)
    assert all(isinstance(p.practice, Practice) for p in ALL)


def test_every_practice_used() -> None:
    unused = set(Practice) - {p.practice for p in ALL}
    assert unused == set()


def test_naming_needs_available_for_the_recap() -> None:
    needs = [p for p in CHECKIN_QUESTIONS if p.practice is Practice.NAMING_NEEDS]
    assert len(needs) >= 4


def test_seeds_known_and_all_used() -> None:
    assert all(p.seed in SEEDS for p in BANK)
    assert {p.seed for p in ALL} == set(SEEDS)
    assert all(name.startswith(seed + "_") for seed, name in SEEDS.items())


def test_every_date_kind_well_used() -> None:
    counts = Counter(p.kind for p in DATE_IDEAS)
    assert {kind: counts[kind] for kind in DateKind if counts[kind] < 8} == {}
    assert set(DATE_KIND_LABELS) == set(DateKind)


@pytest.mark.parametrize("text", ALL_TEXTS)
def test_text_safe_for_telegram_html_and_shown_as_is(text: str) -> None:
    assert not set(text) & set("<>&{}")
    assert "%" not in text  # would be flagged python-format by Babel
    assert text == text.strip() and "  " not in text and "\n" not in text


@pytest.mark.parametrize("text", [p.text for p in BANK])
def test_text_length_and_apostrophes(text: str) -> None:
    assert 15 <= len(text) <= 220
    assert "\u2019" not in text and "\u2018" not in text  # plain ASCII apostrophes throughout
    assert text[-1] in ".?!", "ends like a sentence"


def test_by_key_round_trips() -> None:
    for prompt in BANK:
        assert by_key(prompt.key) is prompt


def test_by_key_unknown() -> None:
    for key in ("checkin.000", "date.999", "appreciation.1", "", "nope"):
        with pytest.raises(KeyError):
            by_key(key)


def test_tags_name_the_love_languages_only_on_appreciations_and_date_ideas() -> None:
    tagged = [p for p in BANK if p.serves]
    assert {p.key.split(".")[0] for p in tagged} == {"appreciation", "date"}
    assert all(isinstance(p.serves, frozenset) for p in BANK)
    for language in LoveLanguage:  # each language has prompts to lean toward
        assert sum(1 for p in APPRECIATION_PROMPTS if language in p.serves) >= 2
        assert sum(1 for p in DATE_IDEAS if language in p.serves) >= 4


def test_the_quiz_pairs_every_two_languages_once() -> None:
    pairs = [frozenset(option.language for option in pair) for pair in love_quiz.QUIZ]
    assert len(pairs) == len(set(pairs)) == 10 and all(len(pair) == 2 for pair in pairs)
    assert set(love_quiz.NAMES) == set(love_quiz.FOR_YOU) == set(love_quiz.TRY) == set(LoveLanguage)


def test_prompts_are_frozen() -> None:
    with pytest.raises(AttributeError):
        CHECKIN_QUESTIONS[0].text = "changed"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        DATE_IDEAS[0].kind = DateKind.OUT  # type: ignore[misc]


def _extracted(path: Path) -> list[str]:
    messages = []
    for _line, message, _comments, _context in extract_from_file(
        "python", str(path), keywords={"N_": None}
    ):
        messages.append(message if isinstance(message, str) else message[0])
    return messages


def test_every_text_extracted_by_babel() -> None:
    extracted: list[str] = []
    for name in CONTENT_MODULES:
        extracted += _extracted(BANK_DIR / name)
    texts = [p.text for p in BANK]  # retired texts stay translated: old exchanges show them
    missing = [t for t in texts if t not in set(extracted)]
    assert missing == []
    # ... and nothing else is marked there (e.g. a text split by mistake into two N_ calls).
    assert sorted(extracted) == sorted(texts)


def test_kind_labels_extracted_by_babel() -> None:
    extracted = set(_extracted(BANK_DIR / "__init__.py"))
    assert set(DATE_KIND_LABELS.values()) <= extracted


def test_shingle_check_catches_copied_sentences() -> None:
    # Guards the guard: the comparison below must notice a sentence lifted from a text.
    source = "Well, \u201cDon\u2019t\u201d look back: ask about your day and listen to the answer."
    copied = "Don't look back! Ask about your day, and listen."
    assert shingles(copied) & shingles(source)
    assert not shingles("Ask about your day and then listen.") & shingles(source)


def test_ideas_never_sentences_from_seeds() -> None:
    action, reason = missing_seeds_action(SEEDS_DIR, ci=ci_enabled(os.environ))
    if action is SeedsAction.FAIL:
        pytest.fail(reason)
    if action is SeedsAction.SKIP:
        pytest.skip(reason)
    seed_shingles: set[tuple[str, ...]] = set()
    for name in SEEDS.values():
        seed_shingles |= shingles((SEEDS_DIR / name).read_text(encoding="utf-8"))
    assert len(seed_shingles) > 1000
    copied = {
        text: sorted(" ".join(s) for s in shingles(text) & seed_shingles)
        for text in (*ALL_TEXTS, *QUIZ_TEXTS)
        if shingles(text) & seed_shingles
    }
    assert copied == {}
