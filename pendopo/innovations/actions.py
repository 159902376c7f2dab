"""Every write of the register: one transaction, the rows it changes locked, an audit event.

- an agency's staff create, edit, score and submit their agency's innovations (Action.ACT);
- the region's innovation team (region administrators) fills the SPD rows and verifies every row
  (Action.MANAGE);
- any region's staff adopt another region's published innovation (a replication).

Business rules raise `ValidationError` with a field name and a stable code; nothing is half-saved.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from pendopo.applications.uploads import check_upload
from pendopo.innovations import catalogue, own_data
from pendopo.innovations import workflow as verification
from pendopo.innovations.catalogue import SID, SPD, CatalogueError
from pendopo.innovations.models import Event, Innovation, Photo, Replication, Score, Stage, Status, Verdict
from pendopo.innovations.scoring import REPLICATION_ROW
from pendopo.lib import codes, dates
from pendopo.regions.permissions import Action, can

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from pendopo.catalog.models import Service
    from pendopo.regions.models import Agency, Region, User

# The register's own fields that a form may set (status, dates of the workflow, codes: never).
FIELDS = (
    "name",
    "period",
    "form",
    "stage",
    "initiated_on",
    "trial_on",
    "implemented_on",
    "developed_on",
    "kind",
    "initiator",
    "theme",
    "affair",
    "design",
    "goals",
    "benefits",
    "results",
    "budget",
    "location",
    "video_url",
)
STAGE_DATES = ("initiated_on", "trial_on", "implemented_on", "developed_on")
EVIDENCE_TYPES = ["pdf", "jpg", "png"]
PHOTO_TYPES = ["jpg", "png"]


def _event(
    region: Region, innovation: Innovation | None, kind: str, actor: User | None, note: str = "", indicator: str = ""
) -> None:
    Event.objects.create(region=region, innovation=innovation, kind=kind, actor=actor, note=note[:500], indicator=indicator)


def _require(actor: User | None, action: Action, obj: Any, message: str) -> None:
    if not can(actor, action, obj):
        raise PermissionDenied(message)


def _key() -> str:
    return secrets.token_hex(8)


def check_fields(region: Region, data: dict[str, Any]) -> None:
    """The register's rules beyond the field types: stage dates not in the future, a URL video link, a known period."""
    errors: dict[str, list[str]] = {}
    today = dates.today(region.time_zone)
    for name in STAGE_DATES:
        day = data.get(name)
        if isinstance(day, dt.date) and day > today:
            errors.setdefault(name, []).append(_("This date is in the future."))
    if data.get("stage") == Stage.IMPLEMENTATION and not data.get("implemented_on"):
        errors.setdefault("implemented_on", []).append(
            _("An innovation at the implementation stage needs its implementation date.")
        )
    if data.get("stage") == Stage.TRIAL and not data.get("trial_on"):
        errors.setdefault("trial_on", []).append(_("An innovation at the trial stage needs its trial date."))
    video = data.get("video_url") or ""
    if video:
        try:
            URLValidator(schemes=["http", "https"])(video)
        except ValidationError:
            errors.setdefault("video_url", []).append(_("The video link must be a web address (http:// or https://)."))
    period = data.get("period")
    if period is not None and period not in catalogue.years():
        errors.setdefault("period", []).append(
            _("There is no index catalogue for this period (known: %(known)s).")
            % {"known": ", ".join(map(str, catalogue.years()))}
        )
    budget = data.get("budget")
    if budget is not None and budget < 0:
        errors.setdefault("budget", []).append(_("The budget cannot be negative."))
    if errors:
        raise ValidationError(errors)


def _apply(innovation: Innovation, data: dict[str, Any]) -> None:
    for name, value in data.items():
        if name not in FIELDS:
            raise ValidationError({"__all__": _("Unknown innovation field: %(name)s.") % {"name": name}})
        setattr(innovation, name, value)


def _check_services(region: Region, services: list[Service] | None) -> None:
    if services and any(s.region_id != region.pk for s in services):
        raise ValidationError({"services": _("Choose services of this region's catalogue.")})


def create_innovation(
    actor: User,
    region: Region,
    agency: Agency,
    data: dict[str, Any],
    *,
    services: list[Service] | None = None,
    token: str = "",
) -> Innovation:
    """A new draft innovation of `agency`; the same `token` twice returns the first one (a double submit)."""
    if agency.region_id != region.pk:
        raise ValidationError({"agency": _("Choose an agency of this region.")})
    _require(actor, Action.ACT, agency, _("You may only add innovations of your own agency."))
    if token:
        existing = Innovation.objects.filter(created_by=actor, idempotency_key=token).first()
        if existing is not None:
            return existing
    check_fields(region, data)
    _check_services(region, services)
    innovation = Innovation(region=region, agency=agency, created_by=actor, idempotency_key=token[:64])
    _apply(innovation, data)
    innovation.code = codes.new_code(region.prefix)
    innovation.full_clean(exclude=["code", "services"])
    try:
        with transaction.atomic():
            innovation.save()
            if services:
                innovation.services.set(services)
            _event(region, innovation, Event.Kind.CREATED, actor)
    except IntegrityError:
        # The same token raced in from another request: that one won.
        existing = Innovation.objects.filter(created_by=actor, idempotency_key=token).first()
        if token and existing is not None:
            return existing
        raise
    return innovation


def _locked(innovation: Innovation) -> Innovation:
    return Innovation.objects.select_for_update(of=("self",)).select_related("region", "agency").get(pk=innovation.pk)


@transaction.atomic
def update_innovation(
    actor: User, innovation: Innovation, data: dict[str, Any], *, services: list[Service] | None = None
) -> Innovation:
    _require(actor, Action.ACT, innovation, _("You may only edit your own agency's innovations."))
    innovation = _locked(innovation)
    if not innovation.is_editable:
        raise ValidationError(_("A submitted innovation can be edited again only after the team returns it."), code="locked")
    check_fields(innovation.region, data)
    _check_services(innovation.region, services)
    _apply(innovation, data)
    innovation.updated_at = dates.now()
    innovation.full_clean(exclude=["services"])
    innovation.save()
    if services is not None:
        innovation.services.set(services)
    _event(innovation.region, innovation, Event.Kind.UPDATED, actor)
    return innovation


@dataclass
class Evidence:
    """What the agency (or the team, for SPD rows) enters for one row."""

    level: int | None = None
    basis: str = ""
    value: Decimal | None = None
    file: UploadedFile | None = None
    url: str = ""
    document_number: str = ""
    document_date: dt.date | None = None


def _check_row(
    period: catalogue.Period, aspect: str, code: str, evidence: Evidence, current: Score | None, region: Region
) -> int | None:
    try:
        indicator = period.indicator(aspect, code)
    except CatalogueError as exc:
        raise ValidationError({"__all__": str(exc)}, code=exc.code) from None
    if aspect == SID and code == REPLICATION_ROW:
        raise ValidationError(
            {"__all__": _("Row 31 (replication) is counted from the replication records, not entered.")}, code="computed"
        )
    errors: dict[str, list[str]] = {}
    level = evidence.level
    if indicator.bases:
        if not evidence.basis:
            errors.setdefault("basis", []).append(_("Choose exactly one basis for this row."))
        else:
            try:
                indicator.basis(evidence.basis)
            except CatalogueError:
                errors.setdefault("basis", []).append(_("Choose one of the bases listed."))
    elif evidence.basis:
        errors.setdefault("basis", []).append(_("This row has no bases."))
    if level is None and evidence.value is not None and not errors:
        level = indicator.level_for(evidence.value, evidence.basis)
        if level is None:
            errors.setdefault("value", []).append(_("This value reaches none of the row's levels."))
    if level is not None:
        try:
            indicator.score(level)
        except CatalogueError:
            errors.setdefault("level", []).append(_("The parameter level must be 1, 2 or 3."))
    if level is not None:
        has_file = evidence.file is not None or bool(current and current.evidence_file)
        if not has_file and not evidence.url:
            errors.setdefault("evidence_url", []).append(_("A score counts only with evidence: attach a file or give a link."))
        if not evidence.document_number.strip():
            errors.setdefault("document_number", []).append(_("Give the evidence document's number."))
        if evidence.document_date is None:
            errors.setdefault("document_date", []).append(_("Give the evidence document's date."))
        elif evidence.document_date > dates.today(region.time_zone):
            errors.setdefault("document_date", []).append(_("This date is in the future."))
    if evidence.url:
        try:
            URLValidator(schemes=["http", "https"])(evidence.url)
        except ValidationError:
            errors.setdefault("evidence_url", []).append(_("The evidence link must be a web address (http:// or https://)."))
    if evidence.file is not None:
        try:
            check_upload(evidence.file, extensions=EVIDENCE_TYPES)
        except ValidationError as exc:
            errors.setdefault("file", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return level


def _fingerprint(score: Score) -> tuple[Any, ...]:
    return (score.level, score.basis, score.value, score.evidence_url, score.document_number, score.document_date)


@transaction.atomic
def save_score(actor: User, target: Innovation | Region, period_year: int, aspect: str, code: str, evidence: Evidence) -> Score:
    """Fill one row; any change to the level or the evidence returns it to "waiting for verification"."""
    period = catalogue.period(period_year)
    if isinstance(target, Innovation):
        innovation: Innovation | None = target
        _require(actor, Action.ACT, target, _("You may only score your own agency's innovations."))
        innovation = _locked(target)
        if not innovation.is_editable:
            raise ValidationError(_("A submitted innovation's rows change again only after the team returns it."), code="locked")
        region = innovation.region
        if aspect != SID:
            raise ValidationError({"__all__": _("An innovation has only SID rows.")}, code="aspect")
    else:
        innovation, region = None, target
        _require(actor, Action.MANAGE, target, _("Only the region's innovation team fills the region's rows."))
        if aspect != SPD:
            raise ValidationError({"__all__": _("The region has only SPD rows.")}, code="aspect")
    current = (
        Score.objects.select_for_update()
        .filter(region=region, innovation=innovation, period=period.year, aspect=aspect, indicator=code)
        .first()
    )
    if innovation is not None and code in own_data.for_innovation(innovation):
        raise ValidationError(
            {"__all__": _("Row %(code)s is filled from Pendopo's own data, not entered.") % {"code": code}}, code="computed"
        )
    level = _check_row(period, aspect, code, evidence, current, region)
    score = current or Score(region=region, innovation=innovation, period=period.year, aspect=aspect, indicator=code, key=_key())
    before = _fingerprint(score) if current else None
    score.level = level
    score.basis = evidence.basis
    score.value = evidence.value
    score.evidence_url = evidence.url.strip()
    score.document_number = evidence.document_number.strip()
    score.document_date = evidence.document_date
    changed_file = evidence.file is not None
    if changed_file:
        checked = check_upload(evidence.file, extensions=EVIDENCE_TYPES)  # type: ignore[arg-type]  # Evidence.file is an UploadedFile, typed by the stubs as File
        score.evidence_file.save(f"{score.key}.{checked.extension}", evidence.file, save=False)  # type: ignore[arg-type]  # Evidence.file is an UploadedFile, typed by the stubs as File
        score.evidence_name = checked.original_name
    if before != _fingerprint(score) or changed_file:
        score.verdict = Verdict.WAITING
        score.note = ""
        score.verified_by = None
        score.verified_at = None
    score.updated_at = dates.now()
    score.save()
    _event(region, innovation, Event.Kind.SCORED, actor, indicator=code)
    return score


@transaction.atomic
def add_photo(actor: User, innovation: Innovation, upload: UploadedFile, caption: str = "") -> Photo:
    _require(actor, Action.ACT, innovation, _("You may only add photos to your own agency's innovations."))
    innovation = _locked(innovation)
    try:
        checked = check_upload(upload, extensions=PHOTO_TYPES)
    except ValidationError as exc:
        raise ValidationError({"photo": exc.messages}) from None
    photo = Photo(region=innovation.region, innovation=innovation, key=_key(), caption=caption[:200])
    photo.file.save(f"{photo.key}.{checked.extension}", upload, save=False)
    photo.save()
    _event(innovation.region, innovation, Event.Kind.PHOTO, actor)
    return photo


def submission_problems(innovation: Innovation) -> list[str]:
    """What blocks a submission (in the reader's language); the index's own eligibility is shown apart."""
    period = catalogue.period(innovation.period)
    reasons = []
    if innovation.design_words < period.design_words:
        reasons.append(
            _("The design text has %(words)s words; at least %(needed)s are needed.")
            % {"words": innovation.design_words, "needed": period.design_words}
        )
    today = dates.today(innovation.region.time_zone)
    if any(getattr(innovation, name) and getattr(innovation, name) > today for name in STAGE_DATES):
        reasons.append(_("A stage date is in the future."))
    filled = set(
        Score.objects.filter(innovation=innovation, period=innovation.period, level__isnull=False)
        .exclude(document_number="")
        .exclude(document_date=None)
        .values_list("indicator", flat=True)
    )
    missing = [row.code for row in period.sid if row.mandatory and row.code not in filled]
    if missing:
        reasons.append(_("Mandatory rows not filled with evidence: %(rows)s.") % {"rows": ", ".join(missing)})
    return reasons


@transaction.atomic
def submit(actor: User, innovation: Innovation) -> Innovation:
    """The agency submits (the first time, its verification case opens) or resubmits after a return."""
    _require(actor, Action.ACT, innovation, _("You may only submit your own agency's innovations."))
    innovation = _locked(innovation)
    if not innovation.is_editable:
        raise ValidationError(_("This innovation has already been submitted."), code="state")
    reasons = submission_problems(innovation)
    if reasons:
        raise ValidationError(reasons, code="ineligible")
    verification.submit(innovation, actor)
    innovation.submitted_at = dates.now()
    innovation.save(update_fields=["status", "submitted_at", "case"])
    _event(innovation.region, innovation, Event.Kind.SUBMITTED, actor)
    return innovation


@transaction.atomic
def verify_row(actor: User, score: Score, verdict: str, note: str = "") -> Score:
    """The team accepts or rejects one row (a rejection says why)."""
    _require(actor, Action.MANAGE, score.region, _("Only the region's innovation team verifies."))
    score = Score.objects.select_for_update(of=("self",)).select_related("innovation").get(pk=score.pk)
    if score.innovation is not None and score.innovation.status != Status.SUBMITTED:
        raise ValidationError(_("Only a submitted innovation's rows are verified."), code="state")
    if verdict not in (Verdict.ACCEPTED, Verdict.REJECTED):
        raise ValidationError({"verdict": _("Choose accept or reject.")})
    if verdict == Verdict.REJECTED and not note.strip():
        raise ValidationError({"note": _("Say why the row is rejected.")})
    if verdict == Verdict.ACCEPTED and not score.counts_claimed:
        raise ValidationError({"verdict": _("A row without a level and evidence cannot be accepted.")})
    score.verdict = verdict
    score.note = note.strip()[:500]
    score.verified_by = actor
    score.verified_at = dates.now()
    score.save(update_fields=["verdict", "note", "verified_by", "verified_at"])
    kind = Event.Kind.ACCEPTED if verdict == Verdict.ACCEPTED else Event.Kind.REJECTED
    _event(score.region, score.innovation, kind, actor, note, indicator=score.indicator)
    return score


@transaction.atomic
def finish_verification(actor: User, innovation: Innovation, *, approve: bool, note: str = "") -> Innovation:
    """Approve (verified and published) once no filled row is waiting, or return it for revision.

    The decision is an action of the innovation's case on the shared workflow engine.
    """
    _require(actor, Action.MANAGE, innovation.region, _("Only the region's innovation team verifies."))
    innovation = _locked(innovation)
    if innovation.status != Status.SUBMITTED:
        raise ValidationError(_("Only a submitted innovation is verified."), code="state")
    if approve:
        # Rows read from Pendopo's own data replace any hand entry and need no verdict.
        waiting = (
            Score.objects.filter(innovation=innovation, period=innovation.period, verdict=Verdict.WAITING)
            .exclude(level=None)
            .exclude(indicator__in=list(own_data.for_innovation(innovation)))
        )
        if waiting.exists():
            raise ValidationError(
                _("Decide every row first: %(rows)s still waiting.")
                % {"rows": ", ".join(waiting.order_by("pk").values_list("indicator", flat=True))},
                code="waiting",
            )
        verification.decide(innovation, actor, "approve", note.strip())
        innovation.verified_at = dates.now()
        innovation.published_at = innovation.published_at or innovation.verified_at
        kind = Event.Kind.VERIFIED
    else:
        if not note.strip():
            raise ValidationError({"note": _("Say what the agency must revise.")})
        verification.decide(innovation, actor, "return_for_revision", note.strip())
        kind = Event.Kind.RETURNED
    innovation.review_note = note.strip()
    innovation.save(update_fields=["status", "verified_at", "published_at", "review_note", "case"])
    _event(innovation.region, innovation, kind, actor, note)
    return innovation


COPIED = ("name", "form", "kind", "theme", "affair", "design", "goals", "benefits", "location")


@transaction.atomic
def replicate(
    actor: User,
    source: Innovation,
    region: Region,
    agency: Agency,
    *,
    inspiration: str,
    process: str,
    difference: str,
    agreement: str = "",
    agreed_on: dt.date | None = None,
    period: int | None = None,
    token: str = "",
) -> Replication:
    """`region` adopts `source`: a draft copy for `agency` with its provenance; its own evidence comes later."""
    if source.region_id == region.pk:
        raise ValidationError(_("A region cannot replicate its own innovation."), code="own")
    if not source.is_published:
        raise PermissionDenied(_("Only a published innovation can be replicated."))
    from pendopo.innovations.forms import ReplicationAspectsForm  # forms read this module's constants

    aspects = ReplicationAspectsForm({"inspiration": inspiration, "process": process, "difference": difference})
    if not aspects.is_valid():
        raise ValidationError(aspects.errors.as_data())
    inspiration, process, difference = (aspects.cleaned_data[name] for name in ("inspiration", "process", "difference"))
    if token:
        existing = Replication.objects.filter(adopted__created_by=actor, adopted__idempotency_key=token).first()
        if existing is not None:
            return existing
    data = {name: getattr(source, name) for name in COPIED}
    data.update(period=period or source.period, stage=Stage.INITIATIVE, initiator=source.initiator)
    adopted = create_innovation(actor, region, agency, data, token=token)
    replication = Replication.objects.create(
        region=region,
        source=source,
        source_region=source.region,
        adopted=adopted,
        inspiration=inspiration.strip(),
        process=process.strip(),
        difference=difference.strip(),
        agreement=agreement.strip(),
        agreed_on=agreed_on,
        created_by=actor,
    )
    _event(region, adopted, Event.Kind.REPLICATED, actor, f"{source.region} — {source.name}")
    return replication
