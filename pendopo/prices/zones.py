"""Reference-price zones of the rice HET and HAP (Perbadan 5/2024, Kepbadan 299/2025), by province code.

The same zones in 2024 and 2025 (docs/prices.md, /shared/reference/prices.md §3).
"""

from __future__ import annotations

ZONE_1 = frozenset({"36", "31", "32", "33", "34", "35", "18", "16", "51", "52", "71", "72", "73", "74", "75", "76"})
ZONE_2 = frozenset({"11", "12", "13", "17", "14", "21", "15", "19", "53", "61", "62", "63", "64", "65"})
ZONE_3 = frozenset({"81", "82", "91", "92", "93", "94", "95", "96"})


def zone_of_province(code: str) -> int:
    """1, 2 or 3 for a province code (Kemendagri, two digits); a new province defaults to zone 3 only if Papuan."""
    if code in ZONE_1:
        return 1
    if code in ZONE_2:
        return 2
    if code in ZONE_3:
        return 3
    raise LookupError(f"Province {code!r} is in no reference-price zone.")
