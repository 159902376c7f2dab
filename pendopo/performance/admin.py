"""Region administrators keep the plan (periods, goals, indicators, agreements, leadership seats) here;
targets, realisations and the LKE change only through their actions and pages."""

from __future__ import annotations

from django.contrib import admin

from pendopo.performance.models import (
    Agreement,
    EvaluationRound,
    EvaluatorSeat,
    Event,
    Goal,
    Indicator,
    LeadershipSeat,
    PlanningPeriod,
    Realisation,
)
from pendopo.regions.admin import ScopedAdmin, admin_site


@admin.register(PlanningPeriod, site=admin_site)
class PlanningPeriodAdmin(ScopedAdmin):
    list_display = ["name", "start_year", "end_year", "is_published", "region"]


@admin.register(Goal, site=admin_site)
class GoalAdmin(ScopedAdmin):
    list_display = ["code", "statement", "period", "region"]
    raw_id_fields = ["parent"]


@admin.register(Indicator, site=admin_site)
class IndicatorAdmin(ScopedAdmin):
    list_display = ["code", "name", "agency", "unit", "polarity", "source", "is_key", "region"]
    list_filter = ["polarity", "source", "is_key"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent", "goal"]


@admin.register(Agreement, site=admin_site)
class AgreementAdmin(ScopedAdmin):
    list_display = ["agency", "year", "head_name", "signed_on", "region"]
    filter_horizontal = ["indicators"]


@admin.register(LeadershipSeat, site=admin_site)
class LeadershipSeatAdmin(ScopedAdmin):
    list_display = ["user", "title", "region"]
    raw_id_fields = ["user"]


@admin.register(EvaluatorSeat, site=admin_site)
class EvaluatorSeatAdmin(ScopedAdmin):
    list_display = ["user", "title", "region"]
    raw_id_fields = ["user"]


class ReadOnlyAdmin(ScopedAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Realisation, site=admin_site)
class RealisationAdmin(ReadOnlyAdmin):
    list_display = ["indicator", "year", "quarter", "value", "achieved", "status", "region"]


@admin.register(EvaluationRound, site=admin_site)
class EvaluationRoundAdmin(ReadOnlyAdmin):
    list_display = ["year", "template", "template_version", "status", "is_published", "region"]


@admin.register(Event, site=admin_site)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["at", "verb", "subject", "actor", "region"]
