"""The commands the bot offers, each in its theme: /help shows them under a heading per theme,
and the command menu (setMyCommands) lists them in the same themes' order.

Only commands that exist are listed here; a new command is one more `Command` line, in its
theme (the order within a theme is the order of the lines)."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from telegram import BotCommand

from locales import N_, Translator


class Theme(enum.Enum):
    """The themes, in the order /help and the menu show them, with their headings."""

    EVERY_DAY = N_("Every day")
    TOGETHER = N_("Together")
    OUR_STORY = N_("Our story")
    SETTINGS = N_("Settings")
    PRIVACY = N_("Privacy")


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    description: str  # N_() English, translated when shown
    theme: Theme


COMMANDS: tuple[Command, ...] = (
    Command("start", N_("What this bot does"), Theme.SETTINGS),
    Command("pair", N_("Invite your partner"), Theme.SETTINGS),
    Command("join", N_("Pair using your partner's code"), Theme.SETTINGS),
    Command("timezone", N_("Show or set your time zone"), Theme.SETTINGS),
    Command("language", N_("Choose your language"), Theme.SETTINGS),
    Command("time", N_("Show or change your ritual times"), Theme.SETTINGS),
    Command("checkin", N_("Daily check-in, now"), Theme.EVERY_DAY),
    Command("depth", N_("How deep the check-in questions go"), Theme.TOGETHER),
    Command("appreciate", N_("Appreciate your partner"), Theme.EVERY_DAY),
    Command("date", N_("A date-night idea"), Theme.TOGETHER),
    Command("ask", N_("Ask your partner for something"), Theme.TOGETHER),
    Command("needs", N_("Open needs and requests"), Theme.TOGETHER),
    Command("eyes", N_("A few minutes of eye contact"), Theme.TOGETHER),
    Command("unwind", N_("Talk through the day's stress, in turns"), Theme.TOGETHER),
    Command("recap", N_("This week's recap"), Theme.EVERY_DAY),
    Command("pause", N_("Pause all rituals for some days"), Theme.SETTINGS),
    Command("resume", N_("End a pause"), Theme.SETTINGS),
    Command("unpair", N_("End the pairing"), Theme.SETTINGS),
    Command("export", N_("Download your data"), Theme.PRIVACY),
    Command("deletemydata", N_("Erase all your data"), Theme.PRIVACY),
    Command("help", N_("List all commands"), Theme.SETTINGS),
    Command("hug", N_("Send your partner a hug"), Theme.EVERY_DAY),
    Command("memories", N_("Your memory book"), Theme.OUR_STORY),
    Command("remember", N_("Save a moment in your book"), Theme.OUR_STORY),
    Command("days", N_("Your important days"), Theme.OUR_STORY),
    Command("lovelanguage", N_("How each of you feels loved"), Theme.OUR_STORY),
)


def by_theme() -> list[tuple[Theme, list[Command]]]:
    """The themes that have commands, in order, each with its commands."""
    grouped = [(theme, [c for c in COMMANDS if c.theme is theme]) for theme in Theme]
    return [(theme, commands) for theme, commands in grouped if commands]


def bot_commands(_: Translator) -> list[BotCommand]:
    """The command menu: every command, theme by theme."""
    return [
        BotCommand(command.name, _(command.description))
        for _theme, commands in by_theme()
        for command in commands
    ]


def help_text(_: Translator) -> str:
    lines = [_("Here is what I can do:")]
    for theme, commands in by_theme():
        lines += ["", f"<b>{_(theme.value)}</b>"]
        lines += [f"/{command.name} — {_(command.description)}" for command in commands]
    lines += ["", _("Use /join followed by the code, or simply open your partner's invite link.")]
    return "\n".join(lines)
