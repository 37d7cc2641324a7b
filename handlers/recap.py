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
    n = lambda value: format_decimal(value, locale=_.language)  # noqa: E731
    start = format_date(recap.days[0], format="medium", locale=_.language)
    end = format_date(recap.days[-1], format="medium", locale=_.language)
    partner = html.escape(recap.partner_name, quote=False)
    lines = [
        "<b>" + _("📖 Your week with {partner}").format(partner=partner) + "</b>",
        _("{start} to {end}").format(start=start, end=end),
        "",
        _("✅ Check-ins together: {n} of {total}").format(
            n=n(recap.both_checked_in), total=n(len(recap.days))
        ),
    ]
    if recap.streak > 0:
        lines.append(
            _.ngettext(
                "🔥 {n} day in a row together", "🔥 {n} days in a row together", recap.streak
            ).format(n=n(recap.streak))
            + " "
            + _.ngettext("(best: {n} day)", "(best: {n} days)", recap.best_streak).format(
                n=n(recap.best_streak)
            )
        )
    else:
        lines.append(_("🌱 Every check-in you share starts a new streak."))
    lines += [
        _("💌 Appreciations: {sent} sent, {received} received").format(
            sent=n(recap.appreciations_sent), received=n(recap.appreciations_received)
        ),
        _("🗓️ Dates: {proposed} proposed, {done} done").format(
            proposed=n(recap.dates_proposed), done=n(recap.dates_done)
        ),
        _("🙏 Requests: {asked} asked, {answered} answered").format(
            asked=n(recap.requests_asked), answered=n(recap.requests_answered)
        ),
    ]
    if recap.highlight is not None:
        author, words = recap.highlight
        lines += [
            "",
            _("✨ Highlight of the week:"),
            "<i>“"
            + html.escape(words, quote=False)
            + "”</i> — "
            + html.escape(author, quote=False),
        ]
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
