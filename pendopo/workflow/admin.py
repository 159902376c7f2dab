"""Admin pages: workflow definitions (validated JSON, versioned on save) and read-only cases."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pendopo.regions.admin import ScopedAdmin, admin_site
from pendopo.workflow import actions
from pendopo.workflow.definition import default_service_workflow, parse_definition
from pendopo.workflow.models import Case, CaseEvent, WorkflowDefinition


class PrettyJSONField(forms.JSONField):
    def prepare_value(self, value: Any) -> str:
        if isinstance(value, str):
            return value
        return json.dumps(value, ensure_ascii=False, indent=2)


class WorkflowDefinitionForm(forms.ModelForm):
    definition = PrettyJSONField(
        label=_("definition"),
        widget=forms.Textarea(attrs={"rows": 30, "cols": 110, "style": "font-family: monospace"}),
        help_text=_("States, actions and escalation rules as JSON; see docs/workflow.md. Checked when you save."),
    )
    activate = forms.BooleanField(
        label=_("make this the active version"),
        required=False,
        initial=True,
        help_text=_("New cases start on the active version; running cases keep theirs."),
    )

    class Meta:
        model = WorkflowDefinition
        fields = ["region", "code", "name", "definition"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = self.instance
        self.fields["activate"].initial = instance.pk is None or instance.status != WorkflowDefinition.Status.RETIRED


@admin.register(WorkflowDefinition, site=admin_site)
class WorkflowDefinitionAdmin(ScopedAdmin):
    form = WorkflowDefinitionForm
    list_display = ["name", "code", "version", "status", "region", "activated_at"]
    list_filter = ["status"]
    search_fields = ["name", "code"]
    readonly_fields = ["version", "status", "created_at", "created_by", "activated_at"]
    actions = ["activate_selected", "retire_selected"]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("definition", default_service_workflow())
        return initial

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # versions are kept: cases point at them

    @transaction.atomic
    def save_model(self, request, obj, form, change) -> None:
        activate = form.cleaned_data.get("activate", False)
        stored = WorkflowDefinition.objects.filter(pk=obj.pk).first() if change else None
        if stored is not None and stored.status != WorkflowDefinition.Status.DRAFT:
            if parse_definition(obj.definition).as_json() == stored.definition and stored.name == obj.name:
                if activate and stored.status != WorkflowDefinition.Status.ACTIVE:
                    actions.activate_definition(stored)
                return
            # An edit of a version in use becomes the next version: the same object is saved as a
            # new row, so the admin's redirect shows the new version.
            previous = stored.version
            obj.pk = None
            obj._state.adding = True
            obj.version = 0
            obj.status = WorkflowDefinition.Status.DRAFT
            obj.activated_at = None
            obj.created_by = request.user
            obj.save()
            if activate:
                actions.activate_definition(obj)
            self.message_user(
                request,
                gettext("Saved as version %(new)s; cases already running keep version %(old)s.")
                % {"new": obj.version, "old": previous},
                messages.INFO,
            )
            return
        if not change:
            obj.created_by = request.user
        obj.save()
        if activate:
            actions.activate_definition(obj)

    @admin.action(description=_("Make the selected versions active"))
    def activate_selected(self, request, queryset) -> None:
        for definition in queryset:
            actions.activate_definition(definition)

    @admin.action(description=_("Retire the selected versions"))
    def retire_selected(self, request, queryset) -> None:
        for definition in queryset:
            actions.retire_definition(definition)


_EVENT_FIELDS = ("seq", "at", "actor", "actor_role", "action", "from_state", "to_state", "note")


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    fields = _EVENT_FIELDS
    readonly_fields = _EVENT_FIELDS
    extra = 0
    can_delete = False
    ordering = ["seq"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Case, site=admin_site)
class CaseAdmin(ScopedAdmin):
    """Read-only: cases change through their actions, never by editing fields."""

    list_display = ["code", "kind", "region", "agency", "state", "state_due_at", "due_at", "is_overdue", "closed_at"]
    list_filter = ["kind", "is_overdue"]
    search_fields = ["code"]
    inlines = [CaseEventInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Case._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
