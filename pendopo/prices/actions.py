"""Every write of price data: reference prices, entries and their review, imports, weights,
alerts and interventions. Each is one transaction that locks what it changes, writes an audit
event and finishes completely or raises ValidationError/PermissionDenied (nothing half-saved).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from pendopo.lib import dates
from pendopo.prices import importing, links, selectors
from pendopo.prices.indicators import HUNDRED
from pendopo.prices.models import (
    Alert,
    Commodity,
    Intervention,
    Market,
    PriceEntry,
    PriceEvent,
    ReferencePrice,
)
from pendopo.prices.numbers import parse_price
from pendopo.regions.permissions import Action, can, visible_to

if TYPE_CHECKING:
    from pendopo.regions.models import Region, User


# --- reference prices ---------------------------------------------------------------------------


def save_reference(reference: ReferencePrice, actor: User | None = None) -> ReferencePrice:
    """Save a reference-price version; refused when its period overlaps another of the same commodity and zone."""
    with transaction.atomic():
        # Two versions saved at once for one commodity must not both pass the overlap check.
        Commodity.objects.select_for_update().get(pk=reference.commodity_id)
        reference.full_clean()
        reference.save()
        PriceEvent.objects.create(kind=PriceEvent.Kind.REFERENCE, actor=actor, note=str(reference)[:300])
    return reference


# --- entering prices ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Entered:
    entry: PriceEntry
    created: bool  # False: the same entry (idempotency key) was sent before and is returned as it is


@dataclass(frozen=True)
class Flags:
    """Why an entry looks implausible (both false: it does not)."""

    outside_band: bool
    jump: Decimal | None  # the day-on-day change in percent, when it is beyond the region's threshold

    def __bool__(self) -> bool:
        return self.outside_band or self.jump is not None


def flags_for(commodity: Commodity, price: int, previous: int | None, jump_percent: Decimal) -> Flags:
    """Why an entry looks implausible: outside the commodity's plausible band, or a jump against the previous price."""
    jump = None
    if previous:
        moved = (Decimal(price) / previous - 1) * HUNDRED
        if abs(moved) > jump_percent:
            jump = moved.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return Flags(outside_band=not commodity.plausible_min <= price <= commodity.plausible_max, jump=jump)


# How far back an enumerator (or a device's queue sent late) may enter a day's prices; older prices
# come in through the coordinator's import, and 1900 is a typing error.
ENTRY_DAYS_BACK = 31


def _check_day(region: Region, day: dt.date) -> None:
    today = dates.today(region.time_zone)
    if day > today:
        raise ValidationError({"date": _("The date is in the future.")}, code="future_date")
    if day < today - dt.timedelta(days=ENTRY_DAYS_BACK):
        raise ValidationError(
            {"date": _("Prices are entered for the last %(days)d days; older ones are imported by the coordinator.")
             % {"days": ENTRY_DAYS_BACK}},
            code="old_date",
        )  # fmt: skip


def enter_prices(
    user: User,
    market: Market,
    day: dt.date,
    prices: Mapping[int, object],
    *,
    keys: Mapping[int, str] | None = None,
    source: str = PriceEntry.Source.FORM,
) -> list[Entered]:
    """Save a market's prices of one day (commodity id → price as typed); all or nothing.

    Each entry may carry the device's idempotency key: an entry already saved under its key is
    returned unchanged, so a queue that resends after a lost answer saves nothing twice. A price
    entered again the same day (a new key) replaces the earlier one until it is approved.
    """
    if not selectors.may_enter(user, market):
        raise PermissionDenied(_("You are not assigned to this market."))
    _check_day(market.region, day)
    known = {c.pk: c for c in Commodity.objects.filter(pk__in=list(prices), is_active=True)}
    errors: dict[str, list[str]] = {}
    parsed: dict[int, int] = {}
    for commodity_id, value in prices.items():
        if commodity_id not in known:
            errors[f"commodity_{commodity_id}"] = [_("Unknown commodity.")]
            continue
        try:
            parsed[commodity_id] = parse_price(value)
        except ValidationError as exc:
            errors[f"price_{commodity_id}"] = exc.messages
    parsed_keys: dict[int, uuid.UUID] = {}
    for commodity_id, key in (keys or {}).items():
        try:
            parsed_keys[commodity_id] = uuid.UUID(str(key))
        except ValueError:
            errors[f"key_{commodity_id}"] = [_("The entry's key is not valid.")]
    if errors:
        raise ValidationError(errors)
    if not parsed:
        raise ValidationError({"prices": [_("Enter at least one price.")]}, code="empty")
    try:
        with transaction.atomic():
            return _save_entries(user, market, day, parsed, known, parsed_keys, source)
    except IntegrityError:
        # A concurrent send of the same keys won the race: what it saved is the answer.
        with transaction.atomic():
            return _save_entries(user, market, day, parsed, known, parsed_keys, source)


def _save_entries(
    user: User,
    market: Market,
    day: dt.date,
    parsed: Mapping[int, int],
    known: Mapping[int, Commodity],
    keys: Mapping[int, uuid.UUID],
    source: str,
) -> list[Entered]:
    # One market's entries are written one request at a time.
    Market.objects.select_for_update().get(pk=market.pk)
    already = {e.idempotency_key: e for e in PriceEntry.objects.filter(idempotency_key__in=list(keys.values()))}
    existing = {e.commodity_id: e for e in PriceEntry.objects.filter(market=market, date=day, commodity_id__in=list(parsed))}
    previous = selectors.previous_prices(market, day, parsed)
    jump = selectors.jump_percent(market.region)
    results: list[Entered] = []
    errors: dict[str, list[str]] = {}
    for commodity_id, price in parsed.items():
        key = keys.get(commodity_id)
        if key is not None and key in already:
            sent = already[key]
            if sent.market_id != market.pk or sent.commodity_id != commodity_id or sent.date != day:
                errors[f"key_{commodity_id}"] = [_("The entry's key belongs to another entry.")]
                continue
            results.append(Entered(sent, created=False))
            continue
        commodity = known[commodity_id]
        prev = previous.get(commodity_id)
        flags = flags_for(commodity, price, prev.price if prev else None, jump)
        status = PriceEntry.Status.FLAGGED if flags else PriceEntry.Status.PENDING
        entry = existing.get(commodity_id)
        if entry is not None:
            if entry.status == PriceEntry.Status.APPROVED:
                errors[f"price_{commodity_id}"] = [_("This price is already approved; ask the coordinator to correct it.")]
                continue
            entry.price = entry.entered_price = price
            entry.status, entry.outside_band, entry.jump, entry.source = status, flags.outside_band, flags.jump, source
            entry.entered_by, entry.entered_at = user, dates.now()
            if key is not None:
                entry.idempotency_key = key
            entry.save()
            PriceEvent.objects.create(region_id=market.region_id, entry=entry, kind=PriceEvent.Kind.REENTERED, actor=user)
            results.append(Entered(entry, created=True))
            continue
        entry = PriceEntry.objects.create(
            region_id=market.region_id,
            market=market,
            commodity=commodity,
            date=day,
            price=price,
            entered_price=price,
            status=status,
            outside_band=flags.outside_band,
            jump=flags.jump,
            source=source,
            idempotency_key=key or uuid.uuid4(),
            entered_by=user,
        )
        PriceEvent.objects.create(region_id=market.region_id, entry=entry, kind=PriceEvent.Kind.ENTERED, actor=user)
        results.append(Entered(entry, created=True))
    if errors:
        raise ValidationError(errors)
    return results


# --- review -------------------------------------------------------------------------------------


class Decision:
    APPROVE = "approve"
    REJECT = "reject"


def review_entry(user: User, entry_id: int, decision: str, *, corrected: object | None = None, note: str = "") -> PriceEntry:
    """The coordinator approves (optionally with a corrected price) or rejects one entry."""
    with transaction.atomic():
        try:
            entry = PriceEntry.objects.select_for_update().get(pk=entry_id)
        except PriceEntry.DoesNotExist:
            raise PermissionDenied(_("You may not review this entry.")) from None
        if not can(user, Action.APPROVE, entry):
            raise PermissionDenied(_("You may not review this entry."))
        if entry.status in (PriceEntry.Status.APPROVED, PriceEntry.Status.REJECTED):
            raise ValidationError(_("This entry has already been reviewed."), code="reviewed")
        kind = PriceEvent.Kind.APPROVED
        if decision == Decision.REJECT:
            if not note.strip():
                raise ValidationError({"note": [_("Say why the price is rejected.")]}, code="note_required")
            entry.status, kind = PriceEntry.Status.REJECTED, PriceEvent.Kind.REJECTED
        elif decision == Decision.APPROVE:
            if corrected not in (None, ""):
                try:
                    price = parse_price(corrected)
                except ValidationError as exc:
                    raise ValidationError({"price": exc.messages}) from None
                if price != entry.price:
                    entry.price, kind = price, PriceEvent.Kind.CORRECTED
            entry.status = PriceEntry.Status.APPROVED
        else:
            raise ValidationError(_("Unknown decision."), code="decision")
        entry.reviewed_by, entry.reviewed_at, entry.note = user, dates.now(), note.strip()[:300]
        entry.save()
        PriceEvent.objects.create(
            region_id=entry.region_id, entry=entry, kind=kind, actor=user, note=f"{entry.entered_price} → {entry.price}"[:300]
        )
    return entry


def approve_all(user: User, region: Region, entry_ids: Sequence[int]) -> int:
    """Approve several entries at once (the coordinator's "approve the checked ones").

    Entries the user may not approve are skipped."""
    with transaction.atomic():
        allowed = selectors.entries_to_review(user, region).filter(pk__in=list(entry_ids)).values("pk")
        entries = list(PriceEntry.objects.select_for_update().filter(pk__in=allowed))
        now = dates.now()
        for entry in entries:
            entry.status, entry.reviewed_by, entry.reviewed_at = PriceEntry.Status.APPROVED, user, now
        PriceEntry.objects.bulk_update(entries, ["status", "reviewed_by", "reviewed_at"])
        PriceEvent.objects.bulk_create(
            [PriceEvent(region_id=e.region_id, entry=e, kind=PriceEvent.Kind.APPROVED, actor=user, at=now) for e in entries]
        )
    return len(entries)


# --- alerts and interventions -------------------------------------------------------------------


def close_alert(user: User, alert_id: int, action_taken: str) -> Alert:
    with transaction.atomic():
        alert = Alert.objects.select_for_update().select_related("region").filter(pk=alert_id).first()
        # The team that approves the region's prices acts on its alerts.
        if alert is None or not selectors.may_review(user, alert.region):
            raise PermissionDenied(_("You may not close this alert."))
        if not action_taken.strip():
            raise ValidationError({"action_taken": [_("Say what was done.")]}, code="action_required")
        if alert.status == Alert.Status.CLOSED:
            raise ValidationError(_("This alert is already closed."), code="closed")
        alert.status, alert.action_taken, alert.closed_by = Alert.Status.CLOSED, action_taken.strip(), user
        alert.ended_on = alert.ended_on or dates.today(alert.region.time_zone)
        alert.save()
        PriceEvent.objects.create(
            region_id=alert.region_id, kind=PriceEvent.Kind.ALERT_CLOSED, actor=user, note=action_taken[:300]
        )
    return alert


def record_intervention(user: User, region: Region, intervention: Intervention, agreement: str = "") -> Intervention:
    """Save an intervention; a cooperation may name the code of the agreement it is done under,
    linked by the app that owns agreements (`prices.links`) in the same transaction: a refused
    link saves nothing."""
    if not can(user, Action.ACT, region) and not selectors.may_review(user, region):
        raise PermissionDenied(_("You may not record interventions of this region."))
    source = links.agreement_source()
    if agreement and source is None:
        raise ValidationError({"agreement": ValidationError(_("Agreements are not available."), code="no_agreements")})
    if agreement and intervention.kind != Intervention.Kind.COOPERATION:
        message = _("Only a cooperation with a surplus region is done under an agreement.")
        raise ValidationError({"agreement": ValidationError(message, code="not_cooperation")})
    with transaction.atomic():
        intervention.region = region
        intervention.recorded_by = user
        intervention.full_clean()
        intervention.save()
        if agreement and source is not None:
            source.link(user, intervention, agreement)
        PriceEvent.objects.create(region=region, kind=PriceEvent.Kind.INTERVENTION, actor=user, note=str(intervention)[:300])
    return intervention


# --- import -------------------------------------------------------------------------------------


def import_prices(user: User, region: Region, rows: Sequence[importing.Row]) -> tuple[int, int]:
    """Save parsed rows, all or nothing: (created, updated). Approved entries are never overwritten;
    the rows of markets the user approves are approved at once, the others wait for approval."""
    from pendopo.regions.models import Region as RegionModel

    if not selectors.may_review(user, region) and not can(user, Action.MANAGE, region):
        raise PermissionDenied(_("You may not import prices for this region."))
    approves = set(visible_to(user, Market.objects.filter(region=region), Action.APPROVE).values_list("pk", flat=True))
    now = dates.now()
    with transaction.atomic():
        RegionModel.objects.select_for_update().get(pk=region.pk)
        keys = {(r.market.pk, r.commodity.pk, r.day) for r in rows}
        days = {r.day for r in rows}
        existing = {
            (e.market_id, e.commodity_id, e.date): e
            for e in PriceEntry.objects.select_for_update().filter(region=region, date__in=days)
            if (e.market_id, e.commodity_id, e.date) in keys
        }
        errors = [
            _("Row %(row)s: the price of that day is already approved.") % {"row": r.number}
            for r in rows
            if (e := existing.get((r.market.pk, r.commodity.pk, r.day))) is not None and e.status == PriceEntry.Status.APPROVED
        ]
        if errors:
            raise ValidationError(errors, code="approved")
        new, changed = [], []
        for r in rows:
            status = PriceEntry.Status.APPROVED if r.market.pk in approves else PriceEntry.Status.PENDING
            reviewer = user if status == PriceEntry.Status.APPROVED else None
            entry = existing.get((r.market.pk, r.commodity.pk, r.day))
            if entry is None:
                new.append(
                    PriceEntry(
                        region=region, market=r.market, commodity=r.commodity, date=r.day, price=r.price,
                        entered_price=r.price, status=status, source=PriceEntry.Source.IMPORT, entered_by=user,
                        entered_at=now, reviewed_by=reviewer, reviewed_at=now if reviewer else None,
                    )
                )  # fmt: skip
            else:
                entry.price = entry.entered_price = r.price
                entry.status, entry.source, entry.entered_by, entry.entered_at = status, PriceEntry.Source.IMPORT, user, now
                entry.reviewed_by, entry.reviewed_at = reviewer, now if reviewer else None
                entry.outside_band, entry.jump = False, None
                changed.append(entry)
        PriceEntry.objects.bulk_create(new, batch_size=2000)
        fields = ["price", "entered_price", "status", "source", "entered_by", "entered_at", "reviewed_by", "reviewed_at"]
        PriceEntry.objects.bulk_update(changed, [*fields, "outside_band", "jump"], batch_size=2000)
        PriceEvent.objects.create(
            region=region, kind=PriceEvent.Kind.IMPORTED, actor=user, note=f"{len(new)} new, {len(changed)} updated"
        )
    return len(new), len(changed)
