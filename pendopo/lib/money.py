"""Whole-Rupiah money formatting (framework-free)."""

from __future__ import annotations


def rupiah(amount: int | None) -> str:
    """`Rp 10.000` for 10000; Indonesian thousands separator is a dot."""
    if amount is None:
        return ""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {abs(int(amount)):,}".replace(",", ".")
