"""The workflow definition format (data, not code) and its validation.

A definition is JSON: states, actions between them and escalation rules (docs/workflow.md has
the format with an example). `parse_definition` checks the shape with pydantic and then the
rules a workflow must satisfy to be usable; it raises one django ValidationError listing every
problem, each naming the state or action it is about and carrying a stable code.

DIGIT's workflow service accepts definitions with dead ends (a state from which no terminal
state can be reached, so a case stuck there can never close); we refuse them.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, StringConstraints
from pydantic import ValidationError as PydanticValidationError

from pendopo.lib.language import ui_is_english


class ActorRole(StrEnum):
    """Who may take an action on a case (the roles of pendopo.regions, seen from one case)."""

    APPLICANT = "applicant"  # the case's owner: the applicant or the complainant
    OFFICER = "officer"  # an officer of the case's agency or service point
    HEAD = "head"  # the head of the case's agency or service point
    REGION_ADMIN = "region_admin"  # an administrator of the case's region (or a platform administrator)
    SYSTEM = "system"  # the engine itself: timeouts run by the sweep


STAFF_ROLES = frozenset({ActorRole.OFFICER, ActorRole.HEAD, ActorRole.REGION_ADMIN})


class StateKind(StrEnum):
    START = "start"
    NORMAL = "normal"
    WAITING_APPLICANT = "waiting_applicant"  # the clock of the case stops until the applicant acts
    TERMINAL = "terminal"


class Outcome(StrEnum):
    COMPLETED = "completed"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class TimeUnit(StrEnum):
    WORKING_DAYS = "working_days"
    WORKING_MINUTES = "working_minutes"


Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", min_length=1, max_length=50)]
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class _Labelled(_Spec):
    label_id: Label
    label_en: Label

    @property
    def label(self) -> str:
        """The label in the active language (Indonesian unless English is active)."""
        return self.label_en if ui_is_english() else self.label_id


class TimeLimit(_Spec):
    value: int = Field(ge=0, le=1_000_000)
    unit: TimeUnit = TimeUnit.WORKING_DAYS

    @classmethod
    def coerce(cls, value: TimeLimit | Mapping[str, Any] | tuple[int, str] | None) -> TimeLimit | None:
        """Accept a TimeLimit, {"value", "unit"}, or a (value, unit) pair."""
        if value is None or isinstance(value, TimeLimit):
            return value
        if isinstance(value, Mapping):
            return cls.model_validate(value)
        number, unit = value
        return cls(value=number, unit=TimeUnit(unit))

    def __str__(self) -> str:
        unit = _("working days") if self.unit == TimeUnit.WORKING_DAYS else _("working minutes")
        return f"{self.value} {unit}"


class StateSpec(_Labelled):
    key: Key
    kind: StateKind = StateKind.NORMAL
    time_limit: TimeLimit | None = None
    outcome: Outcome | None = None
    # An action (with the role "system") the sweep takes when the state's time limit passes;
    # for states that wait for the applicant, e.g. close a complaint nobody confirmed.
    timeout_action: Key | None = None

    @property
    def is_terminal(self) -> bool:
        return self.kind == StateKind.TERMINAL

    @property
    def is_waiting(self) -> bool:
        return self.kind == StateKind.WAITING_APPLICANT


class ActionSpec(_Labelled):
    key: Key
    from_: list[Key] = Field(default_factory=list, alias="from")
    to: Key
    roles: list[ActorRole] = Field(default_factory=list)
    requires_note: bool = False
    requires_document: bool = False


class EscalationRule(_Spec):
    """When a case has been overdue for `after_working_days`, notify roles and/or reassign it to the head."""

    after_working_days: int = Field(ge=0, le=1000)
    notify: list[ActorRole] = Field(default_factory=list)
    reassign_to_head: bool = False


class WorkflowSpec(_Spec):
    states: list[StateSpec]
    actions: list[ActionSpec] = Field(default_factory=list)
    escalation: list[EscalationRule] = Field(default_factory=list)

    _states: dict[str, StateSpec] = PrivateAttr(default_factory=dict)
    _actions: dict[str, ActionSpec] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any, /) -> None:
        self._states = {state.key: state for state in self.states}
        self._actions = {action.key: action for action in self.actions}

    def state(self, key: str) -> StateSpec:
        return self._states[key]

    def action(self, key: str) -> ActionSpec | None:
        return self._actions.get(key)

    def has_state(self, key: str) -> bool:
        return key in self._states

    @property
    def start_state(self) -> StateSpec:
        return next(state for state in self.states if state.kind == StateKind.START)

    def actions_from(self, state_key: str) -> list[ActionSpec]:
        return [action for action in self.actions if state_key in action.from_]

    def as_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)


# --- validation --------------------------------------------------------------------------------


def parse_definition(data: Any) -> WorkflowSpec:
    """The definition as a WorkflowSpec, or ValidationError listing every problem (with codes)."""
    try:
        spec = WorkflowSpec.model_validate(data)
    except PydanticValidationError as exc:
        raise ValidationError([_format_error(data, error) for error in exc.errors()]) from None
    problems = check_rules(spec)
    if problems:
        raise ValidationError(problems)
    return spec


def check_rules(spec: WorkflowSpec) -> list[ValidationError]:
    """Every rule a well-formed workflow must satisfy; an empty list when it does."""
    problems: list[ValidationError] = []

    def problem(message: Any, code: str, **params: Any) -> None:
        problems.append(ValidationError(message, code=code, params=params))

    for key in _duplicates(state.key for state in spec.states):
        problem(_("The state key “%(key)s” is used more than once."), "duplicate_key", key=key)
    for key in _duplicates(action.key for action in spec.actions):
        problem(_("The action key “%(key)s” is used more than once."), "duplicate_key", key=key)

    starts = [state.key for state in spec.states if state.kind == StateKind.START]
    if len(starts) != 1:
        problem(_("A workflow has exactly one start state; this one has %(count)s."), "start_state_count", count=len(starts))

    states = {state.key: state for state in spec.states}
    actions = {action.key: action for action in spec.actions}
    out: dict[str, list[ActionSpec]] = {key: [] for key in states}

    for action in spec.actions:
        if not action.roles:
            problem(_("The action “%(action)s” has no role: say who may take it."), "action_without_role", action=action.key)
        if not action.from_:
            problem(_("The action “%(action)s” starts from no state."), "action_without_source", action=action.key)
        if action.to not in states:
            problem(
                _("The action “%(action)s” leads to the state “%(state)s”, which does not exist."),
                "unknown_target",
                action=action.key,
                state=action.to,
            )
        for source in action.from_:
            if source not in states:
                problem(
                    _("The action “%(action)s” starts from the state “%(state)s”, which does not exist."),
                    "unknown_source",
                    action=action.key,
                    state=source,
                )
            else:
                out[source].append(action)

    for state in spec.states:
        if state.is_terminal:
            if out[state.key]:
                problem(
                    _("The terminal state “%(state)s” has actions out (%(actions)s); a terminal state ends the case."),
                    "terminal_has_actions",
                    state=state.key,
                    actions=", ".join(action.key for action in out[state.key]),
                )
            if state.time_limit is not None:
                problem(
                    _("The terminal state “%(state)s” has a time limit; a terminal state has none."),
                    "terminal_has_time_limit",
                    state=state.key,
                )
            if state.outcome is None:
                problem(
                    _("The terminal state “%(state)s” needs an outcome (completed, rejected or withdrawn)."),
                    "missing_outcome",
                    state=state.key,
                )
            if state.timeout_action:
                problem(_("The terminal state “%(state)s” cannot have a timeout action."), "timeout_not_allowed", state=state.key)
            continue
        if state.outcome is not None:
            problem(
                _("Only a terminal state has an outcome; “%(state)s” is not terminal."), "outcome_not_terminal", state=state.key
            )
        if not out[state.key]:
            problem(
                _("The state “%(state)s” has no action out, so a case there could never move."), "no_action_out", state=state.key
            )
        if state.time_limit is None and not state.is_waiting:
            problem(_("The state “%(state)s” needs a time limit."), "missing_time_limit", state=state.key)
        if state.timeout_action:
            _check_timeout(state, actions, problem)

    if len(starts) == 1:
        reachable = _reachable(starts[0], out, states)
        for state in spec.states:
            if state.key not in reachable:
                problem(
                    _("The state “%(state)s” cannot be reached from the start state “%(start)s”."),
                    "unreachable_state",
                    state=state.key,
                    start=starts[0],
                )

    finishing = _can_finish(out, states)
    for state in spec.states:
        if not state.is_terminal and out[state.key] and state.key not in finishing:
            problem(
                _("From the state “%(state)s” no terminal state can be reached: it is a dead end."), "dead_end", state=state.key
            )

    previous = -1
    for number, rule in enumerate(spec.escalation, start=1):
        if rule.after_working_days <= previous:
            problem(
                _("Escalation rule %(number)s must come after more working days than the rule before it."),
                "escalation_order",
                number=number,
            )
        previous = rule.after_working_days
        if not rule.notify and not rule.reassign_to_head:
            problem(
                _("Escalation rule %(number)s neither notifies anyone nor reassigns the case."), "escalation_empty", number=number
            )
        for role in rule.notify:
            if role not in STAFF_ROLES:
                problem(
                    _("Escalation rule %(number)s notifies “%(role)s”; only officer, head and region_admin can be notified."),
                    "escalation_role",
                    number=number,
                    role=role,
                )
    return problems


def _check_timeout(state: StateSpec, actions: Mapping[str, ActionSpec], problem: Any) -> None:
    action = actions.get(state.timeout_action or "")
    if action is None:
        problem(
            _("The timeout action “%(action)s” of the state “%(state)s” does not exist."),
            "unknown_action",
            state=state.key,
            action=state.timeout_action,
        )
        return
    if state.key not in action.from_ or ActorRole.SYSTEM not in action.roles:
        problem(
            _("The timeout action “%(action)s” must start from the state “%(state)s” and allow the role “system”."),
            "invalid_timeout_action",
            state=state.key,
            action=action.key,
        )
    if state.time_limit is None:
        problem(
            _("The state “%(state)s” has a timeout action but no time limit to run out."),
            "timeout_without_time_limit",
            state=state.key,
        )


def _duplicates(keys: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    repeated: list[str] = []
    for key in keys:
        if key in seen and key not in repeated:
            repeated.append(key)
        seen.add(key)
    return repeated


def _reachable(start: str, out: Mapping[str, list[ActionSpec]], states: Mapping[str, StateSpec]) -> set[str]:
    seen = {start}
    queue = deque([start])
    while queue:
        for action in out.get(queue.popleft(), []):
            if action.to in states and action.to not in seen:
                seen.add(action.to)
                queue.append(action.to)
    return seen


def _can_finish(out: Mapping[str, list[ActionSpec]], states: Mapping[str, StateSpec]) -> set[str]:
    """States from which some terminal state can be reached (walking the arrows backwards)."""
    incoming: dict[str, set[str]] = {key: set() for key in states}
    for source, actions in out.items():
        for action in actions:
            if action.to in incoming:
                incoming[action.to].add(source)
    finishing = {key for key, state in states.items() if state.is_terminal}
    queue = deque(finishing)
    while queue:
        for source in incoming[queue.popleft()]:
            if source not in finishing:
                finishing.add(source)
                queue.append(source)
    return finishing


def _format_error(data: Any, error: Mapping[str, Any]) -> ValidationError:
    return ValidationError(
        _("%(location)s: %(message)s"),
        code="invalid_format",
        params={"location": _describe_location(data, tuple(error.get("loc", ()))), "message": error.get("msg", "")},
    )


def _describe_location(data: Any, loc: tuple[Any, ...]) -> str:
    """'state “verification”, time_limit.unit' rather than 'states.2.time_limit.unit'."""
    if len(loc) >= 2 and loc[0] in ("states", "actions") and isinstance(loc[1], int):
        try:
            key = data[loc[0]][loc[1]].get("key")
        except (KeyError, IndexError, TypeError, AttributeError):
            key = None
        noun = "state" if loc[0] == "states" else "action"
        head = f"{noun} “{key}”" if key else f"{noun} {loc[1] + 1}"
        rest = ".".join(str(part) for part in loc[2:])
        return f"{head}, {rest}" if rest else head
    if len(loc) >= 2 and loc[0] == "escalation" and isinstance(loc[1], int):
        rest = ".".join(str(part) for part in loc[2:])
        return f"escalation rule {loc[1] + 1}" + (f", {rest}" if rest else "")
    return ".".join(str(part) for part in loc) or "definition"


def check_time_limit_overrides(spec: WorkflowSpec, overrides: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Per-case time limits of some states (a complaint category's tier); returned as JSON."""
    clean: dict[str, dict[str, Any]] = {}
    for key, value in overrides.items():
        if not spec.has_state(key) or spec.state(key).is_terminal:
            raise ValidationError(
                _("“%(state)s” is not a non-terminal state of this workflow."), code="unknown_state", params={"state": key}
            )
        limit = TimeLimit.coerce(value)
        if limit is not None:
            clean[key] = limit.model_dump(mode="json")
    return clean


# --- the default workflows ---------------------------------------------------------------------


def _state(key: str, label_id: str, label_en: str, kind: StateKind = StateKind.NORMAL, **extra: Any) -> dict[str, Any]:
    return {"key": key, "label_id": label_id, "label_en": label_en, "kind": kind.value, **extra}


def _days(value: int) -> dict[str, Any]:
    return {"value": value, "unit": TimeUnit.WORKING_DAYS.value}


def _action(
    key: str, label_id: str, label_en: str, sources: list[str], to: str, roles: list[ActorRole], **extra: Any
) -> dict[str, Any]:
    return {
        "key": key,
        "label_id": label_id,
        "label_en": label_en,
        "from": sources,
        "to": to,
        "roles": [role.value for role in roles],
        "requires_note": extra.get("requires_note", False),
        "requires_document": extra.get("requires_document", False),
    }


def default_service_workflow() -> dict[str, Any]:
    """submitted → verification → processing → approval → completed, with revision, rejection, withdrawal.

    The state time limits are a region's starting point; the overall deadline of an
    application comes from its service standard (start_case's overall_time_limit).
    """
    officer, head, applicant = ActorRole.OFFICER, ActorRole.HEAD, ActorRole.APPLICANT
    open_states = ["submitted", "verification", "processing", "approval", "revision"]
    return {
        "states": [
            _state("submitted", "Diajukan", "Submitted", StateKind.START, time_limit=_days(1)),
            _state("verification", "Verifikasi berkas", "Document verification", time_limit=_days(1)),
            _state("processing", "Diproses", "Processing", time_limit=_days(3)),
            _state("approval", "Menunggu persetujuan", "Awaiting approval", time_limit=_days(1)),
            _state("revision", "Perlu perbaikan oleh pemohon", "Revision by the applicant", StateKind.WAITING_APPLICANT),
            _state("completed", "Selesai", "Completed", StateKind.TERMINAL, outcome=Outcome.COMPLETED.value),
            _state("rejected", "Ditolak", "Rejected", StateKind.TERMINAL, outcome=Outcome.REJECTED.value),
            _state("withdrawn", "Dibatalkan pemohon", "Withdrawn", StateKind.TERMINAL, outcome=Outcome.WITHDRAWN.value),
        ],
        "actions": [
            _action(
                "receive", "Terima untuk verifikasi", "Receive for verification", ["submitted"], "verification", [officer, head]
            ),
            _action(
                "verify", "Berkas lengkap, proses", "Documents complete: process", ["verification"], "processing", [officer, head]
            ),
            _action(
                "return_for_revision",
                "Kembalikan untuk perbaikan",
                "Return for revision",
                ["verification", "processing"],
                "revision",
                [officer, head],
                requires_note=True,
            ),
            _action("resubmit", "Kirim ulang perbaikan", "Resubmit", ["revision"], "verification", [applicant]),
            _action(
                "submit_for_approval", "Ajukan persetujuan", "Submit for approval", ["processing"], "approval", [officer, head]
            ),
            _action("approve", "Setujui", "Approve", ["approval"], "completed", [head]),
            _action(
                "send_back",
                "Kembalikan ke proses",
                "Send back to processing",
                ["approval"],
                "processing",
                [head],
                requires_note=True,
            ),
            _action(
                "reject",
                "Tolak",
                "Reject",
                ["submitted", "verification", "processing"],
                "rejected",
                [officer, head],
                requires_note=True,
            ),
            _action("reject_at_approval", "Tolak", "Reject", ["approval"], "rejected", [head], requires_note=True),
            _action("withdraw", "Batalkan permohonan", "Withdraw the application", open_states, "withdrawn", [applicant]),
        ],
        "escalation": [
            {"after_working_days": 0, "notify": [head.value], "reassign_to_head": False},
            {"after_working_days": 2, "notify": [head.value, ActorRole.REGION_ADMIN.value], "reassign_to_head": True},
        ],
    }


def default_complaint_workflow() -> dict[str, Any]:
    """SP4N-LAPOR! (Perpres 76/2013, PermenPANRB 62/2018; shared/reference/regulations.md §3).

    The region administrator verifies a new report and forwards it to the agency within 3
    working days (or postpones it for missing information, marks it not our authority with a
    referral note, or archives it); the agency sets out its follow-up within 5 working days,
    then carries it out (14 working days here: the "needing supervision" tier; a complaint
    category may set its own tier through start_case's state_time_limits). When the agency
    reports it resolved, the complainant confirms or reopens within 10 working days; after that
    the system closes it. A postponed report the complainant does not complete within 10
    working days is archived.
    """
    officer, head, admin = ActorRole.OFFICER, ActorRole.HEAD, ActorRole.REGION_ADMIN
    applicant, system = ActorRole.APPLICANT, ActorRole.SYSTEM
    waiting = StateKind.WAITING_APPLICANT
    return {
        "states": [
            _state("new", "Menunggu verifikasi", "Awaiting verification", StateKind.START, time_limit=_days(3)),
            _state(
                "postponed",
                "Ditunda: menunggu kelengkapan dari pelapor",
                "Postponed: waiting for the complainant",
                waiting,
                time_limit=_days(10),
                timeout_action="archive_incomplete",
            ),
            _state("follow_up", "Diteruskan ke instansi", "Forwarded to the agency", time_limit=_days(5)),
            _state("answered", "Ditindaklanjuti", "Being followed up", time_limit=_days(14)),
            _state(
                "awaiting_confirmation",
                "Menunggu konfirmasi pelapor",
                "Waiting for the complainant's confirmation",
                waiting,
                time_limit=_days(10),
                timeout_action="close_unconfirmed",
            ),
            _state("resolved", "Selesai (dikonfirmasi pelapor)", "Resolved (confirmed)", StateKind.TERMINAL, outcome="completed"),
            _state("closed", "Selesai", "Closed", StateKind.TERMINAL, outcome="completed"),
            _state(
                "not_our_authority",
                "Bukan kewenangan (dirujuk)",
                "Not our authority (referred)",
                StateKind.TERMINAL,
                outcome="rejected",
            ),
            _state("archived", "Diarsipkan", "Archived", StateKind.TERMINAL, outcome="rejected"),
            _state("withdrawn", "Dicabut pelapor", "Withdrawn", StateKind.TERMINAL, outcome="withdrawn"),
        ],
        "actions": [
            _action(
                "verify", "Verifikasi dan teruskan ke instansi", "Verify and forward", ["new", "postponed"], "follow_up", [admin]
            ),
            _action("postpone", "Tunda", "Postpone", ["new"], "postponed", [admin], requires_note=True),
            _action(
                "complete_report",
                "Lengkapi laporan",
                "Complete the report",
                ["postponed"],
                "new",
                [applicant],
                requires_note=True,
            ),
            _action(
                "not_our_authority",
                "Bukan kewenangan (rujuk)",
                "Not our authority (refer)",
                ["new", "postponed"],
                "not_our_authority",
                [admin],
                requires_note=True,
            ),
            _action("archive", "Arsipkan", "Archive", ["new", "postponed"], "archived", [admin], requires_note=True),
            _action(
                "archive_incomplete",
                "Arsipkan (tidak dilengkapi)",
                "Archive (not completed)",
                ["postponed"],
                "archived",
                [system],
            ),
            _action(
                "respond",
                "Tanggapi dan tetapkan tindak lanjut",
                "Respond with the follow-up",
                ["follow_up"],
                "answered",
                [officer, head],
                requires_note=True,
            ),
            _action(
                "return_to_admin",
                "Kembalikan ke admin (salah instansi)",
                "Return to the administrator (wrong agency)",
                ["follow_up"],
                "new",
                [officer, head],
                requires_note=True,
            ),
            _action(
                "resolve",
                "Nyatakan selesai",
                "Report as resolved",
                ["follow_up", "answered"],
                "awaiting_confirmation",
                [officer, head],
                requires_note=True,
            ),
            _action(
                "confirm", "Konfirmasi selesai", "Confirm it is resolved", ["awaiting_confirmation"], "resolved", [applicant]
            ),
            _action("reopen", "Buka kembali", "Reopen", ["awaiting_confirmation"], "answered", [applicant], requires_note=True),
            _action(
                "close_unconfirmed",
                "Tutup (tanpa konfirmasi)",
                "Close (not confirmed in time)",
                ["awaiting_confirmation"],
                "closed",
                [system],
            ),
            _action(
                "withdraw",
                "Cabut laporan",
                "Withdraw the complaint",
                ["new", "postponed", "follow_up", "answered"],
                "withdrawn",
                [applicant],
            ),
        ],
        "escalation": [
            {"after_working_days": 0, "notify": [head.value], "reassign_to_head": False},
            {"after_working_days": 2, "notify": [head.value, admin.value], "reassign_to_head": False},
        ],
    }
