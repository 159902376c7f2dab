"""The agreement rules on fixed dates (reference §4–§6), free of the database."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from pendopo.cooperation import rules
from pendopo.cooperation.models import Capacity, DocumentKind, Form

D = dt.date


def test_latest_end_is_the_day_before_the_fifth_anniversary():
    assert rules.latest_end(D(2022, 4, 1)) == D(2027, 3, 31)
    assert rules.latest_end(D(2022, 1, 1)) == D(2026, 12, 31)


def test_a_29_february_start_ends_on_28_february():
    # 2029 has no 29 February: the anniversary is 1 March, the latest end the day before.
    assert rules.latest_end(D(2024, 2, 29)) == D(2029, 2, 28)
    # Into a leap year: 28 February 2023 + 5 years is 28 February 2028, the end 27 February.
    assert rules.latest_end(D(2023, 2, 28)) == D(2028, 2, 27)


def test_term_at_most_five_years_unless_a_special_law():
    assert rules.term_ok(D(2022, 4, 1), D(2027, 3, 31))
    assert not rules.term_ok(D(2022, 4, 1), D(2027, 4, 1))
    assert rules.term_ok(D(2022, 4, 1), D(2032, 3, 31), special_law_basis="UU 1/2022 Pasal 5")
    assert not rules.term_ok(D(2022, 4, 1), D(2022, 3, 31))


def test_who_signs_what():
    for kind in (DocumentKind.OFFER, DocumentKind.KB, DocumentKind.PKS, DocumentKind.NK, DocumentKind.MOU):
        assert rules.may_sign(kind, Capacity.REGIONAL_HEAD)
    assert rules.may_sign(DocumentKind.PKS, Capacity.KUASA, kuasa_number="800/12/2022")
    assert not rules.may_sign(DocumentKind.PKS, Capacity.KUASA)  # a kuasa holder names the kuasa
    assert not rules.may_sign(DocumentKind.KB, Capacity.KUASA, kuasa_number="800/12/2022")
    assert not rules.may_sign(DocumentKind.OFFER, Capacity.KUASA, kuasa_number="800/12/2022")
    assert not rules.may_sign(DocumentKind.PKS, Capacity.OTHER)


def test_council_gate():
    assert not rules.council_required(Form.KSDD, burdens_public=False, budgeted_this_year=True)
    assert rules.council_required(Form.KSDD, burdens_public=True, budgeted_this_year=True)
    assert rules.council_required(Form.KSDPK, burdens_public=False, budgeted_this_year=False)
    assert rules.council_required(Form.KSDPL, burdens_public=False, budgeted_this_year=True)


def test_twice_a_year_cadence_marks_a_missing_half_overdue():
    periods = rules.evaluation_periods(2023, 2)
    assert periods == [(D(2023, 1, 1), D(2023, 6, 30)), (D(2023, 7, 1), D(2023, 12, 31))]
    status = rules.evaluation_status(
        effective_on=D(2022, 4, 1), ends_on=D(2027, 3, 31), per_year=2, held_on=[D(2022, 6, 20)], as_of=D(2023, 2, 1)
    )
    # 2022 H1 (evaluated), 2022 H2 (missing); 2023 H1 has not ended yet.
    assert [(p.first, p.evaluated) for p in status] == [(D(2022, 1, 1), True), (D(2022, 7, 1), False)]
    assert rules.is_overdue(status)
    status = rules.evaluation_status(
        effective_on=D(2022, 4, 1), ends_on=None, per_year=2, held_on=[D(2022, 6, 20), D(2022, 12, 1)], as_of=D(2023, 2, 1)
    )
    assert not rules.is_overdue(status)
    # Before the first half ends nothing is due yet.
    assert rules.evaluation_status(effective_on=D(2022, 4, 1), ends_on=None, per_year=2, held_on=[], as_of=D(2022, 6, 30)) == []
    assert len(rules.evaluation_periods(2023, 4)) == 4


def test_adoption_rate_both_ways():
    assert rules.adoption_rates(2, 1, 8) == (Fraction(2, 7), Fraction(2, 8))
    assert rules.adoption_rates(0, 0, 0) == (None, None)
    assert rules.adoption_rates(0, 3, 3) == (None, Fraction(0))
