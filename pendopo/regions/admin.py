"""The admin site for region administrators, scoped through the permission resolver."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pendopo.regions.models import Agency, CalendarOverride, Membership, OfficeHours, Region, ServicePoint, User
from pendopo.regions.permissions import Action, regions_managed_by, visible_to


def may_administer(user) -> bool:  # type: ignore[no-untyped-def]
    """Region administrators (by membership) and platform administrators; Django's `is_staff` plays no part."""
    if not (user.is_active and user.is_authenticated):
        return False
    return user.is_platform_admin or any(m.role == "region_admin" for m in user.active_memberships)


class AdminLoginForm(AuthenticationForm):
    """The admin's login form; Django's own asks for `is_staff`, which region administrators do not have."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Enter the username and password of a region or platform administrator. Both are case-sensitive."),
    }

    def confirm_login_allowed(self, user) -> None:  # type: ignore[no-untyped-def]
        super().confirm_login_allowed(user)
        if not may_administer(user):
            # The same message as a wrong password: the form does not reveal which accounts exist.
            raise ValidationError(self.error_messages["invalid_login"], code="invalid_login")


class PendopoAdminSite(admin.AdminSite):
    site_header = _("Pendopo administration")
    site_title = _("Pendopo")
    index_title = _("Region administration")
    login_form = AdminLoginForm

    def has_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return may_administer(request.user)


admin_site = PendopoAdminSite(name="admin")


def _is_platform_admin(request) -> bool:  # type: ignore[no-untyped-def]
    # The admin's login page builds the app list for an anonymous visitor too.
    return bool(getattr(request.user, "is_platform_admin", False))


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

    def get_changeform_initial_data(self, request):  # type: ignore[no-untyped-def]
        initial = super().get_changeform_initial_data(request)
        # A region administrator runs one region: it is the only sensible choice, so it is chosen.
        if "region" not in initial and any(f.name == "region" for f in self.model._meta.fields):
            managed = list(regions_managed_by(request.user).values_list("pk", flat=True)[:2])
            if len(managed) == 1:
                initial["region"] = managed[0]
        return initial

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
        return _is_platform_admin(request)


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
        return _is_platform_admin(request)

    def has_view_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return _is_platform_admin(request)

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return _is_platform_admin(request)

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return _is_platform_admin(request)

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return _is_platform_admin(request)
