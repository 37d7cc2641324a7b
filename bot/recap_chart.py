"""The weekly mood chart: both partners' daily moods as two lines, days without an answer
left as gaps. Rendered headless with matplotlib's Agg canvas (no pyplot, no global state).
Every text is drawn literally: a name like "50$ ^_^" is a name, not mathtext.

matplotlib is imported when the first chart is drawn, not when the bot starts: importing it
took more than half of the bot's start-up time."""

from __future__ import annotations

import io
import math
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING

from babel.dates import get_day_names

if TYPE_CHECKING:
    from matplotlib.figure import Figure

WIDTH_IN, HEIGHT_IN, DPI = 8.0, 4.5, 100
COLORS = ("#e25c7a", "#3a7bd5")
MOODS = (1, 2, 3, 4, 5)


@contextmanager
def _missing_glyphs_quiet() -> Iterator[None]:
    """A name in a script DejaVu Sans lacks (CJK, some emoji) is drawn with placeholder
    boxes: expected, and not worth a warning per recap. (The warnings filters are process
    wide: at worst, two charts drawn at once leave this one harmless filter in place.)"""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Glyph .* missing from font", UserWarning)
        yield


def build_figure(
    days: Sequence[date],
    series: Sequence[tuple[str, Sequence[int | None]]],
    *,
    language: str,
    title: str,
) -> Figure:
    """A figure with one line per partner; None moods become gaps (NaN), never zeros."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    names = get_day_names("abbreviated", locale=language)
    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    xs = list(range(len(days)))
    for (name, moods), color in zip(series, COLORS, strict=False):
        ys = [math.nan if m is None else float(m) for m in moods]
        axes.plot(xs, ys, marker="o", markersize=9, linewidth=2.5, color=color, label=name)
    axes.set_xticks(xs, [names[d.weekday()] for d in days])
    axes.set_ylim(0.5, 5.5)
    axes.set_yticks(MOODS)
    axes.set_title(title, fontsize=14, pad=12)
    axes.grid(axis="y", alpha=0.3)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2, frameon=False)
    _draw_literally(figure)
    with _missing_glyphs_quiet():
        figure.tight_layout()
    return figure


def _draw_literally(figure: Figure) -> None:
    """No text of the chart is parsed as mathtext: "$" and "^" in a name are just characters
    (and a name with an odd "$" can no longer break the drawing)."""
    from matplotlib.text import Text

    for text in figure.findobj(Text):
        text.set_parse_math(False)


def render_png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    with _missing_glyphs_quiet():
        figure.savefig(buffer, format="png", facecolor="white")
    return buffer.getvalue()


def mood_chart_png(
    days: Sequence[date],
    series: Sequence[tuple[str, Sequence[int | None]]],
    *,
    language: str,
    title: str,
) -> bytes:
    return render_png(build_figure(days, series, language=language, title=title))
