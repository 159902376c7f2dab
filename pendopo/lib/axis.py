"""Round steps for a chart's value axis (framework-free)."""

from __future__ import annotations

import math


def round_step(least: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10^k that is at least `least`: labels 0, 25, 50, not 7.5 or 48.123."""
    power = 10.0 ** math.floor(math.log10(least))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= least * (1 - 1e-9))
