"""Periodic jobs in the Pendopo admin, for platform administrators only (they are installation-wide)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from pendopo.regions.admin import admin_site
from pendopo.worker import actions, periodic
from pendopo.worker.models import PeriodicJob


@admin.register(PeriodicJob, site=admin_site)
class PeriodicJobAdmin(admin.ModelAdmin):
    list_display = ["name", "every_display", "is_enabled", "next_due_at", "last_enqueued_at", "is_registered"]
    list_filter = ["is_enabled"]
    search_fields = ["name", "task_path"]
    fields = [
        "name",
        "task_path",
        "every_display",
        "is_enabled",
        "next_due_at",
        "last_enqueued_at",
        "last_task_result_id",
        "is_registered",
        "created_at",
    ]
    readonly_fields = [
        "name",
        "task_path",
        "every_display",
        "last_enqueued_at",
        "last_task_result_id",
        "is_registered",
        "created_at",
    ]
    actions = ["run_soon"]

    @admin.display(description=_("interval"), ordering="every_seconds")
    def every_display(self, job: PeriodicJob) -> str:
        return str(job.every)

    @admin.display(description=_("registered in code"), boolean=True)
    def is_registered(self, job: PeriodicJob) -> bool:
        # Rows of jobs removed from the code stay (with their history) until deleted here.
        return job.name in periodic.registered()

    @admin.action(description=_("Run the selected jobs at the next check"))
    def run_soon(self, request, queryset) -> None:
        count = actions.run_jobs_soon(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d job will be enqueued at the next check.",
                "%(count)d jobs will be enqueued at the next check.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    def has_module_permission(self, request) -> bool:
        return bool(getattr(request.user, "is_platform_admin", False))

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request) -> bool:
        return False  # rows come from the jobs registered in code
