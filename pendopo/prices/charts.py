"""Server-rendered SVG line charts: the same drawing on the page and in print, with the data
table beside it. Coordinates are plain numbers (never localised: the templates use `localize off`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from pendopo.lib.axis import round_step
from pendopo.lib.money import grouped

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 64, 12, 12, 28


@dataclass(frozen=True)
class Point:
    day: dt.date
    price: Decimal
    x: float
    y: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    points: list[Point]
    polyline: str
    upper_y: float | None
    lower_y: float | None
    ticks: list[tuple[float, str]]  # (y, the price as labelled: 50.000)
    x_labels: list[tuple[float, dt.date]]
    minimum: Decimal
    maximum: Decimal
    markers: list[tuple[float, str]]  # (x, label) e.g. interventions


def line_chart(
    series: Mapping[dt.date, Decimal],
    *,
    upper: int | None = None,
    lower: int | None = None,
    markers: list[tuple[dt.date, str]] | None = None,
) -> Chart | None:
    if not series:
        return None
    days = sorted(series)
    values = [series[d] for d in days] + [Decimal(v) for v in (upper, lower) if v]
    low, high = min(values), max(values)
    pad = (high - low) * Decimal("0.1") or high * Decimal("0.05") or Decimal(1)
    # The axis ends on round prices, labelled every round step (47.500, 50.000, 52.500, not 48.123).
    step = max(Decimal(1), Decimal(str(round_step(float(high - low + 2 * pad) / 4))))  # whole rupiah
    low = max(Decimal(0), ((low - pad) / step).to_integral_value(rounding=ROUND_FLOOR) * step)
    high = ((high + pad) / step).to_integral_value(rounding=ROUND_CEILING) * step
    span_days = max((days[-1] - days[0]).days, 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: dt.date) -> float:
        return round(LEFT + plot_w * (day - days[0]).days / span_days, 1)

    def y(value: Decimal | int) -> float:
        return round(float(TOP + plot_h * (high - Decimal(value)) / (high - low)), 1)

    points = [Point(d, series[d], x(d), y(series[d])) for d in days]
    count = int((high - low) / step)
    ticks = [(y(low + step * i), grouped(int(low + step * i))) for i in range(count + 1)]
    labels = [(x(d), d) for d in days[:: max(1, len(days) // 4)]]
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        points=points,
        polyline=" ".join(f"{p.x},{p.y}" for p in points),
        upper_y=y(upper) if upper else None,
        lower_y=y(lower) if lower else None,
        ticks=ticks,
        x_labels=labels,
        minimum=min(series.values()),
        maximum=max(series.values()),
        markers=[(x(d), label) for d, label in (markers or []) if days[0] <= d <= days[-1]],
    )


def png(chart: Chart, scale: int = 2) -> bytes:
    """The same chart as a PNG (for documents that carry no SVG, such as DOCX): the SVG's geometry, drawn by Pillow."""
    import io

    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (chart.width * scale, chart.height * scale), "white")
    draw = ImageDraw.Draw(image)
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont
    try:
        font = ImageFont.truetype("DejaVuSans.ttf", 11 * scale)
    except OSError:
        font = ImageFont.load_default()

    def s(value: float) -> float:
        return value * scale

    right = chart.width - RIGHT
    for y, label in chart.ticks:
        draw.line([(s(LEFT), s(y)), (s(right), s(y))], fill="#dddddd", width=scale)
        draw.text((s(LEFT - 4), s(y)), label, fill="#555555", font=font, anchor="rm")
    for x, day in chart.x_labels:
        draw.text((s(x), s(chart.height - 8)), day.strftime("%d/%m"), fill="#555555", font=font, anchor="ms")
    for ref in (chart.upper_y, chart.lower_y):
        if ref is not None:
            for start in range(LEFT, right, 10):  # dashed, as in the SVG
                draw.line([(s(start), s(ref)), (s(min(start + 6, right)), s(ref))], fill="#444444", width=scale)
    for x, _label in chart.markers:
        draw.line([(s(x), s(TOP)), (s(x), s(chart.height - BOTTOM))], fill="#1f6f43", width=2 * scale)
    if len(chart.points) > 1:
        draw.line([(s(p.x), s(p.y)) for p in chart.points], fill="#9c3d1c", width=2 * scale, joint="curve")
    elif chart.points:
        p = chart.points[0]
        draw.ellipse([s(p.x) - 3 * scale, s(p.y) - 3 * scale, s(p.x) + 3 * scale, s(p.y) + 3 * scale], fill="#9c3d1c")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
