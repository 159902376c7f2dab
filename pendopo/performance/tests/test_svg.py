"""The server-rendered bar chart keeps its labels apart, however many groups it has."""

from __future__ import annotations

import re

from pendopo.performance import svg


def test_many_wide_labels_stand_upright_and_the_chart_grows_to_hold_them():
    names = [f"Dinas Nomor {n:02d}" for n in range(14)]
    chart = str(svg.bar_chart("Agencies", names, [svg.Series("on time", [50] * 14)], ceiling=100))
    height = int(re.search(r'viewBox="0 0 560 (\d+)"', chart).group(1))
    assert height > svg.HEIGHT
    assert chart.count('transform="rotate(-90') == 14
    # Every label is under the plot and above the legend.
    tops = [float(y) for y in re.findall(r'<text x="[\d.]+" y="([\d.]+)"[^>]*rotate', chart)]
    assert min(tops) > svg.HEIGHT - svg.BOTTOM and max(tops) + len(names[0]) * svg.CHARACTER_WIDTH <= height - 14


def test_few_short_labels_stay_level_under_their_groups():
    chart = str(svg.bar_chart("Agencies", ["DLH", "Dinkes"], [svg.Series("on time", [80, 90])], ceiling=100))
    assert 'viewBox="0 0 560 220"' in chart and "rotate" not in chart and 'text-anchor="middle"' in chart


def _axis_labels(chart: str) -> list[str]:
    return re.findall(r'text-anchor="end" fill="#555">([^<]+)</text>', chart)


def test_the_value_axis_is_labelled_with_round_numbers():
    # Component scores up to 30: 0, 10, 20, 30 (a quarter of 30 would be 7.5, shown as "8", and 22.5 as "22").
    scores = str(svg.bar_chart("Scores", ["1", "2", "3", "4"], [svg.Series("self", [26.25, 30, 15, 25])]))
    assert _axis_labels(scores) == ["0", "10", "20", "30"]
    # An index from 25 to 100: the ends given, the labels land on both.
    ikm = str(svg.line_chart("IKM", ["Q1", "Q2"], [svg.Series("IKM", [87.0, 88.7])], floor=25, ceiling=100))
    assert _axis_labels(ikm) == ["25", "50", "75", "100"]
    # Rupiah in the thousands, and a share under one: plain digits and a point, never localised.
    money = str(svg.line_chart("Price", ["a", "b"], [svg.Series("price", [4987.5, 4750])], floor=0))
    assert _axis_labels(money) == ["0", "2000", "4000", "6000"]
    assert _axis_labels(str(svg.bar_chart("Share", ["a"], [svg.Series("s", [0.3])], ceiling=1))) == [
        "0",
        "0.25",
        "0.5",
        "0.75",
        "1",
    ]
    # Every value stays inside the plot, negative ones too.
    gap = str(svg.bar_chart("Gap", ["1", "2"], [svg.Series("gap", [-3.75, 0])], floor=None))
    assert _axis_labels(gap)[0] == "-4"


def test_the_legend_names_do_not_run_into_each_other():
    names = ["permohonan tepat waktu", "pengaduan tepat waktu", "IKM"]
    chart = str(svg.bar_chart("Agencies", ["DLH"], [svg.Series(name, [50]) for name in names], ceiling=100))
    swatches = [float(x) for x in re.findall(r'<rect x="([\d.]+)" y="\d+" width="10" height="10"', chart)]
    labels = [float(x) for x in re.findall(r'<text x="([\d.]+)" y="\d+" font-size="11" fill="#333">', chart)]
    assert len(swatches) == len(labels) == 3
    for name, label_x, next_swatch in zip(names, labels, swatches[1:], strict=False):
        assert label_x + len(name) * svg.CHARACTER_WIDTH < next_swatch


def test_a_legend_too_wide_for_one_row_takes_two_and_the_chart_grows():
    regions = [svg.Series(f"Kabupaten Nomor Panjang {n}", [50, 60]) for n in range(4)]
    chart = str(svg.line_chart("Regions", ["2025", "2026"], regions, floor=0, ceiling=100))
    height = int(re.search(r'viewBox="0 0 560 (\d+)"', chart).group(1))
    assert height == svg.HEIGHT + svg.LEGEND_ROW
    places = re.findall(r'<text x="([\d.]+)" y="(\d+)" font-size="11" fill="#333">', chart)
    assert len({y for _x, y in places}) == 2
    assert all(float(x) + len(regions[0].name) * svg.CHARACTER_WIDTH <= svg.WIDTH for x, _y in places)


def test_a_chart_without_any_value_says_so():
    from django.utils import translation

    with translation.override("id"):
        empty = str(svg.bar_chart("Agencies", ["DLH", "Dinkes"], [svg.Series("on time", [None, None])], ceiling=100))
        zero = str(svg.bar_chart("Agencies", ["DLH", "Dinkes"], [svg.Series("on time", [0, None])], ceiling=100))
    assert "Belum ada angka." in empty
    assert "Belum ada angka." not in zero  # a value of 0 is a figure


def test_a_label_too_long_for_its_group_is_cut_with_an_ellipsis_not_mid_word_silently():
    chart = str(svg.bar_chart("Figures", ["Indeks kepuasan masyarakat", "IKM"], [svg.Series("a", [80, 90])], ceiling=100))
    assert "Indeks kepuasan m…" in chart and ">IKM<" in chart


def test_a_bar_without_a_figure_is_a_named_dash_not_a_gap():
    from django.utils import translation

    with translation.override("id"):
        chart = str(
            svg.bar_chart(
                "Regions",
                ["On time", "IKM"],
                [svg.Series("Banyuwangi", [80, 0]), svg.Series("Mamuju Tengah", [None, 70])],
                ceiling=100,
            )
        )
    dashes = re.findall(r'<text x="([\d.]+)"[^>]*class="no-figure"><title>([^<]*)</title>–</text>', chart)
    assert [title for _x, title in dashes] == ["Mamuju Tengah: tidak ada angka"]
    # A value of 0 is a figure: a bar of no height, not a dash.
    assert chart.count('class="no-figure"') == 1
    empty = str(svg.bar_chart("Regions", ["On time"], [svg.Series("Banyuwangi", [None])], ceiling=100))
    assert 'class="no-figure"' not in empty  # the whole chart says it has no figures instead
