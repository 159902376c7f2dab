"""Template filters of the catalogue pages."""

from __future__ import annotations

from django import template

from pendopo.lib.money import rupiah as _rupiah

register = template.Library()


@register.filter
def rupiah(amount: int | None) -> str:
    """`Rp 10.000` for 10000."""
    return _rupiah(amount)
