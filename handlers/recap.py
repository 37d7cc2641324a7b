"""The weekly recap in Telegram: the mood chart as a photo, then the week in figures."""

from __future__ import annotations

import asyncio
import html
import logging

from babel.dates import format_date
from babel.numbers import format_decimal

from bot.logging_setup import class_chain, withheld
from bot.outgoing import Outgoing
from bot.recap_chart import mood_chart_png
from bot.services.recap import WeekRecap
from locales import Translator

log = logging.getLogger(__name__)


def recap_text(_: Translator, recap: WeekRecap) -> str:
    """What the couple did together; no per-partner counts, no zeros, no lost streaks."""
    n = lambda value: format_decimal(value, locale=_.language)  # noqa: E731
    start = format_date(recap.days[0], format="medium", locale=_.language)
    end = format_date(recap.days[-1], format="medium", locale=_.language)
    partner = html.escape(recap.partner_name, quote=False)
    lines = [
        "<b>" + _("📖 Your week with {partner}").format(partner=partner) + "</b>",
        _("{start} to {end}").format(start=start, end=end),
        "",
    ]
    if recap.both_checked_in:
        lines.append(
            _.ngettext(
                "✅ You checked in together on {n} day this week",
                "✅ You checked in together on {n} days this week",
                recap.both_checked_in,
            ).format(n=n(recap.both_checked_in))
        )
    if recap.streak > 0:
        lines.append(
            _.ngettext(
                "🔥 {n} day in a row together", "🔥 {n} days in a row together", recap.streak
            ).format(n=n(recap.streak))
        )
    else:
        lines.append(_("🌱 Every check-in you share starts a new streak."))
    dates = dates_line(_, recap)
    if dates is not None:
        lines.append(dates)
    if recap.favourite is not None:
        author, words = recap.favourite
        lines += ["", _("💌 One appreciation from this week:"), quoted(words, author)]
    if recap.moment is not None:
        moment = recap.moment
        lines += [
            "",
            _("🌙 A moment from your week:"),
            "<i>" + html.escape(_(moment.question.text), quote=False) + "</i>",
            quoted(moment.words, moment.author),
        ]
    if not (recap.both_checked_in or dates or recap.favourite or recap.moment):
        lines += ["", _("🍃 A quiet week. Tonight's check-in is an easy way back to each other.")]
    if recap.suggestion is not None:
        lines += ["", _("💡 For next week: {idea}").format(idea=_(recap.suggestion.text))]
    if recap.therapist_hint:
        lines += [
            "",
            _(
                "💛 The last two weeks seem to have been heavy for both of you. Talking with a "
                "couples therapist together can really help; reaching out is a sign of care."
            ),
        ]
    return "\n".join(lines)


def dates_line(_: Translator, recap: WeekRecap) -> str | None:
    """The recap's one line about dates (None when there were none)."""
    if not recap.dates_done:
        return None
    return _.ngettext(
        "🗓️ {n} date together this week", "🗓️ {n} dates together this week", recap.dates_done
    ).format(n=format_decimal(recap.dates_done, locale=_.language))


def quoted(words: str, author: str) -> str:
    return "<i>“" + html.escape(words, quote=False) + "”</i> — " + html.escape(author, quote=False)


async def mood_chart(_: Translator, recap: WeekRecap, my_name: str) -> bytes | None:
    """The chart as PNG, rendered off the event loop; None if it cannot be drawn."""
    try:
        return await asyncio.to_thread(
            mood_chart_png,
            recap.days,
            [(my_name, recap.my_moods), (recap.partner_name, recap.partner_moods)],
            language=_.language,
            title=_("Your moods this week"),
        )
    except Exception as error:  # the figures matter more than the picture
        # Without the message: a drawing error can quote the names it choked on.
        log.error("the recap chart failed: %s", class_chain(error), exc_info=withheld(error))
        return None


async def recap_message(_: Translator, recap: WeekRecap, my_name: str) -> Outgoing:
    """The chart with a short caption, then the figures; the figures alone without a chart."""
    figures = Outgoing(recap_text(_, recap))
    png = await mood_chart(_, recap, my_name)
    if png is None:
        return figures
    return Outgoing(_("📖 Your week together, in moods."), photo=png, then=(figures,))
