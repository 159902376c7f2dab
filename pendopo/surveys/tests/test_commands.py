"""`pendopo skm ikm FILE [--json]` and `pendopo skm sample-size POPULATION [--json]`."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from pendopo.surveys.tests.sheets import csv_bytes, xlsx_bytes


def run(*args):
    out = io.StringIO()
    call_command("skm", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def survey_file(tmp_path):
    def write(data: bytes, name: str = "survei.csv"):
        path = tmp_path / name
        path.write_bytes(data)
        return str(path)

    return write


def test_ikm_json(survey_file):
    path = survey_file(xlsx_bytes([[4] * 9, [3] * 9]), "survei.xlsx")
    data = json.loads(run("ikm", path, "--json"))
    assert data == {
        "respondents": 2,
        "nrr": {f"U{n}": "3.50" for n in range(1, 10)},
        "ikm": "3.50",
        "converted": "87.50",
        "grade": "B",
        "label": "Baik",
    }


def test_ikm_text(survey_file):
    path = survey_file(csv_bytes([[4] * 9] * 3))
    out = run("ikm", path)
    assert out.splitlines() == [
        "Respondents: 3",
        *[f"NRR U{n}: 4.00" for n in range(1, 10)],
        "IKM: 4.00",
        "Converted IKM: 100.00",
        "Grade: A",
        "Label: Sangat Baik",
    ]


def test_ikm_exact_ninth(survey_file):
    # 1 respondent: Σ = 31 → IKM 31/9, converted 86.111… → 86.11 (B); 0.111 would give 86.03.
    path = survey_file(csv_bytes([[4, 4, 4, 4, 4, 3, 3, 3, 2]]))
    data = json.loads(run("ikm", path, "--json"))
    assert (data["ikm"], data["converted"], data["grade"]) == ("3.44", "86.11", "B")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (csv_bytes([[4, 4, 5, 4, 4, 4, 4, 4, 4]]), "Row 2, column U3"),
        (csv_bytes([[4, 4, 4, 4, 4, 4, 4, 4, ""]]), "Row 2, column U9"),
        (csv_bytes([[4] * 8], header=["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8"]), "Column U9"),
        (b"", "The file is empty"),
        (csv_bytes([["=1+3", 4, 4, 4, 4, 4, 4, 4, 4]]), "Row 2, column U1: formulas are not accepted"),
    ],
)
def test_ikm_bad_input_names_row_and_column(survey_file, data, message):
    path = survey_file(data)
    with pytest.raises(CommandError, match=message):
        run("ikm", path, "--json")


def test_ikm_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run("ikm", str(tmp_path / "nope.csv"))


@pytest.mark.parametrize(("population", "sample"), [("100", 80), ("1000", 278), ("10000", 370), ("10.000", 370)])
def test_sample_size(population, sample):
    assert json.loads(run("sample-size", population, "--json"))["sample"] == sample
    assert run("sample-size", population).strip().endswith(f": {sample}")


@pytest.mark.parametrize("bad", ["-5", "1.5", "banyak"])
def test_sample_size_bad_input(bad):
    with pytest.raises(CommandError, match="not a number of people served"):
        run("sample-size", bad)
