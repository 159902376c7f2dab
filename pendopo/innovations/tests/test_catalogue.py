"""The catalogue per period: maxima, levels, row scores of the reference's worked figures (§5, §6, §12)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pendopo.innovations import catalogue, index
from pendopo.innovations.catalogue import SID, SPD, CatalogueError

P2023, P2026 = catalogue.period(2023), catalogue.period(2026)


def test_2026_maxima():
    assert P2026.spd_maximum == 63
    assert P2026.sid_maximum == 111
    assert P2026.count_maximum == 76
    assert P2026.total_maximum == 250
    assert (P2026.min_divisor, P2026.basic_services_required) == (12, 5)


def test_2026_shares_of_the_maximum():
    assert P2026.spd_maximum / P2026.total_maximum * 100 == Decimal("25.2")
    assert P2026.sid_maximum / P2026.total_maximum * 100 == Decimal("44.4")
    assert P2026.count_maximum / P2026.total_maximum * 100 == Decimal("30.4")


def test_2026_rows():
    assert [row.code for row in P2026.spd][:3] == ["1", "2a", "2b"]
    assert len(P2026.spd) == 20 and len(P2026.sid) == 20
    assert sum(row.weight for row in P2026.spd) == 21
    assert sum(row.weight for row in P2026.sid) == 37
    assert {row.code for row in P2026.sid if row.mandatory} == {"16", "17", "32", "33", "35"}
    assert all(len(row.levels) == 3 for row in (*P2026.spd, *P2026.sid))


def test_2023_is_the_older_profile():
    assert P2023.min_divisor == 10
    assert P2023.indicator(SID, "16").maximum == 3
    assert P2023.sid_maximum == 105
    assert P2023.indicator(SID, "31").maximum == 9
    assert P2023.indicator(SID, "33").level_for(150, "a") == 2
    assert P2026.indicator(SID, "33").level_for(150, "a") == 1
    # Only the changed basis differs; the others are the 2026 ones.
    assert P2023.indicator(SID, "33").basis("e") == P2026.indicator(SID, "33").basis("e")
    assert not P2023.confirmed


def test_worked_row_scores():
    assert P2026.indicator(SPD, "6").score(2) == Decimal("3.00")  # weight 1.5
    assert P2026.indicator(SPD, "5a").score(3) == Decimal("2.25")  # weight 0.75
    replication = P2026.indicator(SID, "31")
    assert replication.score(replication.level_for(2)) == 6
    benefit = P2026.indicator(SID, "33")
    assert benefit.score(benefit.level_for(350, "a")) == 6


@pytest.mark.parametrize(("value", "level"), [(0, None), (1, 1), (200, 1), (201, 2), (500, 2), (501, 3)])
def test_benefit_beneficiary_levels(value, level):
    assert P2026.indicator(SID, "33").level_for(value, "a") == level


def test_lower_is_better_rows():
    poverty = P2026.indicator(SPD, "10b")
    assert poverty.level_for(Decimal("14")) == 1
    assert poverty.level_for(Decimal("3")) == 3
    assert P2026.indicator(SID, "28").level_for(1) == 3


@pytest.mark.parametrize("level", [0, 4, -1])
def test_level_outside_1_to_3_is_refused(level):
    with pytest.raises(CatalogueError) as caught:
        P2026.indicator(SID, "16").score(level)
    assert caught.value.code == "level"


def test_unanswered_row_scores_zero():
    assert P2026.indicator(SID, "16").score(None) == 0
    assert index.row_total(P2026, SID, {"16": 3, "17": 2, "18": None}) == 13


def test_unknown_period_and_row():
    with pytest.raises(CatalogueError, match="2025"):
        catalogue.period(2025)
    with pytest.raises(CatalogueError):
        P2026.indicator(SID, "99")
    with pytest.raises(CatalogueError):
        P2026.indicator(SID, "33").basis("z")


def test_2023_marks_its_unconfirmed_rows():
    p2023 = catalogue.period(2023)
    assert not p2023.confirmed and p2023.note
    assert [(row.aspect, row.code) for row in p2023.unconfirmed] == [("sid", "16"), ("sid", "20"), ("sid", "29"), ("sid", "33")]
    assert catalogue.period(2026).unconfirmed == []
