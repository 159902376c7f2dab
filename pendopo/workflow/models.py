"""Workflow definitions (versioned data), cases and their append-only event log."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Max, Q
from django.utils.translation import gettext_lazy as _

from pendopo.lib import dates
from pendopo.regions.models import Agency, Region, ServicePoint
from pendopo.workflow.definition import ActorRole, Outcome, StateSpec, WorkflowSpec, parse_definition


class WorkflowDefinition(models.Model):
    """One version of a region's workflow. Cases point at the version they started with.

    Only a draft can be edited in place; changing an active or retired version means saving a
    new version (actions.revise_definition, or the admin, which does that for you), so a case
    never finds its states and actions changed under it. Which version is active is read from the
    database each time, so a new version applies at once; the parsed form of a published version
    is kept per process (`spec`), since it never changes.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        ACTIVE = "active", _("active")
        RETIRED = "retired", _("retired")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="workflow_definitions", verbose_name=_("region"))
    code = models.SlugField(_("code"), max_length=50, help_text=_("Names the workflow across its versions, e.g. layanan-umum."))
    name = models.CharField(_("name"), max_length=200)
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    definition = models.JSONField(_("definition"), help_text=_("States, actions and escalation rules (see docs/workflow.md)."))
    created_at = models.DateTimeField(_("created at"), default=dates.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
        editable=False,
    )
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["region", "code", "-version"]
        verbose_name = _("workflow definition")
        verbose_name_plural = _("workflow definitions")
        constraints = [
            models.UniqueConstraint(fields=["region", "code", "version"], name="workflow_def_unique_version"),
            models.UniqueConstraint(
                fields=["region", "code"], condition=Q(status="active"), name="workflow_def_one_active_version"
            ),
        ]
        indexes = [models.Index(fields=["region", "code", "status"], name="workflow_def_region_idx")]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        spec = parse_definition(self.definition)
        self.definition = spec.as_json()
        self.__dict__["spec"] = spec
        if self.pk is not None and not self._state.adding:
            stored = WorkflowDefinition.objects.filter(pk=self.pk).values("status", "definition").first()
            if stored and stored["status"] != self.Status.DRAFT and stored["definition"] != self.definition:
                raise ValidationError(
                    _("This version is in use and cannot be changed; save the changes as a new version."),
                    code="definition_in_use",
                )
        if not self.version:
            latest = WorkflowDefinition.objects.filter(region_id=self.region_id, code=self.code).aggregate(v=Max("version"))["v"]
            self.version = (latest or 0) + 1
        if self.status == self.Status.ACTIVE and self.activated_at is None:
            self.activated_at = dates.now()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        try:
            parse_definition(self.definition)
        except ValidationError as exc:
            raise ValidationError({"definition": exc.error_list}) from None

    @cached_property
    def spec(self) -> WorkflowSpec:
        """The parsed definition; a published (active or retired) version is parsed once per process."""
        if self.pk is None or self.status == self.Status.DRAFT:
            return parse_definition(self.definition)
        key = (self._state.db, self.pk)
        found = _published_specs.get(key)
        if found is None:
            found = parse_definition(self.definition)
            if len(_published_specs) >= PUBLISHED_SPECS_MAX:
                _published_specs.clear()
            _published_specs[key] = found
        return found


# A published version's definition never changes (save() refuses it), and a WorkflowSpec is
# immutable (frozen pydantic models), so one parsed copy per process serves every request and thread.
PUBLISHED_SPECS_MAX = 1024
_published_specs: dict[tuple[str | None, int], WorkflowSpec] = {}


def published_spec(definition_id: int, using: str) -> WorkflowSpec:
    """The parsed definition of a published version by its id, read from database `using`: a query
    and a parse the first time in this process, nothing after (a case's version is always published)."""
    found = _published_specs.get((using, definition_id))
    if found is None:
        found = WorkflowDefinition.objects.using(using).only("status", "definition").get(pk=definition_id).spec
    return found


def clear_published_specs() -> None:
    """For tests, whose rolled-back rows may give a primary key to another definition."""
    _published_specs.clear()


class CaseKind(models.TextChoices):
    APPLICATION = "application", _("application")
    COMPLAINT = "complaint", _("complaint")
    AGREEMENT = "agreement", _("cooperation agreement")  # pendopo/cooperation
    INNOVATION = "innovation", _("regional innovation")  # pendopo/innovations: submission and verification


class Case(models.Model):
    """Anything that moves through a workflow under deadlines: an application, a complaint.

    The kind's own model (applications.Application, complaints.Complaint) holds a
    OneToOneField to its Case and adds its own fields. Workflow fields change only through
    pendopo.workflow.engine (start_case, apply_action, assign_case) and the sweep.
    """

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="cases", verbose_name=_("region"))
    kind = models.CharField(_("kind"), max_length=20, choices=CaseKind.choices)
    code = models.CharField(_("tracking code"), max_length=24, unique=True, editable=False)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="cases", verbose_name=_("agency")
    )
    service_point = models.ForeignKey(
        ServicePoint, on_delete=models.PROTECT, null=True, blank=True, related_name="cases", verbose_name=_("service point")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_cases",
        verbose_name=_("applicant"),
        help_text=_("The applicant or complainant; empty for an anonymous complaint or a walk-in without an account."),
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("assigned to"),
    )
    definition = models.ForeignKey(
        WorkflowDefinition, on_delete=models.PROTECT, related_name="cases", verbose_name=_("workflow version")
    )
    state = models.CharField(_("step"), max_length=50)
    state_entered_at = models.DateTimeField(_("step entered at"))
    received_at = models.DateTimeField(_("received at"))
    due_at = models.DateTimeField(_("deadline"), null=True, blank=True)
    state_due_at = models.DateTimeField(_("deadline of the step"), null=True, blank=True)
    time_limits = models.JSONField(_("time limits of this case"), default=dict, blank=True)
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True)
    paused_minutes_total = models.PositiveIntegerField(_("working minutes paused"), default=0)
    is_overdue = models.BooleanField(_("overdue"), default=False)
    overdue_since = models.DateTimeField(_("overdue since"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, blank=True, choices=[(o.value, o.value) for o in Outcome])
    lock_version = models.PositiveIntegerField(_("version"), default=1)
    # The number of its last event (`CaseEvent.seq`), kept by the one writer of events (engine.append_event
    # and the sweep's batch) under the case's row lock: the next event's number, and with `updated_at` what
    # the tracking page's ETag is made of. The database default serves rows inserted outside the ORM.
    last_seq = models.PositiveIntegerField(_("last event"), default=0, db_default=0, editable=False)
    created_at = models.DateTimeField(_("created at"), default=dates.now)
    updated_at = models.DateTimeField(_("updated at"), default=dates.now)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.CheckConstraint(condition=Q(closed_at=None) | Q(paused_at=None), name="case_closed_not_paused"),
        ]
        indexes = [
            # Officer inboxes: an agency's or a service point's cases in a step, by deadline.
            models.Index(fields=["region", "agency", "state", "state_due_at"], name="case_inbox_agency_idx"),
            models.Index(fields=["region", "service_point", "state", "state_due_at"], name="case_inbox_point_idx"),
            models.Index(
                fields=["region", "agency", "state_due_at"], condition=Q(closed_at=None), name="case_open_agency_due_idx"
            ),
            models.Index(fields=["region", "assigned_to", "state_due_at"], condition=Q(closed_at=None), name="case_assigned_idx"),
            # The overdue sweep, region by region: open, running cases past a deadline.
            models.Index(fields=["region", "state_due_at"], condition=Q(closed_at=None), name="case_sweep_state_due_idx"),
            models.Index(fields=["region", "due_at"], condition=Q(closed_at=None), name="case_sweep_due_idx"),
            # Metrics per period.
            models.Index(fields=["region", "kind", "received_at"], name="case_received_idx"),
            models.Index(fields=["region", "kind", "closed_at"], name="case_closed_idx"),
            # A citizen's own cases span regions, so this one is owner first.
            models.Index(fields=["owner", "received_at"], name="case_owner_idx"),
        ]

    def __str__(self) -> str:
        return self.code

    # --- reading the workflow -------------------------------------------------------------------

    @cached_property
    def spec(self) -> WorkflowSpec:
        return self.definition.spec

    @property
    def current_state(self) -> StateSpec:
        return self.spec.state(self.state)

    @property
    def state_label(self) -> str:
        return self.current_state.label

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None

    @property
    def expected_completion(self) -> Any:
        """The overall deadline, or None while the clock is paused (it moves when the applicant acts)."""
        return None if self.is_paused or self.is_closed else self.due_at

    def calendar(self) -> dates.WorkCalendar:
        return self.region.calendar(self.service_point)


class ImmutableEventError(RuntimeError):
    """Audit events are never updated or deleted."""


class CaseEventQuerySet(models.QuerySet["CaseEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise ImmutableEventError("Case events are append-only: they are never updated.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ImmutableEventError("Case events are append-only: they are never deleted.")


class CaseEvent(models.Model):
    """One line of a case's history: who did what, when, from which step to which, with what note.

    Append-only: saving an existing event or deleting one raises ImmutableEventError (cases,
    users and regions are protected from deletion while they have events).
    """

    # Events the engine writes that are not actions of the definition.
    START = "start"
    OVERDUE = "overdue"
    ESCALATE = "escalate"
    ASSIGN = "assign"
    REROUTE = "reroute"
    CORRECT = "correct"  # the applicant corrected answers the officer reopened (data: the field keys)
    SYSTEM_LABELS = {
        START: _("Received"),
        OVERDUE: _("Past its deadline"),
        ESCALATE: _("Escalated"),
        ASSIGN: _("Assigned"),
        REROUTE: _("Handed to another agency"),
        CORRECT: _("Answers corrected"),
    }

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events", verbose_name=_("case"))
    seq = models.PositiveIntegerField(_("number"))
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
        help_text=_("Empty for the system, or for an applicant without an account."),
    )
    actor_role = models.CharField(_("as"), max_length=20, choices=[(r.value, r.value) for r in ActorRole])
    action = models.CharField(_("action"), max_length=50)
    from_state = models.CharField(_("from step"), max_length=50, blank=True)
    to_state = models.CharField(_("to step"), max_length=50, blank=True)
    note = models.TextField(_("note"), blank=True)
    documents = models.JSONField(_("documents"), default=list, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    objects = CaseEventQuerySet.as_manager()

    class Meta:
        ordering = ["case", "seq"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="case_event_unique_seq")]
        indexes = [models.Index(fields=["region", "at"], name="case_event_region_idx")]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.seq} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ImmutableEventError("Case events are append-only: they are never updated.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableEventError("Case events are append-only: they are never deleted.")

    @property
    def label(self) -> str:
        """The action's label in the active language (from the case's own workflow version)."""
        if self.action in self.SYSTEM_LABELS:
            return str(self.SYSTEM_LABELS[self.action])
        action = self.case.spec.action(self.action)
        return action.label if action else self.action
