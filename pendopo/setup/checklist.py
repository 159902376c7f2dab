"""What a region still lacks before it goes live: the checklist on its administrator's setup home.

Each item is a question answered by a few counting queries and a link to the page that fixes it;
an item clears as soon as the data is there, nothing is ticked by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from pendopo.accounts.models import Invitation
from pendopo.catalog.models import Service, ServiceStandard, StandardStatus
from pendopo.complaints.models import ComplaintCategory
from pendopo.lib import dates
from pendopo.regions.models import Agency, Membership, OfficeHours, Region, Role, ServicePoint
from pendopo.surveys.models import Poster
from pendopo.workflow.actions import DEFAULT_SERVICE_CODE
from pendopo.workflow.models import WorkflowDefinition


@dataclass(frozen=True)
class Item:
    key: str
    label: Promise
    done: bool
    url: str
    detail: str = ""


def checklist(region: Region) -> list[Item]:
    slug = region.slug
    agencies = Agency.objects.filter(region=region, is_active=True).count()
    points = ServicePoint.objects.filter(region=region, is_active=True)
    without_hours = list(
        points.filter(has_own_hours=True).annotate(rows=Count("office_hours")).filter(rows=0).values_list("name", flat=True)[:5]
    )
    published = ServiceStandard.objects.filter(service=OuterRef("pk"), status=StandardStatus.PUBLISHED)
    services = Service.objects.filter(region=region).aggregate(
        total=Count("pk"), published=Count("pk", filter=Q(Exists(published)))
    )
    staff = Membership.objects.filter(region=region, is_active=True, role__in=[Role.OFFICER, Role.HEAD]).exists() or (
        Invitation.objects.filter(
            region=region, accepted_at=None, expires_at__gt=dates.now(), role__in=[Role.OFFICER, Role.HEAD]
        ).exists()
    )
    active = set(
        WorkflowDefinition.objects.filter(region=region, status=WorkflowDefinition.Status.ACTIVE).values_list("code", flat=True)
    )
    fallback = bool(active & {region.service_workflow_code or DEFAULT_SERVICE_CODE, DEFAULT_SERVICE_CODE})
    # A service whose chosen workflow has no active version would quietly run on the default one; with no
    # default either, its applications cannot start at all.
    unrunnable = Service.objects.filter(region=region, is_active=True)
    unrunnable = unrunnable.exclude(workflow_code__in=active) if fallback else unrunnable
    if fallback:
        unrunnable = unrunnable.exclude(workflow_code="")
    without_workflow = list(unrunnable.order_by("name").values_list("name", flat=True)[:6])
    posters = Poster.objects.filter(region=region).count()
    return [
        Item(
            "profile",
            _("Region profile: address and a contact"),
            bool(region.address and (region.contact_email or region.contact_phone)),
            reverse("setup:profile", args=[slug]),
        ),
        Item("agencies", _("At least one agency"), agencies > 0, reverse("setup:list", args=[slug, "opd"])),
        Item(
            "service_points",
            _("At least one service point"),
            points.exists(),
            reverse("setup:list", args=[slug, "tempat-layanan"]),
        ),
        Item(
            "office_hours",
            _("The region's office hours"),
            OfficeHours.objects.filter(region=region, service_point=None).exists(),
            reverse("setup:hours", args=[slug]),
        ),
        Item(
            "point_hours",
            _("Hours for every service point that keeps its own"),
            not without_hours,
            reverse("setup:list", args=[slug, "tempat-layanan"]),
            ", ".join(without_hours),
        ),
        Item(
            "services",
            _("Services with a published standard"),
            services["published"] > 0,
            reverse("catalog:manage", args=[slug]),
            f"{services['published']}/{services['total']}",
        ),
        Item(
            "complaint_categories",
            _("At least one complaint category"),
            ComplaintCategory.objects.filter(region=region, is_active=True).exists(),
            reverse("setup:list", args=[slug, "kategori-pengaduan"]),
        ),
        Item(
            "workflows",
            _("Every service runs on an active workflow"),
            not without_workflow,
            reverse("setup:workflows", args=[slug]),
            ", ".join(without_workflow[:5]) + (" …" if len(without_workflow) > 5 else ""),
        ),
        Item("staff", _("Officers invited"), staff, reverse("accounts:staff", args=[slug])),
        Item(
            "survey",
            _("The survey link published: a QR poster printed"),
            posters > 0,
            reverse("surveys:poster", args=[slug]),
            str(posters) if posters else "",
        ),
    ]
