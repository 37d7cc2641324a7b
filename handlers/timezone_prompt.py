"""The time zone question with buttons, asked by /timezone and right after pairing."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.services.timezones import COMMON_ZONES
from locales import Translator

TZ_CALLBACK = "tz:"


def zone_label(zone: str) -> str:
    return zone.rsplit("/", 1)[-1].replace("_", " ")


def zone_keyboard() -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(zone_label(z), callback_data=TZ_CALLBACK + z) for z in COMMON_ZONES
    ]
    return InlineKeyboardMarkup([buttons[i : i + 3] for i in range(0, len(buttons), 3)])


def timezone_question(_: Translator, current: str) -> tuple[str, InlineKeyboardMarkup]:
    text = "\n".join(
        [
            _("Which time zone are you in? Your rituals will arrive at your local time."),
            _("Right now it is set to {zone}.").format(zone=current),
            _("Tap a city below, or send /timezone followed by your city, e.g. /timezone Lisbon."),
        ]
    )
    return text, zone_keyboard()
