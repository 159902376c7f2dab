"""Admin pages: each region's retention policy, the record of retention runs, citizens' erasure requests.

A region administrator edits their region's policy; the runs are read only. Erasure requests are a
platform administrator's: accounts span regions. The actions "Carry out" and "Refuse" handle them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from pendopo.privacy import requests
from pendopo.privacy.models import ErasureRequest, RetentionPolicy, RetentionRun
from pendopo.regions.admin import ScopedAdmin, admin_site
from pendopo.regions.models import User


@admin.register(RetentionPolicy, site=admin_site)
class RetentionPolicyAdmin(ScopedAdmin):
    list_display = [
        "region",
        "applications_days",
        "complaints_days",
        "survey_answers_days",
        "uploads_days",
        "logs_days",
        "outbox_days",
        "sessions_days",
    ]
    exclude = ["updated_at"]


@admin.register(RetentionRun, site=admin_site)
class RetentionRunAdmin(ScopedAdmin):
    list_display = ["ran_at", "region", "trigger", "counts"]
    list_filter = ["trigger"]
    readonly_fields = ["region", "ran_at", "trigger", "counts"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _platform_admin(request: HttpRequest) -> bool:
    return isinstance(request.user, User) and request.user.is_active and request.user.is_superuser


@admin.register(ErasureRequest, site=admin_site)
class ErasureRequestAdmin(admin.ModelAdmin):
    list_display = ["requested_at", "state", "handled_at", "handled_by", "counts"]
    list_filter = ["state"]
    readonly_fields = ["user", "requested_at", "reason", "state", "handled_by", "handled_at", "counts"]
    actions = ["carry_out", "refuse"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _platform_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _platform_admin(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _platform_admin(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Carry out: erase the account's data"))
    def carry_out(self, request: HttpRequest, queryset: QuerySet[ErasureRequest]) -> None:
        self._each(request, queryset, requests.carry_out, _("%(count)d request(s) carried out."))

    @admin.action(description=_("Refuse"))
    def refuse(self, request: HttpRequest, queryset: QuerySet[ErasureRequest]) -> None:
        self._each(request, queryset, requests.refuse, _("%(count)d request(s) refused."))

    def _each(self, request: HttpRequest, queryset: QuerySet[ErasureRequest], act: Any, done: Any) -> None:
        if not isinstance(request.user, User):
            raise TypeError("the admin site lets only signed-in users through")
        count = 0
        for item in queryset:
            try:
                act(item, request.user)
                count += 1
            except ValidationError as exc:
                messages.error(request, exc.messages[0])
        messages.success(request, done % {"count": count})
