"""Template filters of the price pages: rupiah and percentages in the reader's notation."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format

from pendopo.lib.money import rupiah as _rupiah
from pendopo.prices.indicators import show

register = template.Library()


@register.filter
def rp(value: Decimal | int | None) -> str:
    """`Rp 13.500` (whole rupiah, half up)."""
    if value is None or value == "":
        return "–"
    return _rupiah(int(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)))


@register.filter
def pct(value: Decimal | None) -> str:
    """A percentage half up to 2 decimals with a sign, in the active language's notation (`+4,00 %`)."""
    if value is None:
        return "–"
    shown = Decimal(show(value) or "0")
    sign = "+" if shown > 0 else ""
    return f"{sign}{number_format(shown, 2, force_grouping=False)} %"


@register.filter
def fig(value: Decimal | None) -> str:
    """A figure half up to 2 decimals in the active language's notation."""
    if value is None:
        return "–"
    return number_format(Decimal(show(value) or "0"), 2)


@register.filter
def raw(value: object) -> str:
    """A number for SVG and attributes: never localised."""
    return str(value)
