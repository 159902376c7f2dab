"""Achievement (capaian) for every polarity, range edge and yes/no (reference §3)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pendopo.performance.achievement import (
    AchievementError,
    Flag,
    Polarity,
    achievement,
    band_of,
)


def shown(*args, **kwargs) -> Decimal | None:
    return achievement(*args, **kwargs).shown


def test_higher_is_better_worked_example():
    # Reference §11: R = 70, T = 80 → 87.50 %.
    assert shown(Polarity.HIGHER, "80", "70") == Decimal("87.50")


def test_higher_is_better_above_target_is_above_100():
    assert shown(Polarity.HIGHER, 80, 100) == Decimal("125.00")


def test_lower_is_better():
    # (2 − 8/10) × 100 = 120; (2 − 12/10) × 100 = 80; on target 100.
    assert shown(Polarity.LOWER, 10, 8) == Decimal("120.00")
    assert shown(Polarity.LOWER, 10, 12) == Decimal("80.00")
    assert shown(Polarity.LOWER, 10, 10) == Decimal("100.00")


def test_lower_is_better_exactly_twice_the_target_is_zero_not_flagged():
    result = achievement(Polarity.LOWER, 10, 20)
    assert result.shown == Decimal("0.00")
    assert result.flags == ()


def test_lower_is_better_beyond_twice_is_negative_and_flagged():
    result = achievement(Polarity.LOWER, 10, 25)
    assert result.shown == Decimal("-50.00")
    assert result.flags == (Flag.NEGATIVE,)


def test_half_up_on_an_exact_half():
    # 1/8 × 100 = 12.5 exactly at 1 decimal → check 2 decimals: 0.125 % from R/T = 1/800.
    assert shown(Polarity.HIGHER, 800, 1) == Decimal("0.13")
    # 2/3 → 66.666… → 66.67; float-free.
    assert shown(Polarity.HIGHER, 3, 2) == Decimal("66.67")
    # Lower: (2 − 1/800) × 100 = 199.875 → 199.88 (half up).
    assert shown(Polarity.LOWER, 800, 1) == Decimal("199.88")


def test_target_zero_is_not_computable_never_zero():
    for polarity in (Polarity.HIGHER, Polarity.LOWER):
        result = achievement(polarity, 0, 5)
        assert result.exact is None
        assert result.shown is None
        assert not result.computable
        assert result.flags == (Flag.NOT_COMPUTABLE,)
        assert result.display() == {"achievement": None, "computable": False, "flags": ["not_computable"]}
        assert band_of(result) is None


@pytest.mark.parametrize(
    ("realisation", "expected"),
    [
        ("80", "100.00"),  # the lower bound is inside
        ("85", "100.00"),  # inside
        ("90", "100.00"),  # the upper bound is inside
        ("90.01", "100.01"),  # just above: 90.01 / 90 × 100 = 100.0111…
        ("99", "110.00"),  # above: with T_high
        ("79.99", "99.99"),  # just below: 79.99 / 80 × 100 = 99.9875 → 99.99
        ("70", "87.50"),  # below: with T_low
    ],
)
def test_range_higher_is_better(realisation, expected):
    assert shown(Polarity.RANGE, "80", realisation, target_high="90") == Decimal(expected)


@pytest.mark.parametrize(
    ("realisation", "expected"),
    [
        ("5", "100.00"),
        ("10", "100.00"),
        ("12", "80.00"),  # above: (2 − 12/10) × 100
        ("4", "120.00"),  # below: (2 − 4/5) × 100
    ],
)
def test_range_lower_is_better(realisation, expected):
    assert shown(Polarity.RANGE, 5, realisation, target_high=10, range_polarity=Polarity.LOWER) == Decimal(expected)


def test_range_with_zero_lower_bound_below_is_not_computable():
    assert achievement(Polarity.RANGE, 0, -1, target_high=5).flags == (Flag.NOT_COMPUTABLE,)
    assert shown(Polarity.RANGE, 0, 0, target_high=5) == Decimal("100.00")


def test_range_of_one_point():
    assert shown(Polarity.RANGE, 10, 10, target_high=10) == Decimal("100.00")


def test_range_upside_down_or_incomplete_is_refused():
    with pytest.raises(AchievementError):
        achievement(Polarity.RANGE, 10, 5, target_high=5)
    with pytest.raises(AchievementError):
        achievement(Polarity.RANGE, 10, 5)
    with pytest.raises(AchievementError):
        achievement(Polarity.RANGE, 1, 5, target_high=10, range_polarity=Polarity.YES_NO)


def test_yes_no():
    assert shown(Polarity.YES_NO, None, True) == Decimal("100.00")
    assert shown(Polarity.YES_NO, None, False) == Decimal("0.00")
    assert shown(Polarity.YES_NO, None, 1) == Decimal("100.00")
    assert shown(Polarity.YES_NO, None, 0) == Decimal("0.00")


def test_bad_input():
    with pytest.raises(AchievementError):
        achievement(Polarity.HIGHER, "delapan", 5)
    with pytest.raises(AchievementError):
        achievement(Polarity.HIGHER, "NaN", 5)
    with pytest.raises(AchievementError):
        achievement(Polarity.HIGHER, None, 5)
    with pytest.raises(AchievementError):
        achievement(Polarity.HIGHER, 5, None)
    with pytest.raises(AchievementError):
        achievement(Polarity.HIGHER, 5, True)


def test_comma_decimal_mark():
    assert shown(Polarity.HIGHER, "80", "70,5") == Decimal("88.13")  # 88.125 → half up


@pytest.mark.parametrize(
    ("realisation", "band"),
    [
        ("91", "very_high"),
        ("90.99", "high"),
        ("76", "high"),
        ("75.99", "medium"),
        ("66", "medium"),
        ("51", "low"),
        ("50.99", "very_low"),
    ],
)
def test_bands_by_shown_figure(realisation, band):
    assert band_of(achievement(Polarity.HIGHER, 100, realisation))[0] == band


def test_bands_are_a_setting(settings):
    settings.PENDOPO_SAKIP_BANDS = (("100", "met", "Tercapai"), ("0", "not_met", "Tidak tercapai"))
    assert band_of(achievement(Polarity.HIGHER, 100, 99))[0] == "not_met"
    assert band_of(achievement(Polarity.HIGHER, 100, 100))[0] == "met"
