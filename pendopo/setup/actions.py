"""Every write of the region setup pages: one transaction each, the region's administrator only."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model
from django.utils.text import slugify
from django.utils.translation import gettext as _

from pendopo.lib import dates
from pendopo.regions.models import OfficeHours, Regency, Region, ServicePoint, User
from pendopo.regions.permissions import Action, can

logger = logging.getLogger(__name__)


def _check(actor: User, region: Region) -> None:
    if not can(actor, Action.MANAGE, region):
        raise PermissionDenied(_("Only the region's administrator changes its setup."))


def save_record(actor: User, region: Region, form: Any) -> Model:
    """Save a valid setup form (a region record or the region's profile) in one transaction."""
    _check(actor, region)
    with transaction.atomic():
        record = form.save()
    logger.info("Setup of region %s: %s %s saved by user %s.", region.code, type(record).__name__, record.pk, actor.pk)
    return record


def delete_record(actor: User, region: Region, record: Model) -> None:
    _check(actor, region)
    with transaction.atomic():
        record.delete()


def set_week(actor: User, region: Region, service_point: ServicePoint | None, days: list[dict[str, Any]]) -> None:
    """Replace the weekly office hours of the region (or of one of its service points) with `days`.

    One transaction: the old rows go and the new ones come together, so a calendar is never built
    from half a week. Saving each row (not bulk_create) clears the cached calendar through its signals.
    """
    _check(actor, region)
    with transaction.atomic():
        OfficeHours.objects.filter(region=region, service_point=service_point).delete()
        for day in days:
            if not day.get("is_open"):
                continue
            OfficeHours(
                region=region,
                service_point=service_point,
                weekday=day["weekday"],
                opens=day["opens"],
                closes=day["closes"],
                break_starts=day.get("break_starts"),
                break_ends=day.get("break_ends"),
            ).save()
        if service_point is not None and not service_point.has_own_hours:
            service_point.has_own_hours = True
            service_point.save(update_fields=["has_own_hours"])


def set_day(actor: User, region: Region, service_point: ServicePoint | None, day: dict[str, Any]) -> None:
    """Set one weekday of the region's (or a service point's) office hours, the other days unchanged."""
    _check(actor, region)
    with transaction.atomic():
        OfficeHours.objects.filter(region=region, service_point=service_point, weekday=day["weekday"]).delete()
        OfficeHours(
            region=region,
            service_point=service_point,
            weekday=day["weekday"],
            opens=day["opens"],
            closes=day["closes"],
            break_starts=day.get("break_starts"),
            break_ends=day.get("break_ends"),
        ).save()
        if service_point is not None and not service_point.has_own_hours:
            service_point.has_own_hours = True
            service_point.save(update_fields=["has_own_hours"])


def suggested_slug(regency: Regency) -> str:
    name = regency.name
    for word in ("Kabupaten ", "Kota "):
        if name.startswith(word) and regency.kind == "kabupaten":
            name = name[len(word) :]
    return slugify(name)[:60]


def suggested_prefix(regency: Regency) -> str:
    """Three capital letters from the name (JBR for Jember), made unique among the regions."""
    letters = "".join(c for c in suggested_slug(regency).upper() if c.isalpha())
    candidates = [letters[:1] + "".join(c for c in letters[1:] if c not in "AEIOU")[:2], letters[:3], letters[:4]]
    taken = set(Region.objects.values_list("prefix", flat=True))
    for candidate in candidates:
        if len(candidate) >= 2 and candidate not in taken:
            return candidate
    return ""


def add_region(actor: User, form: Any) -> Region:
    """Switch Pendopo on for a regency (platform team only); it starts inactive until it goes live."""
    if not actor.is_platform_admin:
        raise PermissionDenied(_("Only the platform team adds regions."))
    with transaction.atomic():
        region = form.save(commit=False)
        region.is_active = False
        region.switched_on_at = dates.now()
        region.save()
    logger.info("Region %s added by user %s.", region.code, actor.pk)
    return region


def go_live(actor: User, region: Region, live: bool) -> Region:
    """Publish (or withdraw) the region's public pages: its `is_active` flag."""
    _check(actor, region)
    with transaction.atomic():
        locked = Region.objects.select_for_update().get(pk=region.pk)
        if locked.is_active != live:
            locked.is_active = live
            locked.save(update_fields=["is_active"])
    return locked


def set_workflow_usage(actor: User, region: Region, code: str, services: list[Any], region_default: bool) -> None:
    """`services` run on the workflow `code` from now on (the others that did go back to the region's default);
    with `region_default` it is also the default of every service without a workflow of its own."""
    from pendopo.catalog.models import Service

    _check(actor, region)
    chosen = [service.pk for service in services if service.region_id == region.pk]
    with transaction.atomic():
        region = Region.objects.select_for_update().get(pk=region.pk)
        Service.objects.filter(region=region, workflow_code=code).exclude(pk__in=chosen).update(workflow_code="")
        Service.objects.filter(region=region, pk__in=chosen).update(workflow_code=code)
        if region_default:
            region.service_workflow_code = code
        elif region.service_workflow_code == code:
            region.service_workflow_code = ""
        region.save(update_fields=["service_workflow_code"])
    logger.info(
        "Setup of region %s: workflow %s runs %d services (default: %s), by user %s.",
        region.code,
        code,
        len(chosen),
        region_default,
        actor.pk,
    )


def copy_workflow(actor: User, region: Region, source: Any, name: str) -> Any:
    """A new service workflow of `region` named `name`, starting as a copy of the `source` version."""
    from django.core.exceptions import ValidationError

    from pendopo.applications.workflows import new_service_workflow_code
    from pendopo.workflow.actions import create_definition
    from pendopo.workflow.models import WorkflowDefinition

    _check(actor, region)
    code = new_service_workflow_code(name)
    if code == new_service_workflow_code(""):
        raise ValidationError(_("Give the new workflow a name with letters or digits."), code="name")
    if WorkflowDefinition.objects.filter(region=region, code=code).exists():
        raise ValidationError(_("The region already has a workflow with this name; choose another name."), code="taken")
    return create_definition(region, code, name, source.definition, actor=actor)
