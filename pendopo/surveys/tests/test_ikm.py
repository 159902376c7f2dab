"""The index exactly as PermenPANRB 14/2017 defines it (regulations.md §1)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from pendopo.surveys import ikm


@pytest.mark.parametrize(
    ("nrr", "converted", "grade", "label"),
    [
        ("4", "100.00", "A", "Sangat Baik"),
        ("3.5", "87.50", "B", "Baik"),
        ("1", "25.00", "D", "Tidak Baik"),
    ],
)
def test_public_examples(nrr, converted, grade, label):
    index = ikm.from_nrr([nrr] * 9)
    figures = index.display()
    assert figures["converted"] == converted
    assert (figures["grade"], figures["label"]) == (grade, label)


def test_nrr_is_the_sum_over_the_respondents_and_the_index_their_mean():
    rows = [(4, 4, 3, 3, 2, 4, 4, 3, 1), (3, 4, 3, 2, 2, 4, 3, 3, 2), (4, 3, 3, 3, 3, 4, 4, 2, 2)]
    index = ikm.from_scores(rows)
    assert index.respondents == 3
    assert index.nrr["U1"] == Fraction(11, 3)
    assert index.nrr["U9"] == Fraction(5, 3)
    assert index.ikm == sum(index.nrr.values()) / 9
    assert index.converted == index.ikm * 25
    # 82 points over 27 answers: 82/27 = 3.037037…, × 25 = 75.925925…
    assert index.ikm == Fraction(82, 27)
    assert index.display()["converted"] == "75.93"
    assert index.grade == "C"
    assert index.display()["nrr"]["U1"] == "3.67"


@pytest.mark.parametrize(
    ("converted", "grade"),
    [
        ("100", "A"),
        ("88.31", "A"),
        ("88.305", "A"),  # shown as 88.31
        ("88.30", "B"),
        ("88.3049", "B"),
        ("76.61", "B"),
        ("76.60", "C"),
        ("65.00", "C"),
        ("64.995", "C"),  # shown as 65.00
        ("64.99", "D"),
        ("25", "D"),
    ],
)
def test_grade_boundaries_on_the_value_shown(converted, grade):
    assert ikm.grade_of(Fraction(converted))[0] == grade


def test_grade_boundaries_from_responses():
    # IKM × 25 = 88.31 exactly needs NRR sum = 31.7916; build the index from nine NRR values.
    at_a = ikm.from_nrr([Fraction(88_31 * 9, 100 * 25) / 9] * 9)
    assert at_a.display()["converted"] == "88.31"
    assert at_a.grade == "A"
    below = ikm.from_nrr([Fraction(88_30 * 9, 100 * 25) / 9] * 9)
    assert (below.display()["converted"], below.grade) == ("88.30", "B")


def test_exact_ninth_versus_the_shortened_weights():
    """The worked example style of regulations.md: 91.48 exactly, 90.56 with 0.11, 91.39 with 0.111."""
    # 1,000 respondents whose element sums total 32,932 points: Σ NRR = 32.932.
    sums = {"U1": 3700, "U2": 3660, "U3": 3650, "U4": 3800, "U5": 3640, "U6": 3700, "U7": 3720, "U8": 3560, "U9": 3502}
    assert sum(sums.values()) == 32_932
    index = ikm.from_sums(1000, sums)
    assert index.display()["converted"] == "91.48"

    nrr_total = sum(Decimal(value.numerator) / Decimal(value.denominator) for value in index.nrr.values())
    with_011 = ikm.round_half_up(nrr_total * Decimal("0.11") * 25)
    with_0111 = ikm.round_half_up(nrr_total * Decimal("0.111") * 25)
    assert str(with_011) == "90.56"
    assert str(with_0111) == "91.39"
    assert index.display()["converted"] not in {str(with_011), str(with_0111)}


def test_the_weight_is_exact_one_ninth_not_a_float():
    # A mean that is not a terminating decimal: 1/9 of 31 = 3.444…; × 25 = 86.111…
    index = ikm.from_nrr([4, 4, 4, 4, 4, 3, 3, 3, 2])
    assert index.ikm == Fraction(31, 9)
    assert index.converted == Fraction(775, 9)
    assert Fraction(1, 9) == ikm.WEIGHT


@pytest.mark.parametrize(
    ("value", "shown"),
    [(Fraction(1, 8), "0.13"), (Fraction(-1, 8), "-0.13"), (Fraction(2, 3), "0.67"), (Decimal("87.505"), "87.51"), (4, "4.00")],
)
def test_round_half_up(value, shown):
    assert str(ikm.round_half_up(value)) == shown


@pytest.mark.parametrize(
    ("population", "sample"),
    [(0, 0), (1, 1), (10, 10), (50, 44), (100, 80), (500, 217), (1000, 278), (5000, 357), (10000, 370), (100000, 383)],
)
def test_krejcie_morgan(population, sample):
    assert ikm.sample_size(population) == sample


@pytest.mark.parametrize("bad", [-1, 1.5, "100", True])
def test_sample_size_refuses_what_is_not_a_count(bad):
    with pytest.raises(ikm.IkmError):
        ikm.sample_size(bad)


@pytest.mark.parametrize(
    "rows",
    [
        [],
        [(4, 4, 4, 4, 4, 4, 4, 4)],
        [(4, 4, 4, 4, 4, 4, 4, 4, 5)],
        [(0, 4, 4, 4, 4, 4, 4, 4, 4)],
        [(True, 4, 4, 4, 4, 4, 4, 4, 4)],
    ],
)
def test_from_scores_refuses_bad_rows(rows):
    with pytest.raises(ikm.IkmError):
        ikm.from_scores(rows)


def test_from_sums_needs_every_element():
    with pytest.raises(ikm.IkmError, match="U9"):
        ikm.from_sums(1, {f"U{n}": 4 for n in range(1, 9)})
