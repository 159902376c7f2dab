"""Admin of the price data. National data (commodities, reference prices) is edited by platform
administrators only; a reference price is saved through `actions.save_reference` (no overlap).
Region administrators manage their markets, enumerators, weights, thresholds and alert rules;
entries, alerts and the audit are read-only here (they change through the pages' actions)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from pendopo.prices import actions
from pendopo.prices.models import (
    Alert,
    AlertRule,
    Commodity,
    CommodityWeight,
    EnumeratorAssignment,
    Intervention,
    Market,
    MonitoringSettings,
    PriceEntry,
    PriceEvent,
    ReferencePrice,
)
from pendopo.regions.admin import ScopedAdmin, admin_site
from pendopo.regions.permissions import signed_in


class NationalAdmin(admin.ModelAdmin):
    """National reference data: everyone in the admin reads it, platform administrators change it."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return admin_site.has_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return admin_site.has_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(getattr(request.user, "is_platform_admin", False))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(getattr(request.user, "is_platform_admin", False))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(getattr(request.user, "is_platform_admin", False))


class ReferenceInline(admin.TabularInline):
    model = ReferencePrice
    extra = 0
    fields = ("zone", "kind", "lower", "upper", "regulation", "valid_from", "valid_to")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Commodity, site=admin_site)
class CommodityAdmin(NationalAdmin):
    list_display = ["name", "variant", "unit", "family", "pihps_id", "panel_id", "is_active"]
    list_filter = ["family", "is_active"]
    search_fields = ["name", "variant", "code"]
    inlines = [ReferenceInline]


@admin.register(ReferencePrice, site=admin_site)
class ReferencePriceAdmin(NationalAdmin):
    list_display = ["commodity", "zone", "kind", "lower", "upper", "regulation", "valid_from", "valid_to"]
    list_filter = ["zone", "kind", "regulation"]
    list_select_related = ["commodity"]
    search_fields = ["commodity__name", "regulation"]

    def save_model(self, request: HttpRequest, obj: ReferencePrice, form: Any, change: bool) -> None:
        actions.save_reference(obj, signed_in(request))  # the admin site: a signed-in staff user


@admin.register(Market, site=admin_site)
class MarketAdmin(ScopedAdmin):
    list_display = ["name", "code", "kind", "agency", "region", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]


@admin.register(EnumeratorAssignment, site=admin_site)
class EnumeratorAssignmentAdmin(ScopedAdmin):
    list_display = ["user", "market", "region", "is_active"]
    list_select_related = ["user", "market"]
    raw_id_fields = ["user"]


@admin.register(MonitoringSettings, site=admin_site)
class MonitoringSettingsAdmin(ScopedAdmin):
    list_display = ["region", "jump_percent"]


@admin.register(CommodityWeight, site=admin_site)
class CommodityWeightAdmin(ScopedAdmin):
    list_display = ["commodity", "weight", "source", "region"]
    list_select_related = ["commodity"]


@admin.register(AlertRule, site=admin_site)
class AlertRuleAdmin(ScopedAdmin):
    list_display = ["commodity", "market", "kind", "threshold", "days", "cooldown_days", "exit_percent", "exit_days", "is_active"]
    list_filter = ["kind", "is_active"]
    list_select_related = ["commodity", "market"]


@admin.register(Intervention, site=admin_site)
class InterventionAdmin(ScopedAdmin):
    list_display = ["date", "kind", "commodity", "place", "quantity", "region"]
    list_filter = ["kind"]
    list_select_related = ["commodity"]


class ReadOnlyAdmin(ScopedAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PriceEntry, site=admin_site)
class PriceEntryAdmin(ReadOnlyAdmin):
    list_display = ["date", "market", "commodity", "price", "status", "outside_band", "jump", "source", "entered_by"]
    list_filter = ["status", "source"]
    list_select_related = ["market", "commodity", "entered_by"]
    date_hierarchy = "date"
    show_full_result_count = False


@admin.register(Alert, site=admin_site)
class AlertAdmin(ReadOnlyAdmin):
    list_display = ["opened_on", "commodity", "market", "status", "value", "ended_on"]
    list_filter = ["status"]
    list_select_related = ["commodity", "market"]


@admin.register(PriceEvent, site=admin_site)
class PriceEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "kind", "actor", "note"]
    list_filter = ["kind"]
    list_select_related = ["actor"]
