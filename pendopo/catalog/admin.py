"""Read-only admin views of services, standards and their audit: every change goes through the officer pages
(the actions enforce versioning and publication rights), so the admin only helps to look things up."""

from __future__ import annotations

from django.contrib import admin

from pendopo.catalog.models import Service, ServiceEvent, ServiceStandard
from pendopo.regions.admin import ScopedAdmin, admin_site


class ReadOnlyScopedAdmin(ScopedAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Service, site=admin_site)
class ServiceAdmin(ReadOnlyScopedAdmin):
    list_display = ["name", "code", "agency", "region", "category", "published_standard", "is_active"]
    list_filter = ["category", "is_active"]
    search_fields = ["name", "code", "keywords"]
    list_select_related = ["agency", "region__regency", "published_standard__service"]


@admin.register(ServiceStandard, site=admin_site)
class ServiceStandardAdmin(ReadOnlyScopedAdmin):
    list_display = ["service", "version", "status", "effective_from", "superseded_on", "decree_number"]
    list_filter = ["status"]
    search_fields = ["service__name", "service__code", "decree_number"]
    list_select_related = ["service"]


@admin.register(ServiceEvent, site=admin_site)
class ServiceEventAdmin(ReadOnlyScopedAdmin):
    list_display = ["at", "service", "kind", "version", "actor", "note"]
    list_filter = ["kind"]
    list_select_related = ["service", "actor"]
