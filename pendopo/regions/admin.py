"""The admin site for region administrators, scoped through the permission resolver."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pendopo.regions.models import Agency, CalendarOverride, Membership, OfficeHours, Region, Role, ServicePoint, User
from pendopo.regions.permissions import Action, regions_managed_by, users_managed_by, visible_to

if TYPE_CHECKING:
    from django.contrib.admin.options import _FieldsetSpec  # django-stubs' alias of what get_fieldsets returns
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import ForeignKey, Model, QuerySet
    from django.forms import BaseInlineFormSet, ModelChoiceField
    from django.http import HttpRequest


def may_administer(user: User | AnonymousUser) -> bool:
    """Region administrators (by membership) and platform administrators; Django's `is_staff` plays no part."""
    if not (isinstance(user, User) and user.is_active):
        return False
    return user.is_platform_admin or any(m.role == Role.REGION_ADMIN for m in user.active_memberships)


class AdminLoginForm(AuthenticationForm):
    """The admin's login form; Django's own asks for `is_staff`, which region administrators do not have."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Enter the username and password of a region or platform administrator. Both are case-sensitive."),
    }

    def confirm_login_allowed(self, user: User) -> None:
        super().confirm_login_allowed(user)
        if not may_administer(user):
            # The same message as a wrong password: the form does not reveal which accounts exist.
            raise ValidationError(self.error_messages["invalid_login"], code="invalid_login")


class PendopoAdminSite(admin.AdminSite):
    site_header = _("Pendopo administration")
    site_title = _("Pendopo")
    index_title = _("Region administration")
    login_form = AdminLoginForm

    def has_permission(self, request: HttpRequest) -> bool:
        return may_administer(request.user)


admin_site = PendopoAdminSite(name="admin")


def _is_platform_admin(request: HttpRequest) -> bool:
    # The admin's login page builds the app list for an anonymous visitor too.
    return bool(getattr(request.user, "is_platform_admin", False))


def _limit_to_managed(db_field: ForeignKey[Any, Any], request: HttpRequest, kwargs: dict[str, Any]) -> None:
    """A choice of region, agency or service point offers only those the user manages."""
    related = db_field.related_model
    if related in (Region, Agency, ServicePoint):
        kwargs["queryset"] = visible_to(request.user, related._default_manager.all(), Action.MANAGE)


class ScopedAdmin(admin.ModelAdmin):
    """Every admin list and form sees only what the resolver allows."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return visible_to(request.user, super().get_queryset(request), Action.MANAGE)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return admin_site.has_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return admin_site.has_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request, obj)

    def _allowed(self, request: HttpRequest, obj: Model | None) -> bool:
        if not admin_site.has_permission(request):
            return False
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial: dict[str, Any] = super().get_changeform_initial_data(request)
        # A region administrator runs one region: it is the only sensible choice, so it is chosen.
        if "region" not in initial and any(f.name == "region" for f in self.model._meta.fields):
            managed = list(regions_managed_by(request.user).values_list("pk", flat=True)[:2])
            if len(managed) == 1:
                initial["region"] = managed[0]
        return initial

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        _limit_to_managed(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Region, site=admin_site)
class RegionAdmin(ScopedAdmin):
    list_display = ["regency", "prefix", "time_zone", "is_active"]
    search_fields = ["regency__name", "regency__code"]
    raw_id_fields = ["regency"]

    def has_add_permission(self, request: HttpRequest) -> bool:
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
    readonly_fields = ["created_at"]

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        if db_field.name == "user":
            # Only accounts the administrator already manages (or creates on the Users page):
            # binding someone else's account would put it, and its password, in their hands.
            kwargs["queryset"] = users_managed_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class MembershipInline(admin.TabularInline):
    """A user's roles, on the user's page; a region administrator gives roles in their region only."""

    model = Membership
    fk_name = "user"
    fields = ["region", "role", "agency", "service_point", "title", "is_active"]
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return visible_to(request.user, super().get_queryset(request), Action.MANAGE)

    def get_min_num(self, request: HttpRequest, obj: Model | None = None, **kwargs: Any) -> int:
        # A region administrator's new account needs a role in their region, or it would leave their reach.
        return 0 if _is_platform_admin(request) or obj is not None else 1

    def get_formset(
        self, request: HttpRequest, obj: Model | None = None, **kwargs: Any
    ) -> type[BaseInlineFormSet[Any, Any, Any]]:
        kwargs.setdefault("validate_min", True)
        formset = super().get_formset(request, obj, **kwargs)
        managed = list(regions_managed_by(request.user).values_list("pk", flat=True)[:2])
        if len(managed) == 1:
            formset.form.base_fields["region"].initial = managed[0]
        return formset

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        _limit_to_managed(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return admin_site.has_permission(request)

    has_change_permission = has_add_permission = has_delete_permission = has_view_permission


@admin.register(User, site=admin_site)
class PendopoUserAdmin(UserAdmin):
    """Accounts. A platform administrator manages all of them; a region administrator creates the
    accounts of their region's staff (with a role in the region) and manages those whose roles all
    lie in their region (`permissions.users_managed_by`), without Django's staff and superuser flags."""

    inlines = [MembershipInline]
    list_display = ["username", "full_name", "email", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["username", "full_name", "email"]
    ordering = ["username"]
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "full_name", "email", "usable_password", "password1", "password2")}),
    )
    region_fieldsets: _FieldsetSpec = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("full_name", "email")}),
        (_("Status"), {"fields": ("is_active", "last_login", "date_joined")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return users_managed_by(request.user)

    def get_fieldsets(self, request: HttpRequest, obj: Model | None = None) -> _FieldsetSpec:
        if obj is None or _is_platform_admin(request):
            fieldsets = super().get_fieldsets(request, obj)
            if obj is not None:  # the platform's own form, with the name Pendopo shows
                fieldsets = (
                    (None, {"fields": ("username", "password")}),
                    (_("Person"), {"fields": ("full_name", "email")}),
                    *fieldsets[2:],
                )
            return fieldsets
        return self.region_fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> tuple[str, ...]:
        return ("last_login", "date_joined") if obj is not None and not _is_platform_admin(request) else ()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return admin_site.has_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return admin_site.has_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # Staff leave by being switched off (is_active): their cases and audit events keep their name.
        return _is_platform_admin(request)

    def _allowed(self, request: HttpRequest, obj: Model | None) -> bool:
        if not admin_site.has_permission(request):
            return False
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()
