"""Alert rules evaluated on a day's approved prices, with a cool-down and an exit rule (prices.md §6).

- *above the reference*: the price is more than `threshold` % above the reference's upper bound on
  each of the last `days` days with a price (ending on the day evaluated);
- *jump*: the day-on-day change (against the previous day with a price) exceeds `threshold` %;
- *z-score*: the price lies more than `threshold` standard deviations above the mean of the
  previous `weeks` weeks.

At most one alert of a rule is open. Once one has fired, the rule stays quiet for `cooldown_days`
after it opened and after it ended. An open alert ends by itself when the price has stayed less
than `exit_percent` % above the reference for `exit_days` days with a price (without a reference:
when the rule's own condition has not held on those days). A new alert notifies the region's
team once through the outbox (the event key names the alert); the team closes it with the action taken.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from pendopo.lib.money import rupiah
from pendopo.prices import indicators, selectors
from pendopo.prices.models import Alert, AlertRule, PriceEvent, ReferencePrice
from pendopo.prices.templatetags.prices import fig
from pendopo.regions.models import Region


def _fires(rule: AlertRule, series: indicators.Series, day: dt.date, reference: ReferencePrice | None) -> Decimal | None:
    """The rule's value on `day` when it fires, else None."""
    if day not in series:
        return None
    threshold = Decimal(rule.threshold)
    if rule.kind == AlertRule.Kind.ABOVE_REFERENCE:
        if reference is None or reference.upper is None:
            return None
        recent = [d for d in series if d <= day][-rule.days :]
        if len(recent) < rule.days:
            return None
        values = [indicators.deviation(series[d], reference.kind, reference.upper, reference.lower).percent for d in recent]
        if all(v is not None and v > threshold for v in values):
            return values[-1]
        return None
    if rule.kind == AlertRule.Kind.JUMP:
        moved = indicators.changes(series, day).day_on_day
        return moved if moved is not None and moved > threshold else None
    history = [p for d, p in series.items() if day - dt.timedelta(weeks=rule.weeks) <= d < day]
    z = indicators.z_score(series[day], history)
    return z if z is not None and z > threshold else None


def _exits(rule: AlertRule, series: indicators.Series, day: dt.date, reference: ReferencePrice | None) -> bool:
    recent = [d for d in series if d <= day][-rule.exit_days :]
    if len(recent) < rule.exit_days:
        return False
    if reference is not None and reference.upper is not None:
        return all(
            (indicators.deviation(series[d], reference.kind, reference.upper, reference.lower).percent or 0) < rule.exit_percent
            for d in recent
        )
    return all(_fires(rule, series, d, None) is None for d in recent)


def evaluate(region: Region, day: dt.date) -> list[Alert]:
    """Open and end the region's alerts for `day`; returns the alerts opened."""
    rules = list(AlertRule.objects.filter(region=region, is_active=True).select_related("commodity", "market"))
    if not rules:
        return []
    longest = max(max(r.weeks * 7, r.days, r.exit_days) for r in rules) + 14
    first = day - dt.timedelta(days=longest)
    region_series = selectors.series(region, first, day, commodity_ids={r.commodity_id for r in rules})
    market_series = {m: selectors.series(region, first, day, market=m) for m in {r.market for r in rules if r.market is not None}}
    references = selectors.references_on(selectors.zone_of(region), day)
    latest: dict[int, Alert] = {}
    for alert in Alert.objects.filter(rule__in=rules).order_by("rule_id", "-opened_on"):
        latest.setdefault(alert.rule_id, alert)
    opened = []
    for rule in rules:
        series = (market_series[rule.market] if rule.market else region_series).get(rule.commodity_id, {})
        series = {d: p for d, p in series.items() if d <= day}
        reference = references.get(rule.commodity_id)
        last = latest.get(rule.pk)
        if last is not None and last.status == Alert.Status.OPEN:
            if last.opened_on < day and _exits(rule, series, day, reference):
                _end(last, day)
            continue
        if last is not None:
            quiet_until = max(last.opened_on, last.ended_on or last.opened_on) + dt.timedelta(days=rule.cooldown_days)
            if day <= quiet_until:
                continue
        value = _fires(rule, series, day, reference)
        if value is not None:
            new = _open(rule, day, value, series[day])
            if new is not None:
                opened.append(new)
    return opened


def _end(alert: Alert, day: dt.date) -> None:
    with transaction.atomic():
        locked = Alert.objects.select_for_update().get(pk=alert.pk)
        if locked.status != Alert.Status.OPEN:
            return
        locked.status, locked.ended_on = Alert.Status.ENDED, day
        locked.save(update_fields=["status", "ended_on"])
        PriceEvent.objects.create(region_id=locked.region_id, kind=PriceEvent.Kind.ALERT_ENDED, note=str(locked)[:300])


def _open(rule: AlertRule, day: dt.date, value: Decimal, price: Decimal) -> Alert | None:
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                region_id=rule.region_id,
                rule=rule,
                commodity=rule.commodity,
                market=rule.market,
                opened_on=day,
                value=value.quantize(Decimal("0.0001")),
                price=price.quantize(Decimal("0.01")),
            )
            PriceEvent.objects.create(region_id=rule.region_id, kind=PriceEvent.Kind.ALERT_OPENED, note=str(alert)[:300])
            _notify(alert)
    except IntegrityError:
        return None  # another worker opened it for this day
    return alert


def describe(alert: Alert) -> str:
    """The alert in a sentence, its figure in the active language's notation ("12,35 %" in Indonesian)."""
    where = alert.market.name if alert.market else _("region average")
    figure = fig(alert.value)
    if alert.rule.kind == AlertRule.Kind.ABOVE_REFERENCE:
        what = _("%(value)s %% above the reference") % {"value": figure}
    elif alert.rule.kind == AlertRule.Kind.JUMP:
        what = _("up %(value)s %% on the previous day") % {"value": figure}
    else:
        what = _("z-score %(value)s against the last weeks") % {"value": figure}
    return _("%(commodity)s (%(where)s) at %(price)s: %(what)s.") % {
        "commodity": alert.commodity,
        "where": where,
        "price": rupiah(int(alert.price)),
        "what": what,
    }


def _notify(alert: Alert) -> None:
    """Email the region's price team (heads and administrators) once: the outbox's event key names the alert."""
    from pendopo.notifications.outbox import schedule

    region = Region.objects.get(pk=alert.region_id)
    recipients = selectors.team_emails(region)
    with translation.override("id"):
        subject = _("Price alert: %(commodity)s") % {"commodity": alert.commodity}
        body = describe(alert) + "\n\n" + _("Open the price dashboard to see the trend and record the action taken.")
    for email in recipients:
        schedule(
            event_key=f"prices:alert:{alert.pk}:email:{email}"[:200],
            channel="email",
            to=email,
            subject=subject,
            body_text=body,
            language="id",
            region=region,
        )
