"""Every write of the performance app: one transaction each, locked, audited.

Bad input raises `ValidationError` with a message per field (a `code` each) and saves nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pendopo.applications.uploads import check_upload
from pendopo.lib import dates
from pendopo.performance import live, selectors
from pendopo.performance.achievement import Polarity
from pendopo.performance.models import (
    ANSWER_SCALES,
    Criterion,
    EvaluationRound,
    Event,
    Evidence,
    Indicator,
    Realisation,
    RoundStatus,
    Status,
    Target,
)
from pendopo.regions.permissions import Action, can

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from pendopo.regions.models import User

MAX_EVIDENCE_FILES = 5


def _audit(region_id: int, actor: User | None, verb: str, subject: str, **data: Any) -> None:
    Event.objects.create(region_id=region_id, actor=actor, verb=verb, subject=subject[:200], data=data, at=dates.now())


def _check_number(value: Decimal | None, field: str, errors: dict[str, list[ValidationError]]) -> None:
    if value is not None and value < 0:
        errors.setdefault(field, []).append(ValidationError(_("A negative figure is not allowed here."), code="negative"))


def set_target(
    actor: User, indicator: Indicator, year: int, quarter: int, value: Decimal | None, value_high: Decimal | None = None
) -> Target:
    """The target of a year (quarter 0) or a quarter; only the region's administrators set the plan's targets."""
    if not can(actor, Action.MANAGE, indicator):
        raise PermissionDenied
    errors: dict[str, list[ValidationError]] = {}
    if year not in indicator.period.years:
        errors["year"] = [ValidationError(_("The year is outside the planning period."), code="year")]
    if not 0 <= quarter <= 4:
        errors["quarter"] = [ValidationError(_("Give a quarter from 1 to 4, or 0 for the year."), code="quarter")]
    if indicator.polarity == Polarity.YES_NO:
        value = value_high = None
    elif value is None:
        errors["value"] = [ValidationError(_("Give the target."), code="required")]
    _check_number(value, "value", errors)
    _check_number(value_high, "value_high", errors)
    if indicator.polarity == Polarity.RANGE:
        if value_high is None:
            errors.setdefault("value_high", []).append(ValidationError(_("A range target needs its upper end."), code="required"))
        elif value is not None and value_high < value:
            errors.setdefault("value_high", []).append(
                ValidationError(_("The upper end of the range is below its lower end."), code="range")
            )
    elif value_high is not None:
        errors["value_high"] = [ValidationError(_("Only a range target has an upper end."), code="not_range")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        target, _created = Target.objects.select_for_update().update_or_create(
            indicator=indicator,
            year=year,
            quarter=quarter,
            defaults={"region_id": indicator.region_id, "value": value, "value_high": value_high},
        )
        _audit(indicator.region_id, actor, "target.set", str(target), value=str(value), value_high=str(value_high))
    return target


def quarter_has_begun(indicator: Indicator, year: int, quarter: int) -> bool:
    return dates.today(indicator.region.time_zone) >= live.period_of(year, quarter).first_day


def enter_realisation(
    actor: User,
    indicator: Indicator,
    year: int,
    quarter: int,
    *,
    value: Decimal | None = None,
    achieved: bool | None = None,
    explanation: str = "",
    files: Sequence[UploadedFile] = (),
) -> Realisation:
    """Enter (or correct, until verified) a quarter's realisation with its evidence files.

    A double submit updates the one realisation of the quarter; a verified quarter is closed.
    """
    if not selectors.may_enter(actor, indicator):
        raise PermissionDenied
    errors: dict[str, list[ValidationError]] = {}
    if year not in indicator.period.years:
        errors["year"] = [ValidationError(_("The year is outside the planning period."), code="year")]
    if not 1 <= quarter <= 4:
        errors["quarter"] = [ValidationError(_("Give a quarter from 1 to 4."), code="quarter")]
    elif not errors and not quarter_has_begun(indicator, year, quarter):
        errors["quarter"] = [ValidationError(_("This quarter has not begun yet."), code="future")]
    if indicator.polarity == Polarity.YES_NO:
        if achieved is None:
            errors["achieved"] = [ValidationError(_("Say whether the target was achieved."), code="required")]
        value = None
    else:
        achieved = None
        if value is None:
            errors["value"] = [ValidationError(_("Give the realisation."), code="required")]
        _check_number(value, "value", errors)
    if len(files) > MAX_EVIDENCE_FILES:
        errors["files"] = [ValidationError(_("At most %(count)s files.") % {"count": MAX_EVIDENCE_FILES}, code="too_many")]
    checked = []
    for upload in files:
        try:
            checked.append(check_upload(upload))
        except ValidationError as exc:
            errors.setdefault("files", []).append(
                ValidationError(f"{upload.name}: {' '.join(exc.messages)}", code=exc.code or "file")
            )
    if errors:
        raise ValidationError(errors)
    now = dates.now()
    with transaction.atomic():
        realisation = Realisation.objects.select_for_update().filter(indicator=indicator, year=year, quarter=quarter).first()
        if realisation is not None and realisation.status == Status.VERIFIED:
            raise ValidationError({"quarter": [ValidationError(_("This quarter is verified and closed."), code="closed")]})
        if realisation is None:
            realisation = Realisation(indicator=indicator, year=year, quarter=quarter, region_id=indicator.region_id)
        realisation.agency_id = indicator.agency_id
        realisation.value, realisation.achieved, realisation.explanation = value, achieved, explanation.strip()
        realisation.status, realisation.entered_by, realisation.entered_at = Status.SUBMITTED, actor, now
        realisation.save()
        for item in checked:
            evidence = Evidence(
                region_id=indicator.region_id,
                agency_id=indicator.agency_id,
                realisation=realisation,
                original_name=item.original_name,
                content_type=item.content_type,
                extension=item.extension,
                size=item.size,
                sha256=item.sha256,
                uploaded_by=actor,
                uploaded_at=now,
            )
            evidence.file.save(item.original_name, item.upload, save=False)
            evidence.save()
        _audit(
            indicator.region_id,
            actor,
            "realisation.enter",
            str(realisation),
            value=str(value),
            achieved=achieved,
            files=len(checked),
        )
    return realisation


def review_realisation(actor: User, realisation: Realisation, *, approve: bool, note: str = "") -> Realisation:
    """The agency head verifies a realisation (the quarter closes) or returns it for correction."""
    if not selectors.may_verify(actor, realisation):
        raise PermissionDenied
    with transaction.atomic():
        locked = Realisation.objects.select_for_update().get(pk=realisation.pk)
        if locked.status != Status.SUBMITTED:
            raise ValidationError(_("Only a realisation waiting for verification can be verified or returned."), code="state")
        if not approve and not note.strip():
            raise ValidationError({"note": [ValidationError(_("Say what to correct."), code="required")]})
        locked.status = Status.VERIFIED if approve else Status.RETURNED
        locked.verified_by, locked.verified_at, locked.head_note = (
            (actor, dates.now(), note.strip()) if approve else (None, None, note.strip())
        )
        locked.save(update_fields=["status", "verified_by", "verified_at", "head_note"])
        _audit(locked.region_id, actor, "realisation.verify" if approve else "realisation.return", str(locked), note=note.strip())
    return locked


# --- the evaluation worksheet -------------------------------------------------------------------


def answer_criterion(
    actor: User,
    criterion: Criterion,
    *,
    evaluator: bool,
    value: Decimal | None,
    note: str = "",
    recommendation: str | None = None,
    evidence: str | None = None,
) -> Criterion:
    """Record the self-assessment (the region's administrators) or the evaluator's value (the APIP) of a criterion."""
    round_ = EvaluationRound.objects.select_related("region").get(pk=criterion.subcomponent.component.round_id)
    if not selectors.may_answer(actor, round_.region, evaluator=evaluator):
        raise PermissionDenied
    if round_.status == RoundStatus.COMPLETED:
        raise ValidationError(_("This evaluation round is completed."), code="closed")
    scale = ANSWER_SCALES.get(criterion.scale, ANSWER_SCALES["graded"])
    if value is not None and value not in scale:
        allowed = ", ".join(f"{v.normalize()}" for v in scale)
        raise ValidationError({"value": [ValidationError(_("Answer one of %(values)s.") % {"values": allowed}, code="scale")]})
    with transaction.atomic():
        locked = Criterion.objects.select_for_update().get(pk=criterion.pk)
        if evaluator:
            locked.evaluator_value, locked.evaluator_note = value, note.strip()
        else:
            locked.self_value, locked.self_note = value, note.strip()
        if recommendation is not None:
            locked.recommendation = recommendation.strip()
        if evidence is not None:
            locked.evidence = evidence.strip()
        locked.save()
        _audit(locked.region_id, actor, "lke.evaluator" if evaluator else "lke.self", locked.code, value=str(value))
    return locked


def start_round(actor: User, region_id: int, year: int, template: str = "permenpanrb-88-2021") -> EvaluationRound:
    """A new evaluation round with its own copy of the worksheet (components, weights, criteria, rules)."""
    from pendopo.performance.worksheets import load
    from pendopo.regions.models import Region

    region = Region.objects.get(pk=region_id)
    if not can(actor, Action.MANAGE, region):
        raise PermissionDenied
    sheet = load(template)
    with transaction.atomic():
        if EvaluationRound.objects.select_for_update().filter(region=region, year=year).exists():
            raise ValidationError({"year": [ValidationError(_("This year already has an evaluation round."), code="duplicate")]})
        round_ = EvaluationRound.objects.create(
            region=region, year=year, template=sheet["template"], template_version=sheet["version"]
        )
        codes: dict[str, Criterion] = {}
        subs: dict[str, Any] = {}
        for component_data in sheet["components"]:
            component = round_.components.create(region=region, code=component_data["code"], name=component_data["name"])
            for sub_data in component_data["subcomponents"]:
                sub = component.subcomponents.create(
                    region=region, code=sub_data["code"], name=sub_data["name"], weight=Decimal(str(sub_data["weight"]))
                )
                subs[sub.code] = sub
                for number, text in enumerate(sub_data["criteria"], start=1):
                    scale = "yes_no"
                    if isinstance(text, dict):
                        text, scale = text["text"], text.get("scale", scale)
                    code = f"{sub.code}.{number}"
                    codes[code] = sub.criteria.create(region=region, code=code, text=text, scale=scale)
        for rule in sheet.get("rules", []):
            round_.rules.create(
                region=region,
                criterion=codes[rule["criterion"]],
                kind=rule["kind"],
                comparator_subcomponent=subs.get(rule.get("subcomponent", "")),
                comparator_criterion=codes.get(rule.get("comparator", "")),
                message=rule["message"],
            )
        _audit(region.pk, actor, "lke.start", str(round_), template=sheet["template"], version=sheet["version"])
    return round_


def set_round_status(actor: User, round_: EvaluationRound, status: str, *, publish: bool | None = None) -> EvaluationRound:
    if not can(actor, Action.MANAGE, round_.region):
        raise PermissionDenied
    with transaction.atomic():
        locked = EvaluationRound.objects.select_for_update().get(pk=round_.pk)
        locked.status = RoundStatus(status)
        if publish is not None:
            locked.is_published = publish
        locked.save(update_fields=["status", "is_published"])
        _audit(locked.region_id, actor, "lke.status", str(locked), status=status, published=locked.is_published)
    return locked
