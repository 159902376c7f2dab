"""Whole-Rupiah money formatting (framework-free)."""

from __future__ import annotations


def grouped(amount: int) -> str:
    """`10.000` for 10000: whole rupiah with the Indonesian thousands separator, a dot."""
    return f"{int(amount):,}".replace(",", ".")


def rupiah(amount: int | None) -> str:
    """`Rp 10.000` for 10000; Indonesian thousands separator is a dot."""
    if amount is None:
        return ""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {grouped(abs(int(amount)))}"
