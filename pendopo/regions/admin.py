"""The admin site for region administrators, scoped through the permission resolver."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from pendopo.regions.models import Agency, CalendarOverride, Membership, OfficeHours, Region, ServicePoint, User
from pendopo.regions.permissions import Action, visible_to


class PendopoAdminSite(admin.AdminSite):
    site_header = _("Pendopo administration")
    site_title = _("Pendopo")
    index_title = _("Region administration")

    def has_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        user = request.user
        if not (user.is_active and user.is_authenticated):
            return False
        return user.is_platform_admin or any(m.role == "region_admin" for m in user.active_memberships)


admin_site = PendopoAdminSite(name="admin")


class ScopedAdmin(admin.ModelAdmin):
    """Every admin list and form sees only what the resolver allows."""

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return visible_to(request.user, super().get_queryset(request), Action.MANAGE)

    def has_module_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return admin_site.has_permission(request)

    def has_view_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return self._allowed(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return self._allowed(request, obj)

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return admin_site.has_permission(request)

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return self._allowed(request, obj)

    def _allowed(self, request, obj) -> bool:  # type: ignore[no-untyped-def]
        if not admin_site.has_permission(request):
            return False
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):  # type: ignore[no-untyped-def]
        related = db_field.related_model
        if related in (Region, Agency, ServicePoint):
            kwargs["queryset"] = visible_to(request.user, related._default_manager.all(), Action.MANAGE)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Region, site=admin_site)
class RegionAdmin(ScopedAdmin):
    list_display = ["regency", "prefix", "time_zone", "is_active"]
    search_fields = ["regency__name", "regency__code"]
    raw_id_fields = ["regency"]

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return request.user.is_platform_admin


@admin.register(Agency, site=admin_site)
class AgencyAdmin(ScopedAdmin):
    list_display = ["name", "short_name", "code", "region", "head_name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "short_name", "code"]


@admin.register(ServicePoint, site=admin_site)
class ServicePointAdmin(ScopedAdmin):
    list_display = ["name", "code", "kind", "region", "agency", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]
    raw_id_fields = ["village"]


@admin.register(OfficeHours, site=admin_site)
class OfficeHoursAdmin(ScopedAdmin):
    list_display = ["region", "service_point", "weekday", "opens", "closes", "break_starts", "break_ends"]


@admin.register(CalendarOverride, site=admin_site)
class CalendarOverrideAdmin(ScopedAdmin):
    list_display = ["region", "date", "kind", "name"]
    list_filter = ["kind"]


@admin.register(Membership, site=admin_site)
class MembershipAdmin(ScopedAdmin):
    list_display = ["user", "region", "role", "agency", "service_point", "is_active"]
    list_filter = ["role", "is_active"]
    raw_id_fields = ["user"]


@admin.register(User, site=admin_site)
class PendopoUserAdmin(UserAdmin):
    """Only platform administrators manage accounts directly; region admins manage memberships."""

    def has_module_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return request.user.is_platform_admin

    def has_view_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return request.user.is_platform_admin

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return request.user.is_platform_admin

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return request.user.is_platform_admin

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return request.user.is_platform_admin
