"""Small server-rendered SVG charts: the same drawing in the page and in the PDF.

Numbers inside the SVG are written with `repr`-free plain formatting (never localised: a decimal
comma would break the coordinates). Labels are escaped. Each chart carries a <title> and
`role="img"`; the page puts the data table beside it for screen readers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

Number = int | float | Decimal | Fraction

WIDTH, HEIGHT = 560, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 14, 40
COLOURS = ("#1f6f8b", "#d1495b", "#edae49", "#66a182")


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[Number | None]


def _n(value: float) -> str:
    """A coordinate: plain digits and a point, 1 decimal."""
    return f"{value:.1f}"


def _scale(series: Sequence[Series], floor: float | None, ceiling: float | None) -> tuple[float, float]:
    values = [float(v) for s in series for v in s.values if v is not None]
    low = floor if floor is not None else min([0.0, *values])
    high = ceiling if ceiling is not None else max([1.0, *values])
    if high <= low:
        high = low + 1
    return low, high


def _frame(title: str, low: float, high: float, height: int = HEIGHT) -> list[str]:
    """The frame and the value axis; `height` over HEIGHT leaves room under the plot for slanted labels."""
    plot_h = HEIGHT - TOP - BOTTOM
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
    ]
    for step in range(5):
        value = low + (high - low) * step / 4
        y = TOP + plot_h - plot_h * step / 4
        out.append(f'<line x1="{LEFT}" y1="{_n(y)}" x2="{WIDTH - RIGHT}" y2="{_n(y)}" stroke="#ddd" stroke-width="1"/>')
        out.append(f'<text x="{LEFT - 6}" y="{_n(y + 4)}" font-size="11" text-anchor="end" fill="#555">{value:.0f}</text>')
    return out


def _y(value: float, low: float, high: float) -> float:
    plot_h = HEIGHT - TOP - BOTTOM
    return TOP + plot_h - plot_h * (value - low) / (high - low)


def _legend(series: Sequence[Series], height: int = HEIGHT) -> list[str]:
    out = []
    for position, item in enumerate(series):
        x = LEFT + position * 150
        colour = COLOURS[position % len(COLOURS)]
        out.append(f'<rect x="{x}" y="{height - 14}" width="10" height="10" fill="{colour}"/>')
        out.append(f'<text x="{x + 14}" y="{height - 5}" font-size="11" fill="#333">{escape(item.name)}</text>')
    return out


# About how wide a character of the 11-unit labels is, to tell when the labels of the groups would overlap.
CHARACTER_WIDTH = 6.5


def line_chart(
    title: str, labels: Sequence[str], series: Sequence[Series], *, floor: float | None = None, ceiling: float | None = None
) -> SafeString:
    """Lines over `labels` (periods); a missing value breaks the line."""
    low, high = _scale(series, floor, ceiling)
    out = _frame(title, low, high)
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
    out.extend(_legend(series))
    out.append("</svg>")
    return mark_safe("".join(out))


def bar_chart(
    title: str, labels: Sequence[str], series: Sequence[Series], *, floor: float | None = 0, ceiling: float | None = None
) -> SafeString:
    """Grouped bars, one group per label (e.g. per agency).

    When the labels are wider than their groups (a dozen agencies), they stand upright under the
    plot, which grows downwards to hold them, instead of running into each other.
    """
    low, high = _scale(series, floor, ceiling)
    count = max(len(labels), 1)
    plot_w = WIDTH - LEFT - RIGHT
    group_w = plot_w / count
    shown = [label[:18] for label in labels]
    widest = max((len(label) for label in shown), default=0) * CHARACTER_WIDTH
    upright = widest > group_w * 0.95
    height = HEIGHT + (int(widest) - 10 if upright else 0)  # the widest label, less the line it had
    out = _frame(title, low, high, height)
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
        for position, item in enumerate(series):
            value = item.values[i] if i < len(item.values) else None
            if value is None:
                continue
            y = _y(float(value), low, high)
            base = _y(max(low, 0.0), low, high)
            out.append(
                f'<rect x="{_n(x0 + bar_w * position)}" y="{_n(min(y, base))}" width="{_n(bar_w)}" height="{_n(abs(base - y))}" '
                f'fill="{COLOURS[position % len(COLOURS)]}"/>'
            )
    out.extend(_legend(series, height))
    out.append("</svg>")
    return mark_safe("".join(out))
