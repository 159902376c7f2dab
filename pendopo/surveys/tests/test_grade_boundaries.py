"""The grade boundaries reached by real answers, end to end: a file through `pendopo skm ikm`, and
responses in the database through the report's aggregate query.

Each set below is n respondents whose 9·n scores add up to S, so the converted index is
25·S / (9·n) exactly; the sets were chosen to land on each side of each boundary of the
regulation's table (88.31 / 88.30, 76.61 / 76.60, 65.00 / 64.99) once rounded half up.
"""

from __future__ import annotations

import io
import json
from fractions import Fraction

import pytest
from django.core.management import call_command

from pendopo.surveys import indices
from pendopo.surveys.models import SurveyResponse
from pendopo.surveys.periods import Kind, Period
from pendopo.surveys.tests.conftest import answer
from pendopo.surveys.tests.sheets import csv_bytes

# (respondents, sum of all scores) → converted index shown, grade, label
SETS = [
    ((24, 763), "88.31", "A", "Sangat Baik"),  # 88.3101…
    ((19, 604), "88.30", "B", "Baik"),  # 88.3040…
    ((19, 524), "76.61", "B", "Baik"),  # 76.6081…
    ((26, 717), "76.60", "C", "Kurang Baik"),  # 76.6025…
    ((5, 117), "65.00", "C", "Kurang Baik"),  # 65 exactly
    ((38, 889), "64.99", "D", "Tidak Baik"),  # 64.9853…
]


def score_rows(respondents: int, total: int) -> list[list[int]]:
    """`respondents` rows of nine scores (1–4) adding up to `total`, spread as evenly as possible."""
    cells = respondents * 9
    base, extra = divmod(total, cells)
    flat = [base + 1] * extra + [base] * (cells - extra)
    return [flat[n * 9 : (n + 1) * 9] for n in range(respondents)]


@pytest.mark.parametrize(("size", "shown", "grade", "label"), SETS, ids=[s[1] for s in SETS])
def test_command_on_a_file(tmp_path, size, shown, grade, label):
    respondents, total = size
    assert Fraction(25 * total, 9 * respondents)  # the exact converted index the file holds
    path = tmp_path / "survei.csv"
    path.write_bytes(csv_bytes(score_rows(respondents, total)))
    out = io.StringIO()
    call_command("skm", "ikm", str(path), "--json", stdout=out)
    figures = json.loads(out.getvalue())
    assert (figures["respondents"], figures["converted"], figures["grade"], figures["label"]) == (
        respondents,
        shown,
        grade,
        label,
    )


@pytest.mark.parametrize(("size", "shown", "grade", "label"), SETS, ids=[s[1] for s in SETS])
def test_database_aggregate(world, services, size, shown, grade, label):
    respondents, total = size
    for row in score_rows(respondents, total):
        answer(services.ktp, row)
    index = indices.index_of(SurveyResponse.objects.filter(region=world.region_a), None)
    assert index is not None
    assert (index.respondents, index.display()["converted"], index.grade, index.label) == (
        respondents,
        shown,
        grade,
        label,
    )
    period = Period.containing(Kind.YEAR, SurveyResponse.objects.first().local_date)
    (unit,) = indices.by_unit(SurveyResponse.objects.filter(region=world.region_a), indices.Level.SERVICE, period)
    assert unit.figures["converted"] == shown and unit.index.grade == grade
