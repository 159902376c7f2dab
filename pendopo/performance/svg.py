"""Small server-rendered SVG charts: the same drawing in the page and in the PDF.

Numbers inside the SVG are written with `repr`-free plain formatting (never localised: a decimal
comma would break the coordinates). Labels are escaped. Each chart carries a <title> and
`role="img"`; the page puts the data table beside it for screen readers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from pendopo.lib.axis import round_step

Number = int | float | Decimal | Fraction

WIDTH, HEIGHT = 560, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 14, 40
COLOURS = ("#1f6f8b", "#d1495b", "#edae49", "#66a182")
# About how wide a character of the 11-unit labels is, to tell when labels would overlap.
CHARACTER_WIDTH = 6.5


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[Number | None]


def _n(value: float) -> str:
    """A coordinate: plain digits and a point, 1 decimal."""
    return f"{value:.1f}"


def _scale(series: Sequence[Series], floor: float | None, ceiling: float | None) -> tuple[float, float, float]:
    """The value axis: its low and high end and the step between its labels.

    The step is 1, 2, 2.5 or 5 × a power of ten, about a quarter of the range, so the labels are round
    numbers (0, 10, 20, 30 for scores up to 30; 25, 50, 75, 100 for an index from 25), never 7.5
    shown as "8". An end not given is moved out to the next label.
    """
    values = [float(v) for s in series for v in s.values if v is not None]
    low = floor if floor is not None else min([0.0, *values])
    high = ceiling if ceiling is not None else max([1.0, *values])
    if high <= low:
        high = low + 1
    step = round_step((high - low) / 4)
    if floor is not None and ceiling is not None:  # both ends fixed: a step that lands on both, if one is near
        candidates = [step]
        for _ in range(3):
            candidates.append(round_step(candidates[-1] * 1.01))
        step = next((c for c in candidates if _on_step(low, c) and _on_step(high, c)), step)
    if floor is None:
        low = math.floor(low / step + 1e-9) * step
    if ceiling is None:
        high = math.ceil(high / step - 1e-9) * step
    return low, high, step


def _on_step(value: float, step: float) -> bool:
    return abs(value / step - round(value / step)) < 1e-9


def _tick(value: float) -> str:
    """An axis label: plain digits and a point (never localised), no trailing zeros: 0.25, 20, 2000."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _frame(title: str, low: float, high: float, step: float, height: int = HEIGHT) -> list[str]:
    """The frame and the value axis, a label at each multiple of `step`; `height` over HEIGHT leaves
    room under the plot for upright labels."""
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" style="--chart-width: {WIDTH}px" '
        f'role="img" aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
    ]
    tick = math.ceil(low / step - 1e-9)
    while tick * step <= high + step * 1e-9:
        value = tick * step
        y = _y(value, low, high)
        out.append(f'<line x1="{LEFT}" y1="{_n(y)}" x2="{WIDTH - RIGHT}" y2="{_n(y)}" stroke="#ddd" stroke-width="1"/>')
        out.append(f'<text x="{LEFT - 6}" y="{_n(y + 4)}" font-size="11" text-anchor="end" fill="#555">{_tick(value)}</text>')
        tick += 1
    return out


def _y(value: float, low: float, high: float) -> float:
    plot_h = HEIGHT - TOP - BOTTOM
    return TOP + plot_h - plot_h * (value - low) / (high - low)


LEGEND_ROW = 16


def _legend_places(series: Sequence[Series]) -> list[tuple[float, int]]:
    """Where each series' swatch goes: (x, row), each after the name before it, a new row when the
    next name would run past the right edge."""
    places = []
    x, row = float(LEFT), 0
    for item in series:
        width = 14 + len(item.name) * CHARACTER_WIDTH
        if x > LEFT and x + width > WIDTH - RIGHT:
            x, row = float(LEFT), row + 1
        places.append((x, row))
        x += width + 18
    return places


def _legend_height(series: Sequence[Series]) -> int:
    """What the legend's extra rows add to the chart's height."""
    places = _legend_places(series)
    return (places[-1][1] if places else 0) * LEGEND_ROW


def _legend(series: Sequence[Series], height: int = HEIGHT) -> list[str]:
    """Swatch and name of each series under the plot: long names never run into each other."""
    out = []
    places = _legend_places(series)
    rows = places[-1][1] + 1 if places else 1
    for position, (item, (x, row)) in enumerate(zip(series, places, strict=True)):
        colour = COLOURS[position % len(COLOURS)]
        y = height - 14 - (rows - 1 - row) * LEGEND_ROW
        out.append(f'<rect x="{_n(x)}" y="{y}" width="10" height="10" fill="{colour}"/>')
        out.append(f'<text x="{_n(x + 14)}" y="{y + 9}" font-size="11" fill="#333">{escape(item.name)}</text>')
    return out


def _no_figure(x: float, base: float, name: str, colour: str) -> str:
    """A bar that has no figure (no case, no answer: n=0) is a dash on the base line in its series' colour,
    named in its tooltip, so a reader tells it from a bar of 0 and from a series left out."""
    note = _("%(name)s: no figure") % {"name": name}
    return (
        f'<text x="{_n(x)}" y="{_n(base - 3)}" font-size="14" font-weight="700" text-anchor="middle" fill="{colour}"'
        f' class="no-figure"><title>{escape(note)}</title>–</text>'
    )


def _empty_note(series: Sequence[Series]) -> list[str]:
    """A chart with no value at all says so across its plot, instead of standing empty as if broken."""
    if any(v is not None for s in series for v in s.values):
        return []
    x, y = _n((LEFT + WIDTH - RIGHT) / 2), _n(TOP + (HEIGHT - TOP - BOTTOM) / 2)
    note = _("No figures yet.")
    return [f'<text x="{x}" y="{y}" font-size="12" text-anchor="middle" fill="#555">{escape(note)}</text>']


def line_chart(
    title: str, labels: Sequence[str], series: Sequence[Series], *, floor: float | None = None, ceiling: float | None = None
) -> SafeString:
    """Lines over `labels` (periods); a missing value breaks the line."""
    low, high, step = _scale(series, floor, ceiling)
    height = HEIGHT + _legend_height(series)
    out = _frame(title, low, high, step, height)
    count = max(len(labels), 1)
    plot_w = WIDTH - LEFT - RIGHT
    xs = [LEFT + plot_w * (i + 0.5) / count for i in range(count)]
    for x, label in zip(xs, labels, strict=False):
        out.append(
            f'<text x="{_n(x)}" y="{HEIGHT - BOTTOM + 14}" font-size="11" text-anchor="middle" fill="#555">{escape(label)}</text>'
        )
    for position, item in enumerate(series):
        colour = COLOURS[position % len(COLOURS)]
        segment: list[str] = []
        segments: list[list[str]] = [segment]
        for x, value in zip(xs, item.values, strict=False):
            if value is None:
                segment = []
                segments.append(segment)
                continue
            y = _y(float(value), low, high)
            segment.append(f"{_n(x)},{_n(y)}")
            out.append(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="3" fill="{colour}"/>')
        out.extend(
            f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" stroke-width="2"/>'
            for points in segments
            if len(points) > 1
        )
    out.extend(_empty_note(series))
    out.extend(_legend(series, height))
    out.append("</svg>")
    return mark_safe("".join(out))


def bar_chart(
    title: str, labels: Sequence[str], series: Sequence[Series], *, floor: float | None = 0, ceiling: float | None = None
) -> SafeString:
    """Grouped bars, one group per label (e.g. per agency).

    When the labels are wider than their groups (a dozen agencies), they stand upright under the
    plot, which grows downwards to hold them, instead of running into each other.
    """
    low, high, step = _scale(series, floor, ceiling)
    count = max(len(labels), 1)
    plot_w = WIDTH - LEFT - RIGHT
    group_w = plot_w / count
    shown = [label if len(label) <= 18 else label[:17].rstrip() + "…" for label in labels]  # the table beside has it whole
    widest = max((len(label) for label in shown), default=0) * CHARACTER_WIDTH
    upright = widest > group_w * 0.95
    height = HEIGHT + (int(widest) - 10 if upright else 0) + _legend_height(series)  # the widest label, less the line it had
    out = _frame(title, low, high, step, height)
    bar_w = group_w * 0.8 / max(len(series), 1)
    for i, label in enumerate(shown):
        x0 = LEFT + group_w * i + group_w * 0.1
        text_x = LEFT + group_w * (i + 0.5)
        text_y = HEIGHT - BOTTOM + 14
        if upright:
            lx, ly = _n(text_x + 4), text_y - 8
            out.append(
                f'<text x="{lx}" y="{ly}" font-size="11" text-anchor="end" fill="#555" transform="rotate(-90 {lx} {ly})">'
                f"{escape(label)}</text>"
            )
        else:
            out.append(
                f'<text x="{_n(text_x)}" y="{text_y}" font-size="11" text-anchor="middle" fill="#555">{escape(label)}</text>'
            )
        base = _y(max(low, 0.0), low, high)
        for position, item in enumerate(series):
            value = item.values[i] if i < len(item.values) else None
            if value is None:
                if any(v is not None for s in series for v in s.values):  # else the whole chart says so
                    out.append(_no_figure(x0 + bar_w * (position + 0.5), base, item.name, COLOURS[position % len(COLOURS)]))
                continue
            y = _y(float(value), low, high)
            out.append(
                f'<rect x="{_n(x0 + bar_w * position)}" y="{_n(min(y, base))}" width="{_n(bar_w)}" height="{_n(abs(base - y))}" '
                f'fill="{COLOURS[position % len(COLOURS)]}"/>'
            )
    out.extend(_empty_note(series))
    out.extend(_legend(series, height))
    out.append("</svg>")
    return mark_safe("".join(out))
