"""LKE scores, totals and grade edges, exact (reference §5, §8, §9, §11)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from django.utils import translation

from pendopo.performance.scoring import Line, ScoringError, grade_of, mean_value, predikat_value, score

STANDARD: dict[str, int | Fraction] = {
    "1.a": 6, "1.b": 9, "1.c": 15, "2.a": 6, "2.b": 9, "2.c": 15,
    "3.a": 3, "3.b": Fraction(9, 2), "3.c": Fraction(15, 2), "4.a": 5, "4.b": Fraction(15, 2), "4.c": Fraction(25, 2),
}  # fmt: skip


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def lines(values: dict[str, int | str | Fraction]) -> list[Line]:
    return [Line(code, Fraction(STANDARD[code]), Fraction(value)) for code, value in values.items()]


def test_worked_example_predikat_times_weight():
    # Reference §11: Perencanaan 24.60, Pengukuran 25.50.
    predikat = {"1.a": "A", "1.b": "BB", "1.c": "BB", "2.a": "BB", "2.b": "BB", "2.c": "A"}
    figures = score(
        [Line(code, Fraction(STANDARD[code]), predikat_value(letter)) for code, letter in predikat.items()]
        + [Line("3.a", Fraction(40), Fraction(0))]
    ).display()
    assert [(s["code"], s["score"]) for s in figures["subcomponents"]][:6] == [
        ("1.a", "5.40"), ("1.b", "7.20"), ("1.c", "12.00"), ("2.a", "4.80"), ("2.b", "7.20"), ("2.c", "13.50"),
    ]  # fmt: skip
    assert [(c["code"], c["weight"], c["score"]) for c in figures["components"]] == [
        ("1", "30.00", "24.60"),
        ("2", "30.00", "25.50"),
        ("3", "40.00", "0.00"),
    ]
    assert figures["total"] == "50.10"
    assert figures["grade"] == "CC"


def test_mean_method_worked_example():
    # Reference §11: six criteria [1, 1, 1, 1, 0, 1] at weight 6 → 5.00; one unanswered → also 5.00.
    answered = mean_value([Fraction(v) for v in (1, 1, 1, 1, 0, 1)], 6)
    unanswered = mean_value([Fraction(1)] * 5 + [None], 6)
    assert Line("1.a", Fraction(6), answered).score == Line("1.a", Fraction(6), unanswered).score == 5


def test_total_is_the_weighted_sum_not_the_mean():
    values = dict.fromkeys(STANDARD, 80) | {"1.c": 100, "2.c": 100}
    result = score(lines(values))
    assert result.display()["total"] == "86.00"  # the plain mean of the 12 values would be 83.33


def test_total_79_72_is_bb():
    # 1.a..4.c all 80 except 3.b at 73.78: 80 − 4.5 × 6.22 / 100 = 79.7201 → 79.72.
    values = dict.fromkeys(STANDARD, 80) | {"3.b": Fraction("73.78")}
    figures = score(lines(values)).display()
    assert figures["total"] == "79.72"
    assert figures["grade"] == "BB"


def test_total_rounded_once_half_up():
    # 80.005 exactly: a float implementation prints 80.00 (0.01 off at a half) and grades it BB.
    result = score([Line("1.a", Fraction(50), Fraction(100)), Line("1.b", Fraction(50), Fraction("60.01"))])
    assert result.display()["total"] == "80.01"
    assert result.grade == "A"  # graded on the shown 80.01, above 80
    assert f"{50 * 60.01 / 100 + 50:.2f}" == "80.00"  # what binary floating point prints (and grades BB)


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("100", "AA"), ("90.01", "AA"), ("90.005", "AA"), ("90.004", "A"), ("90", "A"), ("80.01", "A"),
        ("80", "BB"), ("70.01", "BB"), ("70", "B"), ("60.01", "B"), ("60", "CC"), ("50.01", "CC"),
        ("50", "C"), ("30.01", "C"), ("30", "D"), ("0.01", "D"), ("0.005", "D"), ("0.004", "E"), ("0", "E"),
    ],
)  # fmt: skip
def test_grade_edges_lower_exclusive_upper_inclusive(total, grade):
    assert grade_of(Fraction(total))[0] == grade


def test_grade_labels():
    assert grade_of(Fraction(85)) == ("A", "Memuaskan")
    assert grade_of(Fraction(0)) == ("E", "-")


def test_weights_must_add_up_to_100():
    with pytest.raises(ScoringError) as error:
        score([Line("1.a", Fraction(60), Fraction(50)), Line("1.b", Fraction(30), Fraction(50))])
    assert error.value.problems == ["The weights add up to 90.00, not 100."]


def test_values_outside_0_100_and_bad_codes_listed_together():
    with pytest.raises(ScoringError) as error:
        score(
            [
                Line("1.a", Fraction(50), Fraction(101)),
                Line("x", Fraction(50), Fraction(-1)),
                Line("1.a", Fraction(0), Fraction(1)),
            ]
        )
    assert error.value.problems == [
        "Sub-component 1.a: the value must be between 0 and 100.",
        "x is not a sub-component code such as 1.a.",
        "Sub-component x: the value must be between 0 and 100.",
        "Sub-component 1.a appears twice.",
        "Sub-component 1.a: the weight must be above 0.",
    ]


def test_predikat_letters():
    assert [predikat_value(x) for x in ("AA", "a", "BB", "B", "CC", "C", "D", "E")] == [100, 90, 80, 70, 60, 50, 30, 0]
    with pytest.raises(ScoringError):
        predikat_value("AAA")


def test_problems_in_indonesian():
    with translation.override("id"), pytest.raises(ScoringError) as error:
        score([Line("1.a", Fraction(90), Fraction(50))])
    assert error.value.problems == ["Jumlah bobot 90.00, bukan 100."]
