"""The words of each ritual's prompt (a first version; the prompt bank replaces these)."""

from __future__ import annotations

import html

from bot.services.rituals import Ritual
from locales import Translator


def ritual_prompt(ritual: Ritual, _: Translator, partner_name: str) -> str:
    partner = html.escape(partner_name, quote=False)
    if ritual is Ritual.CHECKIN:
        return _(
            "🌙 Time for your daily check-in.\n"
            "How are you today? What is on your mind? "
            "Is there anything you need from {partner}?"
        ).format(partner=partner)
    if ritual is Ritual.APPRECIATION:
        return _(
            "☀️ A moment of appreciation: what is one thing {partner} did recently "
            "that you are grateful for? A few words are enough."
        ).format(partner=partner)
    if ritual is Ritual.DATE:
        return _(
            "🗓️ The weekend is coming. What would you like to do with {partner}? "
            "Something new together counts double."
        ).format(partner=partner)
    return _(
        "📖 Your week with {partner}: take a moment to look back. "
        "When did you feel closest this week?"
    ).format(partner=partner)
