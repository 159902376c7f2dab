"""Template filters of the survey pages."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def figure(value: Any) -> Any:
    """A figure computed as a 2- or 4-decimal string ("87.05") written the reader's way: 87,05 in
    Indonesian, 87.05 in English. The digits are never changed, only the decimal mark; anything
    that is not a number ("–") is returned as it is. (JSON, the API and the commands keep the point.)
    """
    if value is None or value == "":
        return value
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return value
    if not number.is_finite():
        return value
    places = max(-int(number.as_tuple().exponent), 0)
    return formats.number_format(number, decimal_pos=places, use_l10n=True)
