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
