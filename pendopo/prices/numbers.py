"""Prices as Indonesians type them: whole Rupiah, "13.500" and "13,500" both mean 13500.

A separator followed by exactly three digits is a thousands separator (prices.md §8); anything
else — a decimal part, letters, a separator in the wrong place, zero or a negative number — is
refused with a message that says why, in the user's language.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The largest price the app accepts (Rp 100 million per kg is far beyond any staple).
MAX_PRICE = 100_000_000

_PLAIN = re.compile(r"\d+")
_GROUPED_DOT = re.compile(r"\d{1,3}(\.\d{3})+")
_GROUPED_COMMA = re.compile(r"\d{1,3}(,\d{3})+")
_PREFIX = re.compile(r"^rp\.?\s*", re.IGNORECASE)


def parse_price(value: object) -> int:
    """Whole Rupiah from what was typed (or an int); ValidationError with code `invalid_price` or `price_not_positive`."""
    if isinstance(value, bool):
        raise ValidationError(_("Enter the price in whole rupiah, e.g. 13.500."), code="invalid_price")
    if isinstance(value, int):
        number = value
    else:
        text = _PREFIX.sub("", str(value).strip()).replace(" ", "")
        if text.startswith("-") and _is_number(text[1:]):
            raise ValidationError(_("The price must be more than zero."), code="price_not_positive")
        if not _is_number(text):
            raise ValidationError(
                _("“%(value)s” is not a price in whole rupiah (write 13500, 13.500 or 13,500).") % {"value": str(value)[:30]},
                code="invalid_price",
            )
        number = int(text.replace(".", "").replace(",", ""))
    if number <= 0:
        raise ValidationError(_("The price must be more than zero."), code="price_not_positive")
    if number > MAX_PRICE:
        raise ValidationError(_("The price is too large."), code="price_too_large")
    return number


def _is_number(text: str) -> bool:
    return bool(_PLAIN.fullmatch(text) or _GROUPED_DOT.fullmatch(text) or _GROUPED_COMMA.fullmatch(text))
