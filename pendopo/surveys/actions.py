"""Every write of survey data: a response, an import of paper surveys, a follow-up plan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from pendopo.lib import dates
from pendopo.regions.models import Agency, Region, ServicePoint
from pendopo.surveys import selectors
from pendopo.surveys.choices import ELEMENT_TABLE, AgeBand, Channel, Education, Occupation, Sex
from pendopo.surveys.ikm import MAX_SCORE, MIN_SCORE
from pendopo.surveys.importing import ParsedRow, ParseResult
from pendopo.surveys.models import (
    SUGGESTION_MAX_LENGTH,
    FollowUpPlan,
    ImportBatch,
    Poster,
    SurveyResponse,
    application_key,
    device_key,
    period_fields,
)
from pendopo.surveys.periods import Period

if TYPE_CHECKING:
    from pendopo.catalog.models import Service
    from pendopo.regions.models import User

IMPORT_BATCH_SIZE = 2_000
PROFILE = {"sex": Sex, "age": AgeBand, "education": Education, "occupation": Occupation}


def _check_unit(region: Region, service: Service, service_point: ServicePoint | None) -> None:
    if service.region_id != region.pk or not service.is_active:
        raise ValidationError({"service": _("Choose a service of this region.")}, code="service_region")
    if service_point is not None and (service_point.region_id != region.pk or not service_point.is_active):
        raise ValidationError({"service_point": _("Choose a service point of this region.")}, code="service_point_region")


def clean_scores(scores: Mapping[str, Any]) -> dict[str, int]:
    """The nine scores keyed u1..u9, each a whole number 1–4; any problem names its element."""
    errors: dict[str, str] = {}
    clean: dict[str, int] = {}
    for element in ELEMENT_TABLE:
        value = scores.get(element.field, scores.get(element.code))
        if value in (None, ""):
            errors[element.field] = _("Answer %(element)s.") % {"element": element.code}
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = 0
        if isinstance(value, bool) or str(number) != str(value).strip() or not MIN_SCORE <= number <= MAX_SCORE:
            errors[element.field] = _("%(element)s: choose one of the four answers (1 to 4).") % {"element": element.code}
            continue
        clean[element.field] = number
    if errors:
        raise ValidationError(errors, code="invalid_score")
    return clean


def clean_profile(profile: Mapping[str, Any]) -> dict[str, str]:
    clean: dict[str, str] = {}
    for name, choices in PROFILE.items():
        value = profile.get(name) or ""
        if value and value not in choices.values:
            raise ValidationError({name: _("Choose one of the answers given.")}, code="invalid_choice")
        clean[name] = value
    return clean


def submit_response(
    region: Region,
    *,
    service: Service,
    scores: Mapping[str, Any],
    channel: str,
    service_point: ServicePoint | None = None,
    profile: Mapping[str, Any] | None = None,
    suggestion: str = "",
    application_code: str | None = None,
    token: str = "",
    device: str = "",
) -> SurveyResponse:
    """Record one anonymous response. A second response for the same application is refused;
    the same questionnaire `token` twice (a double click, a resend) gives back the first.

    The same answers (scores, profile, suggestion, service) again from the same `device` within
    PENDOPO_SURVEY_REPEAT_MINUTES are kept but held for review: they do not count in any index
    until an administrator releases them (a person does not rate one visit twice in minutes).
    """
    if token and (earlier := SurveyResponse.with_held.filter(region=region, idempotency_key=token).first()) is not None:
        return earlier
    if channel not in Channel.values or channel == Channel.PAPER:
        raise ValidationError({"channel": _("Unknown channel.")}, code="invalid_channel")
    _check_unit(region, service, service_point)
    fields: dict[str, int | str] = {**clean_scores(scores), **clean_profile(profile or {})}
    suggestion = (suggestion or "").strip()
    if len(suggestion) > SUGGESTION_MAX_LENGTH:
        raise ValidationError(
            {"suggestion": _("Keep the suggestion under %(max)d characters.") % {"max": SUGGESTION_MAX_LENGTH}},
            code="too_long",
        )
    moment = dates.now()
    response = SurveyResponse(
        region=region,
        agency_id=service.agency_id,
        service=service,
        service_point=service_point,
        application_key=application_key(application_code) if application_code else None,
        suggestion=suggestion,
        channel=channel,
        submitted_at=moment,
        idempotency_key=token,
        device_key=device_key(device),
        **fields,
        **period_fields(moment.astimezone(ZoneInfo(region.time_zone)).date()),
    )
    if response.device_key and _repeats(response, moment):
        response.held_at = moment
    try:
        with transaction.atomic():
            if response.application_key and (
                SurveyResponse.with_held.filter(region=region, application_key=response.application_key).exists()
            ):
                raise _already_answered()
            response.save()
    except IntegrityError:
        if token and (earlier := SurveyResponse.with_held.filter(region=region, idempotency_key=token).first()) is not None:
            return earlier  # the same questionnaire raced in twice; the other request wrote it
        # Two submissions of one application raced past the check; the unique constraint decided.
        raise _already_answered() from None
    return response


def _repeats(response: SurveyResponse, moment: dt.datetime) -> bool:
    """Did this device send the very same answers within the repeat window?"""
    minutes = int(getattr(settings, "PENDOPO_SURVEY_REPEAT_MINUTES", 10))
    same = {element.field: getattr(response, element.field) for element in ELEMENT_TABLE}
    same.update({name: getattr(response, name) for name in ("sex", "age", "education", "occupation", "suggestion")})
    return SurveyResponse.with_held.filter(
        region_id=response.region_id,
        service_id=response.service_id,
        device_key=response.device_key,
        submitted_at__gte=moment - dt.timedelta(minutes=minutes),
        **same,
    ).exists()


def _already_answered() -> ValidationError:
    return ValidationError(_("This application has already been rated. Thank you!"), code="already_answered")


def import_responses(
    actor: User,
    region: Region,
    parsed: ParseResult,
    *,
    service: Service,
    file_name: str,
    survey_date: dt.date,
    service_point: ServicePoint | None = None,
    only_valid: bool = False,
) -> ImportBatch:
    """Save the rows of a checked paper-survey file, all in one transaction.

    With any invalid row nothing is saved unless `only_valid` is chosen; a problem with the
    file itself (a missing column, say) always stops the import.
    """
    run = start_import(
        actor,
        region,
        parsed,
        service=service,
        file_name=file_name,
        survey_date=survey_date,
        service_point=service_point,
        only_valid=only_valid,
    )
    for _saved in run:
        pass
    assert run.batch is not None  # noqa: S101 -- set when the iteration ends without an exception
    return run.batch


def start_import(
    actor: User,
    region: Region,
    parsed: ParseResult,
    *,
    service: Service,
    file_name: str,
    survey_date: dt.date,
    service_point: ServicePoint | None = None,
    only_valid: bool = False,
) -> ImportRun:
    """Check that the import may run (raises PermissionDenied or ValidationError) and return it, not yet run."""
    agency = service.agency
    if not selectors.may_read_responses(actor, agency):
        raise PermissionDenied(_("You may import surveys only for your own agency."))
    _check_unit(region, service, service_point)
    if parsed.file_error:
        raise ValidationError(_("The file cannot be imported: %(problem)s") % {"problem": parsed.problems[0]}, code="bad_file")
    if parsed.problem_count and not only_valid:
        raise ValidationError(
            _("%(count)d row(s) are not valid; nothing was imported.") % {"count": parsed.bad_rows}, code="invalid_rows"
        )
    if not parsed.rows:
        raise ValidationError(_("The file has no valid responses."), code="empty")
    if survey_date > dates.today(region.time_zone):
        raise ValidationError({"survey_date": _("The survey date cannot be in the future.")}, code="future")
    return ImportRun(actor, region, parsed, service, service_point, file_name, survey_date)


class ImportRun:
    """An import that reports its progress: iterating it saves the rows, in one transaction, and
    yields the number saved after each batch; `batch` is set once the transaction has committed.

    The transaction stays open between the yields: a consumer that stops early (the import
    page's browser went away) closes the iterator, and the whole import is rolled back.
    """

    def __init__(
        self,
        actor: User,
        region: Region,
        parsed: ParseResult,
        service: Service,
        service_point: ServicePoint | None,
        file_name: str,
        survey_date: dt.date,
    ) -> None:
        self.actor, self.region, self.parsed = actor, region, parsed
        self.service, self.service_point = service, service_point
        self.file_name, self.survey_date = file_name, survey_date
        self.batch: ImportBatch | None = None

    @property
    def total(self) -> int:
        return len(self.parsed.rows)

    def __iter__(self) -> Iterator[int]:
        with transaction.atomic():
            batch = ImportBatch.objects.create(
                region=self.region,
                agency_id=self.service.agency_id,
                service=self.service,
                service_point=self.service_point,
                file_name=self.file_name[:255],
                imported=len(self.parsed.rows),
                skipped=self.parsed.bad_rows,
                created_by=self.actor,
            )
            moment = dates.now()
            saved = 0
            for chunk in _chunks(self.parsed.rows, IMPORT_BATCH_SIZE):
                SurveyResponse.objects.bulk_create(
                    [_imported(row, batch, self.service, self.service_point, self.survey_date, moment) for row in chunk],
                    batch_size=IMPORT_BATCH_SIZE,
                )
                saved += len(chunk)
                yield saved
        self.batch = batch


def _chunks(rows: list[ParsedRow], size: int) -> Iterator[list[ParsedRow]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _imported(
    row: ParsedRow,
    batch: ImportBatch,
    service: Service,
    service_point: ServicePoint | None,
    survey_date: dt.date,
    moment: dt.datetime,
) -> SurveyResponse:
    day = row.date or survey_date
    return SurveyResponse(
        region_id=batch.region_id,
        agency_id=batch.agency_id,
        service_id=service.pk,
        service_point_id=service_point.pk if service_point else None,
        sex=row.sex,
        age=row.age,
        education=row.education,
        occupation=row.occupation,
        suggestion=row.suggestion,
        channel=Channel.PAPER,
        import_batch_id=batch.pk,
        submitted_at=moment,
        **dict(zip((element.field for element in ELEMENT_TABLE), row.scores, strict=True)),
        **period_fields(day),
    )


def save_follow_up_plan(actor: User, agency: Agency, period: Period, text: str) -> FollowUpPlan:
    """The agency head writes (or rewrites) what the agency will do about a period's results."""
    if not selectors.may_write_follow_up(actor, agency):
        raise PermissionDenied(_("Only the agency head or the region administrator writes the follow-up plan."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the follow-up plan.")}, code="required")
    with transaction.atomic():
        plan = FollowUpPlan.objects.select_for_update().filter(agency=agency, period=period.key).first()
        if plan is None:
            try:
                with transaction.atomic():
                    return FollowUpPlan.objects.create(
                        region_id=agency.region_id, agency=agency, period=period.key, text=text, entered_by=actor
                    )
            except IntegrityError:
                plan = FollowUpPlan.objects.select_for_update().get(agency=agency, period=period.key)
        plan.text, plan.entered_by, plan.updated_at = text, actor, dates.now()
        plan.save(update_fields=["text", "entered_by", "updated_at"])
    return plan


def record_poster(user: Any, region: Region, point: ServicePoint | None, service: Service | None) -> None:
    """Note that the region's staff printed the survey poster of this place (once per place; visitors' prints
    are not recorded). Called by the poster page."""
    from pendopo.regions.models import Membership

    if not getattr(user, "is_authenticated", False):
        return
    if not (user.is_superuser or Membership.objects.filter(user=user, region=region, is_active=True).exists()):
        return
    place = f"{point.pk if point else ''}:{service.pk if service else ''}"
    try:
        with transaction.atomic():
            Poster.objects.get_or_create(
                region=region, place=place, defaults={"service_point": point, "service": service, "printed_by": user}
            )
    except IntegrityError:  # printed at the same moment on another device: the other print is recorded
        pass
