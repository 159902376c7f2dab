"""Whole-Rupiah money formatting in the notation of the active language.

Bahasa Indonesia groups thousands with a dot (`Rp 10.000`); an English page groups them with a comma
(`Rp 10,000`), as its percentages already use the decimal point (`+4.00 %`): one page never mixes the
two notations. A document in the state language (the standard's PDF) is rendered under
`translation.override("id")` and so gets the dot.
"""

from __future__ import annotations

from pendopo.lib.language import ui_is_english


def grouped(amount: int) -> str:
    """`10.000` for 10000 (`10,000` when the interface is in English)."""
    text = f"{int(amount):,}"
    return text if ui_is_english() else text.replace(",", ".")


def rupiah(amount: int | None) -> str:
    """`Rp 10.000` for 10000 (`Rp 10,000` when the interface is in English)."""
    if amount is None:
        return ""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {grouped(abs(int(amount)))}"
