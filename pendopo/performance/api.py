"""SAKIP API under /api/v1/sakip/… (code: the regency code, e.g. 35.10).

Reads follow the pages' permissions (`selectors.readable`): anyone reads published plans,
verified realisations and published LKE rounds; the region's staff and its seats read all.
Writes use the session (`django_auth`, with the CSRF token): a quarter's realisation by the
officers and head of the responsible agency (the region's administrators for a region
indicator), its verification by the agency's head. Figures are strings with 2 decimals, half
up; a grade is its letters ("BB").
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.security import django_auth
from pydantic import Field

from pendopo.performance import achievement as capaian
from pendopo.performance import actions, dashboards, lke, progress, selectors
from pendopo.performance.models import Indicator, Realisation
from pendopo.regions.models import Region
from pendopo.regions.permissions import get_for_user, signed_in

router = Router(tags=["performance accountability (SAKIP)"])


class TargetOut(Schema):
    year: int
    quarter: int = Field(description="0: the whole year; 1–4: the quarter")
    value: str | None
    value_high: str | None = Field(description="The upper end of a range target")


class AchievementOut(Schema):
    achievement: str | None = Field(description="Capaian in %, 2 decimals half up; null when not computable")
    computable: bool
    flags: list[str] = Field(description="not_computable (target 0), negative (inverse formula, R > 2T)")
    band: str | None = None


class SakipIndicatorOut(Schema):
    code: str
    name: str
    unit: str
    polarity: str = Field(description="higher, lower, range or yes_no")
    range_polarity: str
    formula: str
    data_source: str
    agency: str | None = Field(description="Code of the responsible agency; null for the region's own indicator")
    goal: str | None
    parent: str | None = Field(description="The indicator this one cascades from")
    is_key: bool
    source: str = Field(description="manual, or the live source (ikm, on_time, complaints_on_time)")
    computed: bool
    year: int
    quarter: int
    target: TargetOut | None
    realisation: str | None = Field(description="The quarter's figure (a live one for a computed indicator)")
    achieved: bool | None = Field(description="For a yes/no indicator")
    status: str | None = Field(description="submitted, verified or returned; null if none or computed")
    sample: int | None = Field(description="Respondents, cases or complaints a computed figure rests on")
    result: AchievementOut | None
    at_risk: bool


class RealisationOut(Schema):
    indicator: str
    agency: str | None
    year: int
    quarter: int
    value: str | None
    achieved: bool | None
    explanation: str
    status: str
    head_note: str


class RealisationIn(Schema):
    value: str | None = Field(None, description="The realisation: '87.5' or '87,5'; not for a yes/no indicator")
    achieved: bool | None = Field(None, description="For a yes/no indicator")
    explanation: str = Field("", max_length=4000)


class ReviewIn(Schema):
    approve: bool = Field(description="true: verify (the quarter closes); false: return for correction")
    note: str = Field("", max_length=2000, description="Required when returning")


class ScoreLineOut(Schema):
    code: str
    weight: str
    value: str | None = None
    score: str


class ResultOut(Schema):
    subcomponents: list[ScoreLineOut]
    components: list[ScoreLineOut]
    total: str
    grade: str
    label: str


class ViolationOut(Schema):
    criterion: str
    values: str = Field(description="self or evaluator")
    message: str


class RoundOut(Schema):
    year: int
    template: str
    template_version: int
    method: str
    status: str
    published: bool
    self_assessment: ResultOut
    evaluator: ResultOut
    gap: str = Field(description="Evaluator's total − self-assessment total")
    unanswered: dict[str, int]
    violations: list[ViolationOut]
    recommendations: list[dict[str, str]]


class RoundSummaryOut(Schema):
    year: int
    status: str
    published: bool
    self_total: str
    self_grade: str
    evaluator_total: str
    evaluator_grade: str


def _region(request: HttpRequest, code: str) -> Region:
    return get_for_user(request.user, Region.objects.select_related("regency"), regency_id=code)


def _fmt(value: Any) -> str | None:
    return None if value is None else f"{capaian.round_half_up(value, 2):.2f}"


def _result(result: capaian.Achievement | None) -> dict[str, Any] | None:
    if result is None:
        return None
    band = capaian.band_of(result)
    return {**result.display(), "band": band[0] if band else None}


def _row(row: progress.Row, year: int, quarter: int) -> dict[str, Any]:
    item, target, realisation = row.indicator, row.target, row.realisation
    value = row.value
    return {
        "code": item.code,
        "name": item.name,
        "unit": item.unit,
        "polarity": item.polarity,
        "range_polarity": item.range_polarity,
        "formula": item.formula,
        "data_source": item.data_source,
        "agency": item.agency.code if item.agency else None,
        "goal": item.goal.code if item.goal else None,
        "parent": item.parent.code if item.parent else None,
        "is_key": item.is_key,
        "source": item.source,
        "computed": item.is_computed,
        "year": year,
        "quarter": quarter,
        "target": (
            {"year": target.year, "quarter": target.quarter, "value": _fmt(target.value), "value_high": _fmt(target.value_high)}
            if target
            else None
        ),
        "realisation": None if value is None or isinstance(value, bool) else _fmt(value),
        "achieved": value if isinstance(value, bool) else None,
        "status": realisation.status if realisation else None,
        "sample": row.live.sample if row.live else None,
        "result": _result(row.result),
        "at_risk": row.at_risk,
    }


def _year_quarter(region: Region, year: int | None, quarter: int | None) -> tuple[int, int]:
    current_year, current_quarter = dashboards.current_quarter(region)
    year, quarter = year or current_year, current_quarter if quarter is None else quarter
    errors = {}
    if not 2000 <= year <= 2100:
        errors["year"] = [ValidationError(_("Give a year from 2000 to 2100."), code="year")]
    if not 0 <= quarter <= 4:
        errors["quarter"] = [ValidationError(_("Give a quarter from 1 to 4, or 0 for the year."), code="quarter")]
    if errors:
        raise ValidationError(errors)
    return year, quarter


def _indicator(request: HttpRequest, region: Region, code: str, year: int) -> Indicator:
    found = (
        selectors.indicators(request.user, region)
        .filter(code=code, period__start_year__lte=year, period__end_year__gte=year)
        .select_related("region", "parent")
        .first()
    )
    if found is None:
        raise Http404
    return found


@router.get(
    "/sakip/{code}/indicators", response=list[SakipIndicatorOut], summary="Indicators with target, realisation, achievement"
)
def indicator_list(
    request: HttpRequest, code: str, year: int | None = None, quarter: int | None = None, agency: str | None = None
) -> list[dict[str, Any]]:
    """The plan's indicators for a quarter (default: the current one; quarter 0: the year's targets)."""
    region = _region(request, code)
    year, quarter = _year_quarter(region, year, quarter)
    items = selectors.indicators(request.user, region).filter(period__start_year__lte=year, period__end_year__gte=year)
    if agency:
        items = items.filter(agency__code=agency)
    rows = progress.quarter_rows(
        region, list(items.select_related("parent").order_by("order", "code")), year, quarter, user=request.user
    )
    return [_row(row, year, quarter) for row in rows]


@router.get("/sakip/{code}/indicators/{indicator}/targets", response=list[TargetOut], summary="An indicator's targets")
def targets(request: HttpRequest, code: str, indicator: str, year: int | None = None) -> list[dict[str, Any]]:
    region = _region(request, code)
    year, _quarter = _year_quarter(region, year, 0)
    item = _indicator(request, region, indicator, year)
    rows = selectors.readable(request.user, item.targets.all()).order_by("year", "quarter")
    return [{"year": t.year, "quarter": t.quarter, "value": _fmt(t.value), "value_high": _fmt(t.value_high)} for t in rows]


def _realisation_out(item: Realisation) -> dict[str, Any]:
    return {
        "indicator": item.indicator.code,
        "agency": item.agency.code if item.agency else None,
        "year": item.year,
        "quarter": item.quarter,
        "value": _fmt(item.value),
        "achieved": item.achieved,
        "explanation": item.explanation,
        "status": item.status,
        "head_note": item.head_note,
    }


@router.get("/sakip/{code}/realisations", response=list[RealisationOut], summary="Entered realisations")
def realisation_list(
    request: HttpRequest, code: str, year: int | None = None, quarter: int | None = None, agency: str | None = None
) -> list[dict[str, Any]]:
    region = _region(request, code)
    rows = selectors.realisations(request.user, region)
    if year is not None:
        rows = rows.filter(year=year)
    if quarter is not None:
        rows = rows.filter(quarter=quarter)
    if agency:
        rows = rows.filter(agency__code=agency)
    return [_realisation_out(item) for item in rows.order_by("year", "quarter", "indicator__order", "indicator__code")]


def _decimal(text: str | None) -> Decimal | None:
    if text is None or not str(text).strip():
        return None
    raw = str(text).strip()
    if "," in raw and "." not in raw:
        raw = raw.replace(",", ".")
    try:
        number = Decimal(raw)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise ValidationError({"value": [ValidationError(_("%(value)s is not a number.") % {"value": text}, code="invalid")]})
    return number


@router.put(
    "/sakip/{code}/indicators/{indicator}/realisations/{year}/{quarter}",
    response={200: RealisationOut, 201: RealisationOut},
    auth=django_auth,
    summary="Enter or correct a quarter's realisation (the responsible agency)",
)
def enter(
    request: HttpRequest, code: str, indicator: str, year: int, quarter: int, payload: RealisationIn
) -> tuple[int, dict[str, Any]]:
    """A second call for the same quarter updates its one realisation (until the head verifies it)."""
    region = _region(request, code)
    item = _indicator(request, region, indicator, year)
    if not selectors.may_enter(request.user, item):
        raise PermissionDenied(_("Only the responsible agency enters this indicator's realisation."))
    existed = Realisation.objects.filter(indicator=item, year=year, quarter=quarter).exists()
    saved = actions.enter_realisation(
        signed_in(request),
        item,
        year,
        quarter,
        value=_decimal(payload.value),
        achieved=payload.achieved,
        explanation=payload.explanation,
    )
    saved.indicator = item
    return (200 if existed else 201), _realisation_out(saved)


@router.post(
    "/sakip/{code}/indicators/{indicator}/realisations/{year}/{quarter}/review",
    response=RealisationOut,
    auth=django_auth,
    summary="Verify or return a quarter's realisation (the agency head)",
)
def review(request: HttpRequest, code: str, indicator: str, year: int, quarter: int, payload: ReviewIn) -> dict[str, Any]:
    region = _region(request, code)
    item = _indicator(request, region, indicator, year)
    found = selectors.realisations(request.user, region).filter(indicator=item, year=year, quarter=quarter).first()
    if found is None:
        raise Http404
    if not selectors.may_verify(request.user, found):
        raise PermissionDenied(_("Only the agency's head verifies its realisations."))
    saved = actions.review_realisation(signed_in(request), found, approve=payload.approve, note=payload.note)
    saved.indicator = item
    return _realisation_out(saved)


@router.get("/sakip/achievement", response=AchievementOut, summary="One achievement (capaian) by the polarity rules")
def achievement_of(
    request: HttpRequest,
    target: str,
    realisation: str,
    polarity: str = "higher",
    target_high: str | None = None,
) -> dict[str, Any]:
    """As `pendopo sakip achievement`: higher R/T×100, lower (2 − R/T)×100, a range with target_high."""
    if polarity not in (capaian.Polarity.HIGHER, capaian.Polarity.LOWER):
        raise ValidationError({"polarity": [ValidationError(_("Give higher or lower."), code="polarity")]})
    errors: dict[str, list[ValidationError]] = {}
    values: dict[str, Any] = {}
    for name, raw in (("target", target), ("realisation", realisation), ("target_high", target_high)):
        if raw is None:
            continue
        try:
            values[name] = capaian.to_fraction(raw)
        except capaian.AchievementError as exc:
            errors[name] = [ValidationError(str(exc), code="invalid")]
    if errors:
        raise ValidationError(errors)
    try:
        if "target_high" in values:
            result = capaian.achievement(
                capaian.Polarity.RANGE,
                values["target"],
                values["realisation"],
                target_high=values["target_high"],
                range_polarity=polarity,
            )
        else:
            result = capaian.achievement(polarity, values["target"], values["realisation"])
    except capaian.AchievementError as exc:
        raise ValidationError({"target": [ValidationError(str(exc), code="invalid")]}) from None
    return _result(result)  # type: ignore[return-value]  # ninja serialises the dataclass into the declared schema


def _summary(round_: Any) -> dict[str, Any]:
    figures = lke.round_score(round_).display()
    own, theirs = figures["self"], figures["evaluator"]
    return {
        "year": round_.year,
        "status": round_.status,
        "published": round_.is_published,
        "self_total": own["total"],  # type: ignore[index]  # the rows' JSON shape is dict[str, object]
        "self_grade": own["grade"],  # type: ignore[index]  # the rows' JSON shape is dict[str, object]
        "evaluator_total": theirs["total"],  # type: ignore[index]  # the rows' JSON shape is dict[str, object]
        "evaluator_grade": theirs["grade"],  # type: ignore[index]  # the rows' JSON shape is dict[str, object]
    }


@router.get("/sakip/{code}/lke", response=list[RoundSummaryOut], summary="The region's LKE rounds with totals and grades")
def rounds(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    region = _region(request, code)
    return [_summary(round_) for round_ in selectors.rounds(request.user, region)]


@router.get("/sakip/{code}/lke/{year}", response=RoundOut, summary="An LKE round's scores of both values")
def round_detail(request: HttpRequest, code: str, year: int) -> dict[str, Any]:
    region = _region(request, code)
    round_ = selectors.rounds(request.user, region).filter(year=year).first()
    if round_ is None:
        raise Http404
    score = lke.round_score(round_)
    figures = score.display()
    return {
        "year": round_.year,
        "template": round_.template,
        "template_version": round_.template_version,
        "method": round_.method,
        "status": round_.status,
        "published": round_.is_published,
        "self_assessment": figures["self"],
        "evaluator": figures["evaluator"],
        "gap": figures["gap"],
        "unanswered": figures["unanswered"],
        "violations": figures["violations"],
        "recommendations": [{"criterion": c, "text": t} for c, t in score.recommendations],
    }
