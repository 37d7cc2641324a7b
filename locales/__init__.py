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
    "es": "Español",
    "fr": "Français",
    "pt_BR": "Português (Brasil)",
    "ru": "Русский",
    "uk": "Українська",
}


def match_language(text: str | None) -> str | None:
    """A supported language for a code (`de`, `de-AT`, `pt-br`, `pt`) or a name (`Deutsch`),
    or None."""
    if not text:
        return None
    wanted = text.strip().replace("-", "_").lower()
    by_code = {code.lower(): code for code in LANGUAGES}
    if wanted in by_code:
        return by_code[wanted]
    by_name = {name.lower(): code for code, name in LANGUAGES.items()}
    if wanted in by_name:
        return by_name[wanted]
    base = wanted.split("_", 1)[0]
    if base in by_code:
        return by_code[base]
    # A regional code of a language we speak in another region: `pt_PT` -> `pt_BR`.
    return next((code for code in LANGUAGES if code.split("_", 1)[0].lower() == base), None)


def resolve_language(code: str | None) -> str:
    """Map a Telegram `language_code` to a supported language; anything unknown -> English."""
    return match_language(code) or DEFAULT_LANGUAGE


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
