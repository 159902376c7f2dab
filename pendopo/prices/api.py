"""Prices API under /api/v1/prices/{code}/… (code: the regency code, e.g. 35.10).

Reads of approved prices and indicators need no login. Entering prices uses the session
(`django_auth`, with the CSRF token) and is open to the market's assigned enumerators only;
each price carries the device's idempotency key, so a queue that resends saves nothing twice
(the offline entry page sends through this endpoint). Figures are strings, half up to 2 decimals.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.security import django_auth
from pydantic import Field

from pendopo.lib import dates
from pendopo.prices import actions, dashboard, indicators, selectors
from pendopo.prices.models import Commodity, Market, PriceEntry
from pendopo.regions.models import Region
from pendopo.regions.permissions import get_for_user, signed_in

router = Router(tags=["staple-food prices (TPID)"])


class MarketOut(Schema):
    code: str
    name: str
    kind: str
    latitude: str | None
    longitude: str | None


class PriceOut(Schema):
    market: str
    commodity: str
    date: dt.date
    price: int = Field(description="Whole rupiah per kg (per litre for cooking oil)")


class ReferenceOut(Schema):
    kind: str
    lower: int | None
    upper: int | None
    regulation: str


class IndicatorOut(Schema):
    commodity: str
    name: str
    price: str | None = Field(description="The region's mean approved price that day (or the market's)")
    day_on_day: str | None
    week_on_week: str | None
    month_to_date: str | None = Field(description="Month-to-date mean against the previous month's, in %")
    week_average: str | None
    month_average: str | None
    reference: ReferenceOut | None
    deviation: str | None = Field(description="(price − upper bound) / upper bound × 100")
    status: str = Field(description="above, within, below or none")


class IndicatorsOut(Schema):
    date: dt.date | None = Field(description="The latest day with approved prices up to the day asked")
    market: str | None
    commodities: list[IndicatorOut]
    iph: dict[str, Any] | None = Field(description="Pendopo's IPH estimate with each commodity's andil (by commodity code)")


class PriceIn(Schema):
    commodity: str = Field(description="Commodity code, e.g. beras-medium")
    price: str | int = Field(description="Whole rupiah: 13500, '13.500' or '13,500'")
    key: str | None = Field(None, description="The device's idempotency key (UUID) of this entry")


class EntryIn(Schema):
    market: str = Field(description="Market code")
    date: dt.date
    prices: list[PriceIn] = Field(min_length=1, max_length=100)
    offline: bool = Field(False, description="Sent from the device's queue after being entered offline")


class EntryOut(Schema):
    commodity: str
    price: int
    status: str
    key: str
    created: bool = Field(description="False when this key was already saved: nothing changed")


def _region(request: HttpRequest, code: str) -> Region:
    return get_for_user(request.user, Region.objects.select_related("regency"), regency_id=code)


@router.get("/prices/{code}/markets", response=list[MarketOut], summary="The region's active markets")
def markets(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    region = _region(request, code)
    return [
        {
            "code": m.code,
            "name": m.name,
            "kind": m.kind,
            "latitude": m.latitude and str(m.latitude),
            "longitude": m.longitude and str(m.longitude),
        }
        for m in selectors.markets(request.user, region).order_by("name")
    ]


@router.get(
    "/prices/{code}/prices", response=list[PriceOut], summary="Approved prices per market of one day (default: the latest)"
)
def prices(request: HttpRequest, code: str, date: dt.date | None = None) -> list[dict[str, Any]]:
    region = _region(request, code)
    day = date or selectors.latest_approved_day(region, dates.today(region.time_zone))
    if day is None:
        return []
    rows = (
        PriceEntry.objects.filter(region=region, date=day, status=PriceEntry.Status.APPROVED, market__is_active=True)
        .values_list("market__code", "commodity__code", "date", "price")
        .order_by("market__code", "commodity__order")
    )
    return [{"market": m, "commodity": c, "date": d, "price": p} for m, c, d, p in rows]


@router.get("/prices/{code}/indicators", response=IndicatorsOut, summary="Averages, changes, deviation and the IPH")
def indicators_of(request: HttpRequest, code: str, date: dt.date | None = None, market: str | None = None) -> dict[str, Any]:
    region = _region(request, code)
    today = dates.today(region.time_zone)
    chosen = None
    if market:
        chosen = selectors.markets(request.user, region).filter(code=market).first()
        if chosen is None:
            raise Http404
    board = dashboard.build(region, min(date or today, today), market=chosen)
    codes = {str(c.pk): c.code for c in Commodity.objects.all()}
    iph = None
    if board.iph is not None and board.iph.value is not None:
        shown = board.iph.display()
        shown["contributions"] = {codes[c.commodity]: c.display() for c in board.iph.contributions}
        shown["left_out"] = [codes[k] for k in board.iph.left_out]
        iph = shown
    return {
        "date": board.day,
        "market": chosen.code if chosen else None,
        "iph": iph,
        "commodities": [
            {
                "commodity": r.commodity.code,
                "name": str(r.commodity),
                "price": indicators.show(r.price),
                "day_on_day": indicators.show(r.changes.day_on_day),
                "week_on_week": indicators.show(r.changes.week_on_week),
                "month_to_date": indicators.show(r.changes.month_to_date),
                "week_average": indicators.show(r.week_average),
                "month_average": indicators.show(r.month_average),
                "reference": (
                    {
                        "kind": r.reference.kind,
                        "lower": r.reference.lower,
                        "upper": r.reference.upper,
                        "regulation": r.reference.regulation,
                    }
                    if r.reference
                    else None
                ),
                "deviation": indicators.show(r.deviation.percent),
                "status": r.deviation.status.value,
            }
            for r in board.rows
        ],
    }


@router.post(
    "/prices/{code}/entries",
    response={200: list[EntryOut], 201: list[EntryOut]},
    auth=django_auth,
    summary="Enter a market's prices of one day (assigned enumerators)",
)
def enter(request: HttpRequest, code: str, payload: EntryIn) -> tuple[int, list[dict[str, Any]]]:
    region = _region(request, code)
    market = Market.objects.filter(region=region, code=payload.market, is_active=True).select_related("region__regency").first()
    if market is None or not selectors.may_enter(request.user, market):
        raise Http404
    by_code = {c.code: c for c in Commodity.objects.filter(code__in=[p.commodity for p in payload.prices], is_active=True)}
    unknown = [p.commodity for p in payload.prices if p.commodity not in by_code]
    if unknown:
        raise ValidationError({"commodity": [f"{', '.join(unknown)}: unknown commodity."]})
    typed = {by_code[p.commodity].pk: p.price for p in payload.prices}
    keys = {by_code[p.commodity].pk: p.key for p in payload.prices if p.key}
    try:
        saved = actions.enter_prices(
            signed_in(request),
            market,
            payload.date,
            typed,
            keys=keys,
            source=PriceEntry.Source.OFFLINE if payload.offline else PriceEntry.Source.API,
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        # Name the fields as the request does: prices.<commodity code>.price / .key.
        names = {f"{what}_{c.pk}": f"prices.{c.code}.{what}" for c in by_code.values() for what in ("price", "key")}
        raise ValidationError({names.get(k, k): v for k, v in exc.error_dict.items()}) from None
    codes = {c.pk: c.code for c in by_code.values()}
    out = [
        {
            "commodity": codes[s.entry.commodity_id],
            "price": s.entry.price,
            "status": s.entry.status,
            "key": str(s.entry.idempotency_key),
            "created": s.created,
        }
        for s in saved
    ]
    return (201 if any(s.created for s in saved) else 200), out
