"""The reference's worked figures (prices.md §9), signs and ranges, the month boundary."""

import datetime as dt
from decimal import Decimal

from pendopo.prices import indicators
from pendopo.prices.indicators import ReferenceKind, Status, deviation, iph, show

D = dt.date


def test_worked_deviation_gula_is_plus_four_percent():
    result = deviation(18200, ReferenceKind.SINGLE, 17500)
    assert show(result.percent) == "4.00"
    assert result.status == Status.ABOVE


def test_deviation_sign_is_negative_below_the_ceiling():
    result = deviation(13000, ReferenceKind.CEILING, 13500)
    assert show(result.percent) == "-3.70"
    assert result.status == Status.WITHIN


def test_range_status_below_within_above_and_deviation_against_the_upper_bound():
    assert deviation(36000, ReferenceKind.RANGE, 41500, 36500).status == Status.BELOW
    assert deviation(36500, ReferenceKind.RANGE, 41500, 36500).status == Status.WITHIN
    assert deviation(41500, ReferenceKind.RANGE, 41500, 36500).status == Status.WITHIN
    above = deviation(47000, ReferenceKind.RANGE, 41500, 36500)
    assert above.status == Status.ABOVE
    assert show(above.percent) == "13.25"
    assert show(deviation(36000, ReferenceKind.RANGE, 41500, 36500).percent) == "-13.25"


def test_no_reference_gives_no_deviation():
    assert deviation(40000, ReferenceKind.NONE, None) == indicators.Deviation(None, Status.NONE)


def test_show_rounds_half_up():
    assert show(Decimal("1.575")) == "1.58"
    assert show(Decimal("1.125")) == "1.13"
    assert show(Decimal("-11.325")) == "-11.33"
    assert show(Decimal("1.8")) == "1.80"


def _worked():
    series = {
        "beras": {D(2025, 2, 10): Decimal(14000), D(2025, 3, 3): Decimal(14200), D(2025, 3, 4): Decimal(14220)},
        "bawang merah": {D(2025, 2, 3): Decimal(39000), D(2025, 2, 28): Decimal(41000), D(2025, 3, 10): Decimal(41500)},
        "gula": {D(2025, 2, 14): Decimal(18000), D(2025, 3, 1): Decimal(17730), D(2025, 3, 11): Decimal(99999)},
    }
    return series, {"beras": 5, "bawang merah": 3, "gula": 2}


def test_worked_iph_and_andil_half_up():
    series, weights = _worked()
    result = iph(series, weights, D(2025, 3, 10))
    by = {c.commodity: c for c in result.contributions}
    assert by["beras"].andil == Decimal("0.75")
    assert by["bawang merah"].andil == Decimal("1.125")
    assert by["gula"].andil == Decimal("-0.3")
    assert result.value == Decimal("1.575")
    shown = result.display()
    assert shown["iph"] == "1.58"
    assert {k: v["andil"] for k, v in shown["contributions"].items()} == {
        "beras": "0.75",
        "bawang merah": "1.13",
        "gula": "-0.30",
    }
    assert {k: v["change"] for k, v in shown["contributions"].items()} == {
        "beras": "1.50",
        "bawang merah": "3.75",
        "gula": "-1.50",
    }
    # Binary floating point would print 1.57 (the reference's warning).
    assert f"{0.5 * 1.5 + 0.3 * 3.75 - 0.2 * 1.5:.2f}" == "1.57"


def test_month_boundary_first_day_and_january():
    series = {"beras": {D(2024, 12, 31): Decimal(10000), D(2025, 1, 1): Decimal(10100), D(2024, 11, 30): Decimal(1)}}
    result = iph(series, {"beras": 1}, D(2025, 1, 1))
    assert result.previous_month == D(2024, 12, 1)
    assert show(result.value) == "1.00"
    # The day before: December against November.
    assert show(iph(series, {"beras": 1}, D(2024, 12, 31)).value) == "999900.00"


def test_a_commodity_without_prices_is_left_out_and_shares_rescaled():
    series, weights = _worked()
    weights["telur"] = 10
    series["telur"] = {D(2025, 3, 3): Decimal(28000)}  # nothing in February
    result = iph(series, weights, D(2025, 3, 10))
    assert result.left_out == ["telur"]
    assert show(result.value) == "1.58"


def test_changes_day_week_and_month_to_date():
    series = {
        D(2025, 2, 24): Decimal(100),
        D(2025, 2, 28): Decimal(100),
        D(2025, 3, 3): Decimal(110),
        D(2025, 3, 4): Decimal(121),
    }
    changes = indicators.changes(series, D(2025, 3, 4))
    assert show(changes.day_on_day) == "10.00"
    assert show(changes.week_on_week) == "15.50"  # (110+121)/2 against (100+100)/2
    assert show(changes.month_to_date) == "15.50"


def test_averages_per_week_and_month():
    series = {D(2025, 3, 3): Decimal(100), D(2025, 3, 9): Decimal(200), D(2025, 3, 10): Decimal(400)}
    assert indicators.averages(series, "week") == {D(2025, 3, 3): Decimal(150), D(2025, 3, 10): Decimal(400)}
    assert indicators.averages(series, "month") == {D(2025, 3, 1): Decimal(700) / 3}
