"""Words: gettext catalogs per language, and the rules for picking one.

Catalogs live in `locales/<lang>/LC_MESSAGES/messages.po`; the compiled `.mo` files are
committed next to them (a test keeps them in step with the `.po` files), so translations work
however the package is installed.
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path

LOCALES_DIR = Path(__file__).parent
DOMAIN = "messages"
DEFAULT_LANGUAGE = "en"

# Language code -> the language's own name, in the order shown to users.
LANGUAGES: dict[str, str] = {
    "en": "English",
    "de": "Deutsch",
}


def supported_languages() -> tuple[str, ...]:
    return tuple(LANGUAGES)


def resolve_language(code: str | None) -> str:
    """Map a Telegram `language_code` (e.g. `de-AT`, `pt-br`) to a supported language."""
    if not code:
        return DEFAULT_LANGUAGE
    normalized = code.strip().replace("-", "_")
    if normalized in LANGUAGES:
        return normalized
    for candidate in LANGUAGES:
        if candidate.lower() == normalized.lower():
            return candidate
    base = normalized.split("_", 1)[0].lower()
    if base in LANGUAGES:
        return base
    return DEFAULT_LANGUAGE


@cache
def translation(language: str) -> gettext.NullTranslations:
    """The catalog for a supported language (English source strings when there is none)."""
    if language == DEFAULT_LANGUAGE or language not in LANGUAGES:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, localedir=str(LOCALES_DIR), languages=[language])


class Translator:
    """Per-update translator: `_ = Translator("de"); _("Hello")`."""

    __slots__ = ("_t", "language")

    def __init__(self, language: str) -> None:
        self.language = language if language in LANGUAGES else DEFAULT_LANGUAGE
        self._t = translation(self.language)

    def __call__(self, message: str) -> str:
        return self._t.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._t.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet."""
    return message
