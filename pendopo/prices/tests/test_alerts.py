"""Alert rules on fixed days: firing, cool-down, exit, one notification per alert."""

import datetime as dt

import pytest

from pendopo.notifications.models import Message
from pendopo.prices import alerts
from pendopo.prices.models import Alert, AlertRule
from pendopo.prices.tests.conftest import approved

START = dt.date(2025, 3, 1)


def day(n):
    return START + dt.timedelta(days=n)


def _prices(prices, values):
    for n, value in enumerate(values):
        approved(prices.pasar_a, prices.cabai, day(n), value)


@pytest.fixture
def above(world, prices):
    world.head_a1.email = "kepala@example.id"
    world.head_a1.save()
    # Cabai rawit merah: HAP 40,000–57,000; > 10 % above the upper bound is > 62,700.
    return AlertRule.objects.create(
        region=world.region_a,
        commodity=prices.cabai,
        kind="above_reference",
        threshold=10,
        days=3,
        cooldown_days=3,
        exit_percent=5,
        exit_days=3,
    )


def run(region, first, last):
    opened = []
    for n in range(first, last + 1):
        opened += [(n, a.pk) for a in alerts.evaluate(region, day(n))]
    return opened


def test_above_the_reference_fires_on_the_third_day_and_notifies_once(world, prices, above, django_capture_on_commit_callbacks):
    _prices(prices, [60000, 63000, 64000, 65000, 66000, 66000])
    with django_capture_on_commit_callbacks():
        opened = run(world.region_a, 0, 5)
    assert [n for n, _ in opened] == [3]
    alert = Alert.objects.get()
    assert (alert.opened_on, alert.status) == (day(3), "open")
    messages = Message.objects.filter(event_key__startswith=f"prices:alert:{alert.pk}:")
    assert sorted(messages.values_list("to_email", flat=True)) == ["admin_a@example.id", "kepala@example.id"]
    # Evaluating the same days again opens nothing and sends nothing more.
    assert run(world.region_a, 0, 5) == []
    assert Message.objects.filter(event_key__startswith="prices:alert:").count() == 2  # one per member of the team


def test_exit_after_three_days_below_five_percent_then_cool_down(world, prices, above):
    # Days 1–3 high (fires on day 3), 4–6 back near the HAP (ends on day 6), high again 7–12.
    _prices(prices, [50000, 64000, 64000, 64000, 58000, 59000, 59000, 64000, 64000, 64000, 64000, 64000, 64000])
    opened = run(world.region_a, 0, 12)
    first = Alert.objects.order_by("opened_on").first()
    assert (first.opened_on, first.status, first.ended_on) == (day(3), "ended", day(6))
    # Quiet until 3 days after the end (day 9); it needs 3 high days (7, 8, 9), so it fires on day 10.
    assert [n for n, _ in opened] == [3, 10]


def test_a_holiday_spike_that_stays_high_fires_once(world, prices, above):
    _prices(prices, [50000] + [70000] * 20)
    assert [n for n, _ in run(world.region_a, 0, 20)] == [3]
    assert Alert.objects.get().status == "open"


def test_a_day_on_day_jump_rule(world, prices):
    AlertRule.objects.create(region=world.region_a, commodity=prices.cabai, kind="jump", threshold=20, cooldown_days=3)
    _prices(prices, [50000, 50000, 61000, 50000, 62000, 50000, 50000, 50000, 65000])
    # Day 2 fires (+22 %). Day 4 (+24 %) does not: that alert is still open. It ends once 3 days in a row
    # stay under 5 % above the HAP's upper bound (days 5, 6, 7), and the rule is quiet for 3 days after
    # that, so the jump of day 8 fires nothing either.
    opened = [n for n, _ in run(world.region_a, 0, 9)]
    assert opened == [2]
    assert Alert.objects.get().ended_on == day(7)


def test_z_score_rule_against_the_last_weeks(world, prices):
    AlertRule.objects.create(region=world.region_a, commodity=prices.cabai, kind="zscore", threshold=2.5, weeks=2)
    _prices(prices, [50000, 51000, 49000, 50000, 50500, 49500, 50000, 51000, 49000, 50000, 50500, 49500, 50000, 58000])
    assert [n for n, _ in run(world.region_a, 13, 13)] == [13]


def test_closing_an_alert_needs_the_action(world, prices, above):
    from django.core.exceptions import PermissionDenied, ValidationError

    from pendopo.prices import actions

    alert = Alert.objects.create(
        region=world.region_a, rule=above, commodity=prices.cabai, opened_on=day(3), value=12, price=64000
    )
    with pytest.raises(PermissionDenied):
        actions.close_alert(world.officer_a1, alert.pk, "x")
    with pytest.raises(ValidationError):
        actions.close_alert(world.head_a1, alert.pk, " ")
    closed = actions.close_alert(world.head_a1, alert.pk, "Operasi pasar")
    assert (closed.status, closed.action_taken) == ("closed", "Operasi pasar")


def test_the_periodic_job_checks_every_region_with_rules(world, prices, above):
    import time_machine

    from pendopo.prices.tasks import check_alerts

    _prices(prices, [64000, 64000, 64000])
    with time_machine.travel(dt.datetime(2025, 3, 3, 3, 0, tzinfo=dt.UTC), tick=False):
        assert check_alerts.call() == 1
        assert check_alerts.call() == 0


def test_the_alert_mail_writes_its_figure_in_indonesian_notation(world, prices, above, django_capture_on_commit_callbacks):
    # 65,000 against the upper bound 57,000: 14.035… % above, shown half up as 14,04 %.
    _prices(prices, [60000, 63000, 64000, 65000])
    with django_capture_on_commit_callbacks():
        run(world.region_a, 0, 3)
    body = Message.objects.filter(event_key__startswith="prices:alert:").first().body_text
    assert "14,04 % di atas" in body and "14.04" not in body
    assert "Rp 65.000" in body
