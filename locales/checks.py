"""Checks that keep the catalogs shippable; the test suite runs them on every catalog.

Usage: `python -m locales.checks` prints problems and exits 1 when there are any.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

PLACEHOLDER = re.compile(r"\{[a-zA-Z_][a-zA-Z0-9_]*\}|%\([a-zA-Z_][a-zA-Z0-9_]*\)[sdif]")


@dataclass(frozen=True, slots=True)
class Problem:
    catalog: str
    msgid: str
    kind: str  # untranslated | fuzzy | placeholders | plural_forms | babel
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.catalog}: {self.kind}: {self.msgid[:60]!r} {self.detail}".rstrip()


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def _forms(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    return list(value)  # type: ignore[call-overload]


def load(path: Path) -> Catalog:
    with open(path, "rb") as f:
        return read_po(f)


def check_catalog(path: Path) -> list[Problem]:
    """Untranslated or fuzzy entries, placeholders differing from the source, wrong numbers
    of plural forms, and whatever Babel's own checker reports."""
    catalog = load(path)
    name = path.parent.parent.name
    problems: list[Problem] = []
    expected_forms = catalog.num_plurals
    for message in catalog:
        if not message.id:
            continue
        ids = _forms(message.id)
        strings = _forms(message.string) if message.string else []
        label = ids[0]
        if "fuzzy" in message.flags:
            problems.append(Problem(name, label, "fuzzy"))
        if not strings or not all(s.strip() for s in strings):
            problems.append(Problem(name, label, "untranslated"))
            continue
        if message.pluralizable and len(strings) != expected_forms:
            problems.append(
                Problem(name, label, "plural_forms", f"{len(strings)} != {expected_forms}")
            )
        for index, text in enumerate(strings):
            source = ids[0] if (index == 0 or len(ids) == 1) else ids[1]
            wanted = placeholders(source)
            found = placeholders(text)
            if found != wanted:
                problems.append(
                    Problem(name, label, "placeholders", f"{found} != {wanted} (form {index})")
                )
        for error in message.check(catalog):
            problems.append(Problem(name, label, "babel", str(error)))
    return problems


def catalog_paths(root: Path) -> list[Path]:
    return sorted(root.glob("*/LC_MESSAGES/messages.po"))


def main() -> int:
    root = Path(__file__).parent
    problems = [p for path in catalog_paths(root) for p in check_catalog(path)]
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
