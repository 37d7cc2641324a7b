"""The commands the bot offers: shown by /help and registered with setMyCommands."""

from __future__ import annotations

from telegram import BotCommand

from locales import N_, Translator

# (command, description). Only commands that exist are listed here.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", N_("What this bot does")),
    ("pair", N_("Invite your partner")),
    ("join", N_("Pair using your partner's code")),
    ("timezone", N_("Show or set your time zone")),
    ("language", N_("Choose your language")),
    ("time", N_("Show or change your ritual times")),
    ("checkin", N_("Daily check-in, now")),
    ("depth", N_("How deep the check-in questions go")),
    ("appreciate", N_("Appreciate your partner")),
    ("date", N_("A date-night idea")),
    ("ask", N_("Ask your partner for something")),
    ("needs", N_("Open needs and requests")),
    ("eyes", N_("A few minutes of eye contact")),
    ("recap", N_("This week's recap")),
    ("pause", N_("Pause all rituals for some days")),
    ("resume", N_("End a pause")),
    ("unpair", N_("End the pairing")),
    ("export", N_("Download your data")),
    ("deletemydata", N_("Erase all your data")),
    ("help", N_("List all commands")),
)


def bot_commands(_: Translator) -> list[BotCommand]:
    return [BotCommand(name, _(description)) for name, description in COMMANDS]


def help_text(_: Translator) -> str:
    lines = [_("Here is what I can do:"), ""]
    lines += [f"/{name} — {_(description)}" for name, description in COMMANDS]
    lines += ["", _("Use /join followed by the code, or simply open your partner's invite link.")]
    return "\n".join(lines)
