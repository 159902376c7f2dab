"""Region administrators enter the people served per month (where Pendopo's count of applications falls short);
responses and imports are read-only here."""

from __future__ import annotations

from django.contrib import admin

from pendopo.regions.admin import ScopedAdmin, admin_site
from pendopo.surveys.models import FollowUpPlan, ImportBatch, ServedCount, SurveyResponse


@admin.register(ServedCount, site=admin_site)
class ServedCountAdmin(ScopedAdmin):
    list_display = ["agency", "service", "year", "month", "served", "region"]
    list_filter = ["year", "month"]
    search_fields = ["agency__name", "service__name"]
    raw_id_fields = ["service"]


class ReadOnlyAdmin(ScopedAdmin):
    """Survey data changes only through its actions (the survey, the import, the report pages)."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SurveyResponse, site=admin_site)
class SurveyResponseAdmin(ReadOnlyAdmin):
    list_display = ["local_date", "service", "service_point", "channel", "u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9"]
    list_filter = ["channel", "year", "quarter"]
    list_select_related = ["service", "service_point"]
    show_full_result_count = False


@admin.register(ImportBatch, site=admin_site)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ["file_name", "service", "imported", "skipped", "created_by", "created_at"]
    list_select_related = ["service", "created_by"]


@admin.register(FollowUpPlan, site=admin_site)
class FollowUpPlanAdmin(ReadOnlyAdmin):
    list_display = ["agency", "period", "entered_by", "updated_at"]
