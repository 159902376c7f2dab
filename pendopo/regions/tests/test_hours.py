"""Opening hours as people read them: one week of working periods, shown per day or with days run together."""

from __future__ import annotations

import datetime as dt

from django.utils import translation

from pendopo.regions import hours

T = dt.time
MORNING_AND_AFTERNOON = ((T(7, 30), T(12)), (T(13), T(15, 30)))
FRIDAY = ((T(7, 30), T(11)),)


def test_consecutive_days_with_the_same_periods_and_break_share_a_line():
    week = {0: MORNING_AND_AFTERNOON, 1: MORNING_AND_AFTERNOON, 2: MORNING_AND_AFTERNOON, 3: MORNING_AND_AFTERNOON, 4: FRIDAY}
    lines = hours.lines(week)
    assert [(str(line.first), line.last and str(line.last), line.opens, line.closes, line.breaks) for line in lines] == [
        ("Senin", "Kamis", T(7, 30), T(15, 30), ((T(12), T(13)),)),
        ("Jumat", None, T(7, 30), T(11), ()),
    ]
    assert hours.text(week) == "Senin–Kamis 07:30–15:30 (istirahat 12:00–13:00); Jumat 07:30–11:00"
    with translation.override("en"):
        assert hours.text(week) == "Monday–Thursday 07:30–15:30 (break 12:00–13:00); Friday 07:30–11:00"


def test_a_closed_day_or_other_hours_break_a_run_of_days():
    # Monday and Wednesday have the same hours, but Tuesday between them is closed; Thursday differs from Friday only by its
    # break; Sunday has no periods (closed) and is left out.
    week = {0: FRIDAY, 2: FRIDAY, 3: MORNING_AND_AFTERNOON, 4: ((T(7, 30), T(15, 30)),), 6: ()}
    assert hours.text(week) == (
        "Senin 07:30–11:00; Rabu 07:30–11:00; Kamis 07:30–15:30 (istirahat 12:00–13:00); Jumat 07:30–15:30"
    )
    assert hours.text({}) == ""


def test_the_week_lists_monday_to_sunday_with_closed_days_and_breaks():
    week = hours.week({0: MORNING_AND_AFTERNOON, 4: FRIDAY})
    assert [str(day.first) for day in week] == ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
    assert all(day.last is None for day in week)
    assert (week[0].opens, week[0].closes, week[0].breaks) == (T(7, 30), T(15, 30), ((T(12), T(13)),))
    assert (week[1].opens, week[1].closes, week[1].breaks) == (None, None, ())
    assert (week[4].opens, week[4].closes, week[4].breaks) == (T(7, 30), T(11), ())
