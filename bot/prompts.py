"""Words of ritual prompts that do not come from the prompt bank."""

from __future__ import annotations

import html

from locales import Translator


def recap_prompt(_: Translator, partner_name: str) -> str:
    """The weekly recap's opening (the recap with figures and a chart builds on it)."""
    return _(
        "📖 Your week with {partner}: take a moment to look back. "
        "When did you feel closest this week?"
    ).format(partner=html.escape(partner_name, quote=False))
