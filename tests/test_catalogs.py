"""The gettext catalogs: compiled files in step with sources, and nothing untranslated."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from locales import LANGUAGES, LOCALES_DIR, Translator

ROOT = Path(__file__).resolve().parent.parent
TRANSLATED = [code for code in LANGUAGES if code != "en"]


def _po(code: str):  # type: ignore[no-untyped-def]
    with open(LOCALES_DIR / code / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f)


def _key(value: object) -> object:
    """Singular entries are strings; plural ones tuples or lists (made hashable here)."""
    return value if isinstance(value, str) else tuple(value)  # type: ignore[call-overload]


def _strings(value: object) -> list[str]:
    return [value] if isinstance(value, str) else list(value)  # type: ignore[call-overload]


def test_compiled_catalogs_match_sources() -> None:
    for code in TRANSLATED:
        po = _po(code)
        with open(LOCALES_DIR / code / "LC_MESSAGES" / "messages.mo", "rb") as f:
            mo = read_mo(f)
        expected = {
            _key(m.id): _key(m.string) for m in po if m.id and m.string and "fuzzy" not in m.flags
        }
        actual = {_key(m.id): _key(m.string) for m in mo if m.id}
        assert actual == expected, f"{code}: run `pybabel compile -d locales -D messages`"


def test_every_message_translated() -> None:
    for code in TRANSLATED:
        bad = [
            m.id
            for m in _po(code)
            if m.id and (not _key(m.string) or not all(_strings(m.string)) or "fuzzy" in m.flags)
        ]
        assert bad == [], f"{code} lacks translations for {bad}"


def source_messages() -> set[str]:
    """Every translatable string in the code, as `pybabel extract -F babel.cfg` finds it."""
    with open(ROOT / "babel.cfg") as f:
        method_map, options_map = parse_mapping_cfg(f)
    keywords = {**DEFAULT_KEYWORDS, "N_": None}
    found: set[str] = set()
    for _name, _line, message, _comments, _ctx in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=keywords
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_catalogs_cover_every_string_in_the_code() -> None:
    wanted = source_messages()
    assert len(wanted) > 40
    for code in TRANSLATED:
        have = {m.id if isinstance(m.id, str) else m.id[0] for m in _po(code) if m.id}
        missing = wanted - have
        assert not missing, f"{code} catalog is missing {sorted(missing)}; run pybabel update"


def test_german_translator_translates() -> None:
    assert Translator("de")("Cancel") == "Abbrechen"
    assert Translator("en")("Cancel") == "Cancel"
