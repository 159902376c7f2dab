"""Service bundles: publishing a set of services, adopting it with an agency mapping, publishing the drafts.

Adopting reuses the catalogue's copy (`catalog.actions.copy_services`): each service of the bundle
becomes a draft of the adopting region with its provenance ("Adopted from Kabupaten Banyuwangi"),
assigned to the agency the model's agency is mapped onto. The mapping is suggested by name (the
same name, else the same short name, else the closest name above a threshold) and chosen by the
administrator; nothing is copied unless every agency is mapped and every service can be copied.
The decree number and date are then set on all the adoption's drafts at once and they are
published together, in one transaction: one draft that cannot be published stops them all, and
the review list names it.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections import OrderedDict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pendopo.catalog import actions as catalog_actions
from pendopo.catalog.models import Service, ServiceStandard, StandardStatus
from pendopo.lib import dates
from pendopo.regions.models import Agency, Region, User
from pendopo.regions.permissions import Action, can
from pendopo.setup.models import BundleAdoption, ServiceBundle

SIMILARITY = 0.75


def _words(name: str) -> str:
    return " ".join(word for word in name.lower().split() if word != "dan")


def suggest_agency(source: Agency, candidates: list[Agency]) -> Agency | None:
    """The adopting region's agency that most likely does what `source` does in the model region."""
    for agency in candidates:
        if agency.name.strip().lower() == source.name.strip().lower():
            return agency
    for agency in candidates:
        if source.short_name and agency.short_name.strip().lower() == source.short_name.strip().lower():
            return agency
    scored = [(difflib.SequenceMatcher(None, _words(source.name), _words(a.name)).ratio(), a.pk, a) for a in candidates]
    best = max(scored, default=None, key=lambda item: (item[0], -item[1]))
    return best[2] if best is not None and best[0] >= SIMILARITY else None


def bundle_agencies(bundle: ServiceBundle) -> list[Agency]:
    """The model region's agencies that hold the bundle's services, in name order."""
    agencies: OrderedDict[int, Agency] = OrderedDict()
    for service in bundle.services.select_related("agency").order_by("agency__name"):
        agencies.setdefault(service.agency_id, service.agency)
    return list(agencies.values())


def adopt_bundle(actor: User, region: Region, bundle: ServiceBundle, mapping: dict[int, Agency]) -> BundleAdoption:
    """Copy every published service of `bundle` into `region` as drafts, each with its mapped agency."""
    if not can(actor, Action.MANAGE, region):
        raise PermissionDenied(_("Only the region's administrator changes its setup."))
    if bundle.region_id == region.pk:
        raise ValidationError(_("This bundle is your own region's."), code="own_bundle")
    services = list(bundle.services.select_related("agency").order_by("code"))
    if not services:
        raise ValidationError(_("This bundle has no services."), code="empty")
    unmapped = sorted({s.agency.name for s in services if mapping.get(s.agency_id) is None})
    if unmapped:
        raise ValidationError(_("Choose a receiving agency for: %(names)s.") % {"names": ", ".join(unmapped)}, code="unmapped")
    picks = [catalog_actions.CopyPick(source=s, agency=mapping[s.agency_id]) for s in services]
    with transaction.atomic():
        copies = catalog_actions.copy_services(actor, region, picks)  # raises with errors per service code
        _copy_workflows(actor, region, bundle.region, services, copies)
        adoption = BundleAdoption.objects.create(region=region, bundle=bundle, adopted_by=actor)
        adoption.services.set(copies)
    return adoption


def _copy_workflows(actor: User, region: Region, model: Region, sources: list[Service], copies: list[Service]) -> None:
    """A service that runs on a workflow of its own in the model region brings that workflow along: the active
    version is copied into `region` (once per workflow, under the same code unless the region has another
    workflow by that code) and the copy runs on it. Services on the model's default get the region's default."""
    from pendopo.workflow.actions import create_definition
    from pendopo.workflow.models import WorkflowDefinition

    by_code = {service.code: service for service in sources}
    wanted = {service.workflow_code for service in sources if service.workflow_code}
    originals = {
        definition.code: definition
        for definition in WorkflowDefinition.objects.filter(
            region=model, code__in=wanted, status=WorkflowDefinition.Status.ACTIVE
        )
    }
    ours = {d.code: d for d in WorkflowDefinition.objects.filter(region=region, status=WorkflowDefinition.Status.ACTIVE)}
    taken = set(WorkflowDefinition.objects.filter(region=region).values_list("code", flat=True))
    made: dict[str, str] = {}
    for copy in copies:
        source = by_code.get(copy.source_service_code)
        original = originals.get(source.workflow_code) if source is not None else None
        if original is None:
            continue
        if original.code not in made:
            same = ours.get(original.code)
            if same is not None and same.definition == original.definition:
                made[original.code] = same.code
            else:
                code, n = original.code, 1
                while code in taken:
                    n += 1
                    code = f"{original.code[:46]}-{n}"
                create_definition(region, code, original.name, original.definition, actor=actor)
                taken.add(code)
                made[original.code] = code
        Service.objects.filter(pk=copy.pk).update(workflow_code=made[original.code])


def adoption_drafts(adoption: BundleAdoption) -> list[tuple[Service, ServiceStandard | None]]:
    services = list(adoption.services.select_related("agency").order_by("code"))
    drafts = {
        s.service_id: s
        for s in ServiceStandard.objects.filter(service__in=services, status=StandardStatus.DRAFT).order_by("version")
    }
    return [(service, drafts.get(service.pk)) for service in services]


def publish_adoption(
    actor: User, adoption: BundleAdoption, decree_number: str, decree_date: dt.date, effective_from: dt.date | None = None
) -> int:
    """Set the decree on every draft of the adoption and publish them together; errors name each service."""
    region = adoption.region
    if not can(actor, Action.MANAGE, region):
        raise PermissionDenied(_("Only the region's administrator changes its setup."))
    errors: dict[str, list[str]] = {}
    published = 0
    # A standard takes effect no earlier than the decree that adopts it.
    start = effective_from or max(dates.today(region.time_zone), decree_date)
    with transaction.atomic():
        for service, draft in adoption_drafts(adoption):
            if draft is None:
                continue
            draft.decree_number, draft.decree_date = decree_number, decree_date
            draft.save(update_fields=["decree_number", "decree_date"])
            try:
                with transaction.atomic():
                    catalog_actions.publish_standard(actor, draft, effective_from=start)
            except ValidationError as exc:
                errors[service.code] = exc.messages
                continue
            published += 1
        if errors:  # leaving the block by the exception rolls every publication back
            raise ValidationError(
                [
                    ValidationError("%(code)s: %(message)s", params={"code": code, "message": " ".join(messages)})
                    for code, messages in errors.items()
                ]
            )
        adoption.published_at = dates.now()
        adoption.save(update_fields=["published_at"])
    return published
