"""Every catalog passes the checks, compiles cleanly, and the checks themselves can fail."""

from __future__ import annotations

import io
import shutil
import warnings
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from locales import LANGUAGES, LOCALES_DIR
from locales.checks import catalog_paths, check_catalog, load


def test_every_language_has_a_catalog() -> None:
    have = {path.parent.parent.name for path in catalog_paths(LOCALES_DIR)}
    assert have == set(LANGUAGES) - {"en"}


def test_all_catalogs_pass_the_checks() -> None:
    problems = [p for path in catalog_paths(LOCALES_DIR) for p in check_catalog(path)]
    assert problems == [], "\n".join(map(str, problems))


def test_catalogs_compile_without_warnings() -> None:
    for path in catalog_paths(LOCALES_DIR):
        catalog = load(path)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            write_mo(io.BytesIO(), catalog)
        assert not list(catalog.check())


def test_the_checks_catch_an_empty_entry_and_a_renamed_placeholder(tmp_path: Path) -> None:
    source = LOCALES_DIR / "de" / "LC_MESSAGES" / "messages.po"
    target = tmp_path / "de" / "LC_MESSAGES" / "messages.po"
    target.parent.mkdir(parents=True)
    shutil.copy(source, target)
    with open(target, "rb") as f:
        catalog = read_po(f)
    emptied = catalog["Cancel"]
    assert emptied is not None
    emptied.string = ""
    renamed = catalog["You are now paired with {partner}! 💞"]
    assert renamed is not None and "{partner}" in renamed.string
    renamed.string = renamed.string.replace("{partner}", "{partnerin}")
    with open(target, "wb") as f:
        write_po(f, catalog)
    problems = check_catalog(target)
    kinds = {(p.msgid, p.kind) for p in problems}
    assert ("Cancel", "untranslated") in kinds
    assert ("You are now paired with {partner}! 💞", "placeholders") in kinds
    assert len(problems) == 2
