"""Permission scopes of the setup app's models (the one resolver in regions/permissions.py)."""

from __future__ import annotations

from django.db.models import Q

from pendopo.regions.permissions import Scope, register_scope
from pendopo.setup.models import BundleAdoption, ServiceBundle

# An offered bundle of an active region is public: any region may adopt it.
register_scope(ServiceBundle, Scope(region="region_id", public=Q(is_published=True, region__is_active=True)))
register_scope(BundleAdoption, Scope(region="region_id"))
