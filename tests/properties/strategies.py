"""Shared Hypothesis strategies."""

from __future__ import annotations

import sys

from hypothesis import strategies as st

_NUMERIC = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isnumeric()]
# Unicode's three numeric types, which is where int(), isdigit() and isdecimal() part ways:
# decimal digits of any script (int() reads them), other digits such as superscripts and
# circled numbers (isdigit() but not int()), and other numerals (fractions, roman numerals).
DECIMAL = [c for c in _NUMERIC if c.isdecimal()]
DIGIT = [c for c in _NUMERIC if c.isdigit() and not c.isdecimal()]
NUMERIC = [c for c in _NUMERIC if not c.isdigit()]

numeric_characters = st.one_of(
    st.sampled_from(DECIMAL), st.sampled_from(DIGIT), st.sampled_from(NUMERIC)
)


def numerals(max_size: int = 3) -> st.SearchStrategy[str]:
    """Short strings of digits and numerals from any script."""
    return st.text(numeric_characters, min_size=1, max_size=max_size)
