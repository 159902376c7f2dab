"""Admin pages: complaint categories (with their questions), response templates, and Open311 API keys.

A region administrator issues a key with "Add": the key is shown once, in the confirmation
message, and only its digest is stored; the action "Revoke" switches keys off.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from pendopo.complaints import actions, keys
from pendopo.complaints.models import ApiClient, CategoryAttribute, ComplaintCategory, ResponseTemplate
from pendopo.regions.admin import ScopedAdmin, admin_site


class AttributeInline(admin.TabularInline):
    model = CategoryAttribute
    extra = 0
    fields = ["order", "code", "description", "datatype", "required", "variable", "datatype_description", "values"]


@admin.register(ComplaintCategory, site=admin_site)
class ComplaintCategoryAdmin(ScopedAdmin):
    list_display = ["name", "code", "region", "agency", "verification_days", "follow_up_days", "tier", "is_active"]
    list_filter = ["tier", "is_active"]
    search_fields = ["name", "code"]
    inlines = [AttributeInline]
    raw_id_fields = ["service"]


@admin.register(ResponseTemplate, site=admin_site)
class ResponseTemplateAdmin(ScopedAdmin):
    list_display = ["title", "region", "category"]


@admin.register(ApiClient, site=admin_site)
class ApiClientAdmin(ScopedAdmin):
    list_display = ["name", "region", "key_prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    fields = ["region", "name", "contact", "key_prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["key_prefix", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "region"] if obj is not None else self.readonly_fields

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # revoke instead: the record of who held a key stays

    def save_model(self, request, obj, form, change) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        key, prefix = keys.new_key()
        obj.key_prefix, obj.key_hash, obj.created_by = prefix, keys.digest(key), request.user
        super().save_model(request, obj, form, change)
        self.message_user(
            request,
            _("The API key of %(name)s is %(key)s — copy it now: it is not stored and will not be shown again.")
            % {"name": obj.name, "key": key},
            messages.WARNING,
        )

    @admin.action(description=_("Revoke the selected API keys"))
    def revoke(self, request, queryset) -> None:
        count = 0
        for client in queryset.filter(revoked_at=None):
            actions.revoke_api_key(client, actor=request.user)
            count += 1
        self.message_user(request, _("%(count)s key(s) revoked.") % {"count": count})
