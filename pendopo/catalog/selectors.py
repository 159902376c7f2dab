"""Permission-scoped reads of services and standards, and the scopes that the resolver applies."""

from __future__ import annotations

from django.db.models import Q

from pendopo.catalog.models import Service, ServiceEvent, ServiceStandard, StandardStatus
from pendopo.regions.permissions import Scope, register_scope

# Published data is public: a service whose standard is published, and every published or
# superseded version of it (the history is public too). Drafts are staff-only.
register_scope(
    Service,
    Scope(
        region="region_id",
        agency="agency_id",
        public=Q(is_active=True, published_standard__isnull=False, region__is_active=True),
    ),
)
register_scope(
    ServiceStandard,
    Scope(
        region="region_id",
        agency="service__agency_id",
        public=Q(
            status__in=[StandardStatus.PUBLISHED, StandardStatus.SUPERSEDED],
            service__is_active=True,
            region__is_active=True,
        ),
    ),
)
register_scope(ServiceEvent, Scope(region="region_id", agency="service__agency_id"))
