import json

import pytest
from django.core.management import CommandError, call_command


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("prices", *args, stdout=out)
    return out.getvalue()


def test_deviation_json_worked_example():
    assert json.loads(run("deviation", "18.200", "--ceiling", "17,500", "--json")) == {
        "price": 18200, "ceiling": 17500, "floor": None, "deviation": "4.00", "status": "above"
    }  # fmt: skip


def test_deviation_of_a_range():
    figures = json.loads(run("deviation", "36000", "--ceiling", "41500", "--floor", "36500", "--json"))
    assert figures["status"] == "below"
    assert figures["deviation"] == "-13.25"
    assert "-13.25 % (below)" in run("deviation", "36000", "--ceiling", "41500", "--floor", "36500")


@pytest.mark.parametrize(
    "args",
    [
        ("abc", "--ceiling", "1000"),
        ("0", "--ceiling", "1000"),
        ("13,5", "--ceiling", "1000"),
        ("100", "--ceiling", "-1"),
        ("100", "--ceiling", "500", "--floor", "600"),
    ],
)
def test_deviation_refuses_bad_input(args):
    with pytest.raises(CommandError):
        run("deviation", *args)


PRICES = """date,commodity,price
2025-02-10,beras,14.000
2025-03-03,beras,14200
2025-03-04,beras,"14,220"
2025-02-03,bawang merah,39000
2025-02-28,bawang merah,41000
2025-03-10,bawang merah,41500
2025-02-14,gula,18000
2025-03-01,gula,17730
2025-03-11,gula,99999
"""
WEIGHTS = "commodity,weight\nberas,5\nbawang merah,3\ngula,2\n"


@pytest.fixture
def files(tmp_path):
    (tmp_path / "prices.csv").write_text(PRICES)
    (tmp_path / "weights.csv").write_text(WEIGHTS)
    return tmp_path


def test_iph_json_reproduces_the_worked_figures(files):
    figures = json.loads(
        run("iph", str(files / "prices.csv"), "--weights", str(files / "weights.csv"), "--through", "2025-03-10", "--json")
    )
    assert figures["iph"] == "1.58"
    assert figures["contributions"]["bawang merah"] == {
        "weight": "3",
        "share": "0.30",
        "previous_average": "40000.00",
        "month_to_date_average": "41500.00",
        "change": "3.75",
        "andil": "1.13",
    }
    assert figures["contributions"]["gula"]["andil"] == "-0.30"
    assert figures["contributions"]["beras"]["andil"] == "0.75"
    assert figures["month"] == "2025-03"
    assert figures["previous_month"] == "2025-02"


def test_iph_text(files):
    out = run("iph", str(files / "prices.csv"), "--weights", str(files / "weights.csv"), "--through", "2025-03-10")
    assert "1.58 %" in out
    assert "not BPS's figure" in out


def test_iph_wrong_header_and_bad_rows_are_listed(files):
    (files / "bad.csv").write_text("tanggal,komoditas,harga\n2025-03-01,beras,1\n")
    with pytest.raises(CommandError, match="header must be date,commodity,price"):
        run("iph", str(files / "bad.csv"), "--weights", str(files / "weights.csv"), "--through", "2025-03-10")
    (files / "rows.csv").write_text("date,commodity,price\n2025-13-01,beras,1000\n2025-03-01,beras,13.50\n2025-03-01,,100\n")
    with pytest.raises(CommandError) as caught:
        run("iph", str(files / "rows.csv"), "--weights", str(files / "weights.csv"), "--through", "2025-03-10")
    assert "Row 2:" in str(caught.value) and "Row 3:" in str(caught.value) and "Row 4:" in str(caught.value)


def test_iph_refuses_bad_weights_and_dates(files):
    (files / "w.csv").write_text("commodity,weight\nberas,-1\n")
    with pytest.raises(CommandError, match="Row 2"):
        run("iph", str(files / "prices.csv"), "--weights", str(files / "w.csv"), "--through", "2025-03-10")
    with pytest.raises(CommandError, match="not a date"):
        run("iph", str(files / "prices.csv"), "--weights", str(files / "weights.csv"), "--through", "10-03-2025")
    with pytest.raises(CommandError, match="No commodity"):
        run("iph", str(files / "prices.csv"), "--weights", str(files / "weights.csv"), "--through", "2025-06-10")
    with pytest.raises(CommandError, match="Cannot read"):
        run("iph", str(files / "missing.csv"), "--weights", str(files / "weights.csv"), "--through", "2025-03-10")
