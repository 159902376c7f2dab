"""`pendopo sakip evaluate FILE [--json]` and `pendopo sakip achievement ...`."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from pendopo.surveys.tests.sheets import csv_bytes, xlsx_bytes

HEADER = ["subcomponent", "weight", "value"]
ROWS = [
    ["1.a", 6, 90], ["1.b", 9, 80], ["1.c", 15, 80], ["2.a", 6, 80], ["2.b", 9, 80], ["2.c", 15, 90],
    ["3.a", 3, 80], ["3.b", 4.5, "73.78"], ["3.c", 7.5, 80], ["4.a", 5, 80], ["4.b", 7.5, 80], ["4.c", 12.5, 80],
]  # fmt: skip


def run(*args):
    out = io.StringIO()
    call_command("sakip", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def sheet(tmp_path):
    def write(data: bytes, name: str = "lke.csv"):
        path = tmp_path / name
        path.write_bytes(data)
        return str(path)

    return write


def test_evaluate_json_xlsx(sheet):
    data = json.loads(run("evaluate", sheet(xlsx_bytes(ROWS, HEADER), "lke.xlsx"), "--json"))
    assert data["total"] == "81.82"
    assert data["grade"] == "A"
    assert data["components"] == [
        {"code": "1", "weight": "30.00", "score": "24.60"},
        {"code": "2", "weight": "30.00", "score": "25.50"},
        {"code": "3", "weight": "15.00", "score": "11.72"},
        {"code": "4", "weight": "25.00", "score": "20.00"},
    ]
    assert data["subcomponents"][7] == {"code": "3.b", "weight": "4.50", "value": "73.78", "score": "3.32"}


def test_evaluate_79_72_text_csv_with_indonesian_headers_and_semicolons(sheet):
    rows = [[code, str(weight).replace(".", ","), str(value).replace(".", ",")] for code, weight, value in ROWS]
    rows[0][2] = "80"
    rows[5][2] = "80"
    out = run("evaluate", sheet(csv_bytes(rows, ["Subkomponen", "Bobot", "Nilai"], delimiter=";")))
    assert out.splitlines()[-2:] == ["Total: 79.72", "Grade: BB (Sangat Baik)"]


def test_evaluate_weights_not_100(sheet):
    with pytest.raises(CommandError, match=r"The weights add up to 94\.00, not 100\."):
        run("evaluate", sheet(csv_bytes([*ROWS[:-1], ["4.c", 6.5, 80]], HEADER)))


def test_evaluate_value_outside_0_100_and_not_a_number(sheet):
    rows = [*ROWS[:-2], ["4.b", 7.5, 101], ["4.c", 12.5, "banyak"]]
    with pytest.raises(CommandError) as error:
        run("evaluate", sheet(csv_bytes(rows, HEADER)))
    assert "Row 13, column value: banyak is not a number." in str(error.value)


def test_evaluate_value_out_of_range(sheet):
    rows = [*ROWS[:-1], ["4.c", 12.5, 100.5]]
    with pytest.raises(CommandError, match=r"Sub-component 4\.c: the value must be between 0 and 100\."):
        run("evaluate", sheet(csv_bytes(rows, HEADER)))


def test_evaluate_not_a_worksheet(sheet):
    with pytest.raises(CommandError, match="This is not a worksheet"):
        run("evaluate", sheet(csv_bytes([[4] * 9])))  # a survey file
    with pytest.raises(CommandError, match="not a readable XLSX"):
        run("evaluate", sheet(b"PK\x03\x04garbage", "lke.xlsx"))
    with pytest.raises(CommandError, match="The file is empty"):
        run("evaluate", sheet(b""))
    with pytest.raises(CommandError, match="Cannot read"):
        run("evaluate", "/nonexistent/lke.csv")


def test_evaluate_refuses_formulas(sheet):
    rows = [*ROWS[:-1], ["4.c", 12.5, "=80+0"]]
    with pytest.raises(CommandError, match="a formula is not accepted"):
        run("evaluate", sheet(xlsx_bytes(rows, HEADER), "lke.xlsx"))


def test_achievement_json():
    assert json.loads(run("achievement", "--target", "80", "--realisation", "70", "--json")) == {
        "polarity": "higher",
        "target": "80.00",
        "realisation": "70.00",
        "achievement": "87.50",
        "computable": True,
        "flags": [],
        "band": "high",
    }


def test_achievement_lower_and_range():
    data = json.loads(run("achievement", "--target", "10", "--realisation", "25", "--polarity", "lower", "--json"))
    assert (data["achievement"], data["flags"]) == ("-50.00", ["negative"])
    data = json.loads(run("achievement", "--target", "80", "--target-high", "90", "--realisation", "85", "--json"))
    assert (data["achievement"], data["target_high"]) == ("100.00", "90.00")
    assert run("achievement", "--target", "80", "--realisation", "70") == "Achievement: 87.50 %\n"


def test_achievement_target_zero_and_bad_number():
    data = json.loads(run("achievement", "--target", "0", "--realisation", "5", "--json"))
    assert (data["achievement"], data["computable"], data["flags"]) == (None, False, ["not_computable"])
    assert "not computable" in run("achievement", "--target", "0", "--realisation", "5")
    with pytest.raises(CommandError, match="is not a number"):
        run("achievement", "--target", "x", "--realisation", "5")
    with pytest.raises(CommandError, match="upper end"):
        run("achievement", "--target", "9", "--target-high", "5", "--realisation", "5")
