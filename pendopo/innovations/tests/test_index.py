"""The index engine on the reference's worked figures and band edges (innovation.md §3, §4, §12)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pendopo.innovations import catalogue, index
from pendopo.innovations.catalogue import CatalogueError

P2023, P2026 = catalogue.period(2023), catalogue.period(2026)


def scores_for(period: catalogue.Period, iid: str, *, spd: str = "63", n: int | None = None) -> list[Decimal]:
    """n innovation totals that, with `spd` and no basic-service coverage, give exactly `iid`."""
    n = n or period.min_divisor
    total = Decimal(iid) * period.total_maximum / 100
    rows = (total - Decimal(spd)) * max(n, period.min_divisor)
    result = []
    for _ in range(n):
        share = min(rows, period.sid_maximum)
        result.append(share)
        rows -= share
    assert rows == 0, "the target needs more innovations"
    return result


def test_perfect_input_2026_is_100_sangat_inovatif():
    result = index.compute(P2026, "63", ["111"] * 200, 6)
    figures = result.display()
    assert figures["rows_score"] == "111.00"
    assert figures["count_score"] == "76.00"
    assert figures["total"] == "250.00"
    assert figures["iid"] == "100.00"
    assert figures["category"] == "Sangat Inovatif"


def test_perfect_input_2023_is_100_on_the_2023_maximum():
    result = index.compute(P2023, P2023.spd_maximum, [P2023.sid_maximum] * 200, 6)
    assert P2023.total_maximum == Decimal("244.00")
    assert (result.iid, result.category) == (Decimal("100.00"), "Sangat Inovatif")


@pytest.mark.parametrize("period", [P2023, P2026])
def test_nothing_reported_is_0_tidak_dapat_dinilai(period):
    result = index.compute(period, 0, [], 0)
    assert result.display()["iid"] == "0.00"
    assert result.category == "Tidak Dapat Dinilai"
    assert result.empty_seats == period.min_divisor


def test_count_score_is_capped_at_200_innovations():
    result = index.compute(P2026, 0, [0] * 250, 6)
    assert result.display()["count_score"] == "76.00"


def test_missing_coverage_zeroes_the_count_score_and_shows_its_cost():
    covered = index.compute(P2026, 0, [0] * 200, 5)
    missing = index.compute(P2026, 0, [0] * 200, 4)
    assert covered.display()["count_score"] == "76.00"
    assert missing.display()["count_score"] == "0.00"
    assert missing.display()["coverage_cost"] == "30.40"  # 76 / 250 x 100


def test_2023_needs_the_coverage_of_its_own_data():
    assert index.compute(P2023, 0, [0] * 10, 5).coverage_met


def test_empty_seats_divide_and_their_cost_is_shown():
    # 3 innovations of 111 divide by k = 12: 333 / 12 = 27.75, not 111.
    result = index.compute(P2026, 0, [111, 111, 111], 0)
    figures = result.display()
    assert (figures["divisor"], figures["empty_seats"], figures["rows_score"]) == (12, 9, "27.75")
    # Filling the 9 seats at the same average would add (111 - 27.75) / 250 x 100 = 33.30 points.
    assert figures["empty_seats_cost"] == "33.30"
    assert index.compute(P2023, 0, [105] * 3, 0).divisor == 10


def test_json_figures_are_strings_with_two_decimals():
    # 7 + 120 / 12 = 17 of 250 -> 6.80
    figures = index.compute(P2026, "7", ["50", "40", "30"], 4).display()
    assert figures["iid"] == "6.80"
    assert all(isinstance(figures[key], str) for key in ("spd", "sid", "total", "iid"))


def test_iid_rounds_half_up():
    # 117.6 / 250 x 100 = 47.04; 117.6125 -> 47.045 -> 47.05 (half up, not to even).
    assert index.compute(P2026, "63", scores_for(P2026, "47.04"), 0).display()["iid"] == "47.04"
    assert index.compute(P2026, "63", scores_for(P2026, "47.045"), 0).display()["iid"] == "47.05"
    assert index.compute(P2026, "63", scores_for(P2026, "47.0449"), 0).display()["iid"] == "47.04"


EDGES = [
    (P2026, "65.01", "Sangat Inovatif"),
    (P2026, "65.005", "Sangat Inovatif"),  # published as 65.01
    (P2026, "65.0049", "Inovatif"),
    (P2026, "65.00", "Inovatif"),
    (P2026, "40.01", "Inovatif"),
    (P2026, "40.00", "Kurang Inovatif"),
    (P2026, "0.01", "Kurang Inovatif"),
    (P2026, "0.005", "Kurang Inovatif"),
    (P2026, "0.0049", "Tidak Dapat Dinilai"),
    (P2023, "60.01", "Sangat Inovatif"),
    (P2023, "60.00", "Inovatif"),
    (P2023, "60.0049", "Inovatif"),
    (P2023, "60.005", "Sangat Inovatif"),
    (P2023, "35.00", "Inovatif"),
    (P2023, "34.995", "Inovatif"),  # the 0.01 gap closes for the published figure
    (P2023, "34.9949", "Kurang Inovatif"),
    (P2023, "34.99", "Kurang Inovatif"),
    (P2023, "0.01", "Kurang Inovatif"),
]


@pytest.mark.parametrize(("period", "iid", "category"), EDGES, ids=[f"{p.year}-{i}" for p, i, _ in EDGES])
def test_band_edges(period, iid, category):
    spd = "0" if Decimal(iid) < 20 else "63"
    result = index.compute(period, spd, scores_for(period, iid, spd=spd), 0)
    assert result.category == category
    assert result.iid == index.round_half_up(Decimal(iid), 2)


def test_category_of_zero_is_tidak_dapat_dinilai_in_both_periods():
    assert P2023.category(Decimal("0.00")) == P2026.category(Decimal("0.00")) == "Tidak Dapat Dinilai"


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("64", [], 0), "range"),
        (("-1", [], 0), "range"),
        (("1", ["112"], 0), "range"),
        (("1", ["-0.5"], 0), "range"),
        (("x", [], 0), "number"),
        (("1", ["1"], 7), "basic_services"),
        (("1", ["1"], -1), "basic_services"),
    ],
)
def test_bad_figures_are_refused(args, code):
    with pytest.raises(CatalogueError) as caught:
        index.compute(P2026, *args)
    assert caught.value.code == code


def test_decimal_commas_are_read():
    assert index.parse_scores("47,5;60") == ["47,5", "60"]
    assert index.compute(P2026, "1,5", index.parse_scores("47,5;60"), 0).spd == Decimal("1.5")
