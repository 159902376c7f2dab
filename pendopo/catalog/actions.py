"""Every write to the catalogue: services, drafts, publication, copies between regions.

Each action checks the actor's permission with the one resolver, locks what it changes, writes
an audit event and either finishes completely or raises (one transaction, nothing half-saved).

Who may do what (regions/permissions.py roles):
- officer of the agency: create services of the agency, edit them and their drafts (Action.ACT);
- agency head: the same, and publish (Action.APPROVE);
- region administrator: everything in the region, copy from other regions, import (Action.MANAGE).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from pendopo.catalog.forms_schema import (
    normalise_form,
    normalise_requirements,
    validate_for_publication,
    validate_standard_content,
)
from pendopo.catalog.models import (
    CHANNEL_FIELDS,
    CONTENT_FIELDS,
    Service,
    ServiceEvent,
    ServiceStandard,
    StandardStatus,
)
from pendopo.lib import dates
from pendopo.regions.models import Agency, Region
from pendopo.regions.permissions import Action, can

if TYPE_CHECKING:
    from pendopo.regions.models import User

# Metadata of a service that its editors may change (code and region never change).
SERVICE_FIELDS = ("agency", "name", "category", "summary", "keywords", "is_active", *CHANNEL_FIELDS.values())
# Text components (empty until filled in).
TEXT_CONTENT_FIELDS = (
    "procedure",
    "fee_basis",
    "product",
    "complaint_handling",
    "legal_basis",
    "facilities",
    "officer_competence",
    "internal_supervision",
    "service_guarantee",
    "security_guarantee",
    "performance_evaluation",
)
# The standard's content a draft editor sets (status, version and publication are the actions' business).
STANDARD_FIELDS = (*(f for f in CONTENT_FIELDS if f != "effective_from"), "change_note")


def _deny(message: str) -> PermissionDenied:
    return PermissionDenied(message)


def _require(actor: User | None, action: Action, obj: Any, message: str) -> None:
    if not can(actor, action, obj):
        raise _deny(message)


def _event(service: Service, kind: str, actor: User | None, version: int | None = None, note: str = "") -> None:
    ServiceEvent.objects.create(
        region_id=service.region_id, service=service, kind=kind, actor=actor, version=version, note=note[:300]
    )


def _check_agency(region: Region, agency: Agency | None) -> None:
    if agency is None or agency.region_id != region.pk:
        raise ValidationError({"agency": _("Choose an agency of %(region)s.") % {"region": region.name}}, code="agency_region")


def _apply_channels(service: Service, channels: list[str] | None) -> None:
    if channels is None:
        return
    unknown = set(channels) - set(CHANNEL_FIELDS)
    if unknown:
        raise ValidationError({"channels": _("Unknown channel: %(names)s.") % {"names": ", ".join(sorted(unknown))}})
    for channel, field in CHANNEL_FIELDS.items():
        setattr(service, field, channel in channels)


def _full_clean_service(service: Service) -> None:
    service.full_clean(exclude=["published_standard", "source_region"], validate_unique=True, validate_constraints=True)


def _fill_standard(standard: ServiceStandard, data: dict[str, Any]) -> None:
    unknown = set(data) - set(STANDARD_FIELDS)
    if unknown:
        raise ValidationError(
            {"__all__": _("Unknown standard fields: %(names)s.") % {"names": ", ".join(sorted(unknown))}}, code="unknown"
        )
    for name, value in data.items():
        setattr(standard, name, value)


def clean_standard(standard: ServiceStandard) -> None:
    """Field-level checks (types, lengths) and the catalogue rules; requirements and form normalised."""
    errors: dict[str, list[str]] = {}
    try:
        standard.clean_fields(exclude=["service", "region", "created_by", "published_by", "requirements", "form"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        validate_standard_content(standard)
    except ValidationError as exc:
        # The catalogue's rule says what is wrong in its own words; Django's generic message for
        # the same field ("Ensure this value is greater than or equal to 0") would only repeat it.
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    standard.requirements = normalise_requirements(standard.requirements)
    standard.form = normalise_form(standard.form)


# --- services -------------------------------------------------------------------------------------


@transaction.atomic
def create_service(
    actor: User | None,
    region: Region,
    *,
    agency: Agency | None,
    code: str,
    name: str,
    channels: list[str] | None = None,
    standard: dict[str, Any] | None = None,
    **fields: Any,
) -> Service:
    """A new service with its first draft standard (version 1)."""
    _check_agency(region, agency)
    _require(actor, Action.ACT, agency, _("You may only add services of your own agency."))
    service = Service(region=region, agency=agency, code=(code or "").strip().upper(), name=(name or "").strip())
    for key, value in fields.items():
        if key not in SERVICE_FIELDS:
            raise ValidationError({"__all__": _("Unknown service field: %(name)s.") % {"name": key}})
        setattr(service, key, value)
    _apply_channels(service, channels)
    if service.code and Service.objects.filter(region=region, code=service.code).exists():
        raise ValidationError({"code": _("This region already has a service with this code.")}, code="duplicate")
    _full_clean_service(service)
    draft = ServiceStandard(region=region, version=1, created_by=actor)
    _fill_standard(draft, standard or {})
    clean_standard(draft)
    try:
        with transaction.atomic():
            service.save()
    except IntegrityError:
        raise ValidationError({"code": _("This region already has a service with this code.")}, code="duplicate") from None
    draft.service = service
    draft.save()
    _event(service, ServiceEvent.Kind.CREATED, actor, 1)
    return service


@transaction.atomic
def update_service(actor: User | None, service: Service, *, channels: list[str] | None = None, **fields: Any) -> Service:
    """Change what the catalogue says about a service (not its standard, which is versioned)."""
    service = Service.objects.select_for_update().select_related("region", "agency").get(pk=service.pk)
    _require(actor, Action.ACT, service, _("You may not edit this service."))
    for key, value in fields.items():
        if key not in SERVICE_FIELDS:
            raise ValidationError({"__all__": _("Unknown service field: %(name)s.") % {"name": key}})
        setattr(service, key, value)
    if "agency" in fields:
        _check_agency(service.region, fields["agency"])
        # Moving a service to another agency is the new agency's business too.
        _require(actor, Action.ACT, fields["agency"], _("You may not move a service to that agency."))
    _apply_channels(service, channels)
    _full_clean_service(service)
    service.updated_at = dates.now()
    service.save()
    _event(service, ServiceEvent.Kind.UPDATED, actor)
    return service


# --- standards: drafts, publication ---------------------------------------------------------------


def latest_standard(service: Service) -> ServiceStandard | None:
    return service.standards.order_by("-version").first()


def current_draft(service: Service) -> ServiceStandard | None:
    return service.standards.filter(status=StandardStatus.DRAFT).first()


@transaction.atomic
def start_draft(actor: User | None, service: Service) -> ServiceStandard:
    """The service's draft: the existing one, or a new version copied from the latest standard."""
    service = Service.objects.select_for_update().get(pk=service.pk)
    _require(actor, Action.ACT, service, _("You may not edit this service."))
    existing = current_draft(service)
    if existing is not None:
        return existing
    latest = latest_standard(service)
    version = (service.standards.aggregate(v=Max("version"))["v"] or 0) + 1
    draft = ServiceStandard(region_id=service.region_id, service=service, version=version, created_by=actor)
    if latest is not None:
        for name in STANDARD_FIELDS:
            setattr(draft, name, getattr(latest, name))
        draft.change_note = ""
    draft.save()
    _event(service, ServiceEvent.Kind.DRAFTED, actor, version)
    return draft


@transaction.atomic
def update_draft(actor: User | None, standard: ServiceStandard, data: dict[str, Any]) -> ServiceStandard:
    """Change a draft's content; a published or superseded standard is refused."""
    standard = ServiceStandard.objects.select_for_update().select_related("service").get(pk=standard.pk)
    _require(actor, Action.ACT, standard.service, _("You may not edit this service."))
    if standard.status != StandardStatus.DRAFT:
        raise ValidationError(_("A published standard cannot be changed; edit a new draft instead."), code="published")
    _fill_standard(standard, data)
    clean_standard(standard)
    standard.updated_at = dates.now()
    standard.save()
    _event(standard.service, ServiceEvent.Kind.DRAFT_EDITED, actor, standard.version)
    return standard


@transaction.atomic
def discard_draft(actor: User | None, standard: ServiceStandard) -> None:
    standard = ServiceStandard.objects.select_for_update().select_related("service").get(pk=standard.pk)
    _require(actor, Action.ACT, standard.service, _("You may not edit this service."))
    if standard.status != StandardStatus.DRAFT:
        raise ValidationError(_("Only a draft can be discarded."), code="published")
    if standard.service.published_standard_id is None and not standard.service.standards.exclude(pk=standard.pk).exists():
        raise ValidationError(_("The only version of a service that was never published cannot be discarded."), code="only")
    _event(standard.service, ServiceEvent.Kind.UPDATED, actor, standard.version, note="draft discarded")
    standard.delete()


@transaction.atomic
def publish_standard(
    actor: User | None, standard: ServiceStandard, *, effective_from: dt.date | None = None, check_permission: bool = True
) -> ServiceStandard:
    """Publish a draft: it becomes the service's standard from `effective_from` and supersedes the previous one."""
    service = Service.objects.select_for_update().select_related("region").get(pk=standard.service_id)
    standard = ServiceStandard.objects.select_for_update().get(pk=standard.pk)
    if check_permission:
        _require(actor, Action.APPROVE, service, _("Only the agency head or the region administrator may publish."))
    if standard.status != StandardStatus.DRAFT:
        raise ValidationError(_("This version is already published."), code="not_draft")
    today = dates.today(service.region.time_zone)
    standard.effective_from = effective_from or today
    validate_for_publication(standard)
    if standard.decree_date and standard.effective_from < standard.decree_date:
        raise ValidationError(
            {"effective_from": _("A standard cannot take effect before the decree that adopts it.")}, code="before_decree"
        )
    previous = ServiceStandard.objects.select_for_update().filter(service=service, status=StandardStatus.PUBLISHED).first()
    if previous is not None:
        if previous.effective_from and standard.effective_from < previous.effective_from:
            raise ValidationError(
                {
                    "effective_from": _("It cannot take effect before the version it replaces (%(date)s).")
                    % {"date": previous.effective_from.isoformat()}
                },
                code="before_previous",
            )
        previous.status = StandardStatus.SUPERSEDED
        previous.superseded_on = standard.effective_from
        previous.save(update_fields=["status", "superseded_on"])
        _event(service, ServiceEvent.Kind.SUPERSEDED, actor, previous.version)
    standard.status = StandardStatus.PUBLISHED
    standard.published_by = actor
    standard.published_at = dates.now()
    standard.save()
    service.published_standard = standard
    service.updated_at = dates.now()
    service.save(update_fields=["published_standard", "updated_at"])
    _event(service, ServiceEvent.Kind.PUBLISHED, actor, standard.version)
    return standard


# --- copying between regions ----------------------------------------------------------------------


@dataclass(frozen=True)
class CopyPick:
    """One service to copy and where it goes: the receiving agency and, if the code is taken, a new code."""

    source: Service
    agency: Agency | None  # None: none chosen, refused by copy_services with its message
    code: str = ""


@transaction.atomic
def copy_services(actor: User | None, target: Region, picks: list[CopyPick]) -> list[Service]:
    """Copy published services of another region into `target` as drafts that record where they came from.

    The receiving region adopts a copy by its own decree: the decree fields start empty.
    """
    _require(actor, Action.MANAGE, target, _("Only the region administrator may copy services into the region."))
    if not picks:
        raise ValidationError(_("Choose at least one service to copy."), code="empty")
    # Errors by source service code. Each one's `code` says what it is about, so that a page can show it
    # beside the input to change: `agency` (the receiving agency), `code_taken` and `code_invalid` (the new
    # code), `unpublished`, `same_region`, `invalid` (the service itself).
    errors: dict[str, list[ValidationError]] = {}
    copies: list[Service] = []
    seen_codes: set[str] = set()
    for pick in picks:
        source = Service.objects.select_related("region", "published_standard").filter(pk=pick.source.pk).first() or pick.source
        label = source.code
        standard = source.published_standard
        if standard is None or not source.is_active or not source.region.is_active:
            errors.setdefault(label, []).append(ValidationError(_("Only published services can be copied."), code="unpublished"))
            continue
        if source.region_id == target.pk:
            errors.setdefault(label, []).append(ValidationError(_("This service is already in your region."), code="same_region"))
            continue
        if pick.agency is None or pick.agency.region_id != target.pk:
            message = _("Choose a receiving agency of %(region)s.") % {"region": target.name}
            errors.setdefault(label, []).append(ValidationError(message, code="agency"))
            continue
        code = (pick.code or source.code).strip().upper()
        if code in seen_codes or Service.objects.filter(region=target, code=code).exists():
            message = _("Your region already has a service with code %(code)s; give the copy another code.") % {"code": code}
            errors.setdefault(label, []).append(ValidationError(message, code="code_taken"))
            continue
        seen_codes.add(code)
        service = Service(
            region=target,
            agency=pick.agency,
            code=code,
            name=source.name,
            category=source.category,
            summary=source.summary,
            keywords=source.keywords,
            channel_online=source.channel_online,
            channel_service_mall=source.channel_service_mall,
            channel_village_office=source.channel_village_office,
            source_region=source.region,
            source_service_code=source.code,
            source_version=standard.version,
            copied_at=dates.now(),
        )
        try:
            _full_clean_service(service)
        except ValidationError as exc:
            # A new code that is not a valid code belongs to the code; anything else to the service.
            errors.setdefault(label, []).extend(
                ValidationError(message, code="code_invalid" if field == "code" else "invalid")
                for field, messages in exc.message_dict.items()
                for message in messages
            )
            continue
        service.save()
        draft = ServiceStandard(region=target, service=service, version=1, created_by=actor)
        for name in STANDARD_FIELDS:
            setattr(draft, name, getattr(standard, name))
        draft.decree_number, draft.decree_date = "", None
        draft.change_note = _("Copied from %(region)s, %(code)s version %(version)d.") % {
            "region": source.region.name,
            "code": source.code,
            "version": standard.version,
        }
        draft.save()
        _event(service, ServiceEvent.Kind.COPIED, actor, 1, note=draft.change_note)
        copies.append(service)
    if errors:
        # Nothing is copied unless everything can be: the caller shows the errors by service.
        raise ValidationError(errors)
    return copies
