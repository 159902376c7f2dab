"""`pendopo innovations index` and `pendopo innovations row`."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def run(*args: str) -> str:
    out = StringIO()
    call_command("innovations", *args, stdout=out)
    return out.getvalue()


def test_index_json_of_the_perfect_input():
    figures = json.loads(
        run("index", "--period", "2026", "--spd", "63", "--scores", ",".join(["111"] * 200), "--basic-services", "6", "--json")
    )
    assert figures["iid"] == "100.00"
    assert figures["category"] == "Sangat Inovatif"
    assert figures["total"] == "250.00"


def test_index_text_of_nothing_reported():
    text = run("index", "--period", "2023", "--spd", "0", "--basic-services", "0")
    assert "IID: 0.00" in text
    assert "Category: Tidak Dapat Dinilai" in text
    assert "empty seats 10" in text


def test_row_scores():
    assert (
        json.loads(run("row", "--period", "2026", "--code", "33", "--value", "350", "--basis", "a", "--json"))["score"] == "6.00"
    )
    assert (
        json.loads(run("row", "--period", "2026", "--aspect", "spd", "--code", "6", "--level", "2", "--json"))["score"] == "3.00"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("row", "--period", "2026", "--code", "16", "--level", "4"), "must be 1, 2 or 3"),
        (("row", "--period", "2026", "--code", "16", "--level", "two"), "must be 1, 2 or 3"),
        (("row", "--period", "2026", "--code", "33", "--value", "9"), "needs --basis"),
        (("index", "--period", "2025", "--spd", "0", "--basic-services", "0"), "no index catalogue for the period 2025"),
        (("index", "--period", "2026", "--spd", "64", "--basic-services", "0"), "between 0 and 63"),
        (("index", "--period", "2026", "--spd", "1", "--scores", "1,x", "--basic-services", "0"), "Innovation 2"),
        (("index", "--period", "2026", "--spd", "1", "--basic-services", "seven"), "--basic-services"),
        (("index", "--period", "2026", "--spd", "1", "--basic-services", "7"), "from 0 to 6"),
    ],
)
def test_bad_input_is_a_clear_error(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
