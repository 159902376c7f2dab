"""Validation of workflow definitions: each rule refuses a definition that breaks it, naming the culprit."""

from __future__ import annotations

import copy
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation

from pendopo.workflow.definition import (
    default_complaint_workflow,
    default_service_workflow,
    parse_definition,
)
from pendopo.workflow.models import WorkflowDefinition


def minimal() -> dict:
    """new → done, with a rejection; valid."""
    return {
        "states": [
            {
                "key": "new",
                "label_id": "Baru",
                "label_en": "New",
                "kind": "start",
                "time_limit": {"value": 2, "unit": "working_days"},
            },
            {"key": "work", "label_id": "Proses", "label_en": "Work", "time_limit": {"value": 60, "unit": "working_minutes"}},
            {"key": "done", "label_id": "Selesai", "label_en": "Done", "kind": "terminal", "outcome": "completed"},
            {"key": "no", "label_id": "Ditolak", "label_en": "Rejected", "kind": "terminal", "outcome": "rejected"},
        ],
        "actions": [
            {"key": "take", "label_id": "Ambil", "label_en": "Take", "from": ["new"], "to": "work", "roles": ["officer"]},
            {
                "key": "finish",
                "label_id": "Selesaikan",
                "label_en": "Finish",
                "from": ["work"],
                "to": "done",
                "roles": ["officer"],
            },
            {"key": "refuse", "label_id": "Tolak", "label_en": "Refuse", "from": ["new", "work"], "to": "no", "roles": ["head"]},
        ],
    }


def problems(data, language="en") -> list[tuple[str | None, str]]:
    with translation.override(language):
        with pytest.raises(ValidationError) as caught:
            parse_definition(data)
        return [(e.code, e.message % e.params if e.params else str(e.message)) for e in caught.value.error_list]


def codes(data) -> list[str | None]:
    return [code for code, _ in problems(data)]


def test_defaults_and_minimal_are_valid():
    for data in (minimal(), default_service_workflow(), default_complaint_workflow()):
        spec = parse_definition(data)
        assert spec.start_state.kind == "start"


def test_default_service_workflow_has_the_steps_of_the_issue():
    spec = parse_definition(default_service_workflow())
    path = ["submitted"]
    for key in ("receive", "verify", "submit_for_approval", "approve"):
        path.append(spec.action(key).to)
    assert path == ["submitted", "verification", "processing", "approval", "completed"]
    assert spec.state("revision").kind == "waiting_applicant"
    assert spec.action("resubmit").to == "verification"
    assert spec.action("withdraw").roles == ["applicant"]
    assert spec.state(spec.action("reject").to).outcome == "rejected"


def test_default_complaint_workflow_follows_sp4n_lapor():
    spec = parse_definition(default_complaint_workflow())
    assert spec.start_state.key == "new"
    assert spec.start_state.time_limit.value == 3  # verification and forwarding: 3 working days
    assert spec.state("follow_up").time_limit.value == 5  # the agency's follow-up: 5 working days
    from_new = {action.key for action in spec.actions_from("new")}
    assert {"verify", "postpone", "not_our_authority", "archive"} <= from_new
    assert spec.state("not_our_authority").kind == "terminal"
    assert spec.action("not_our_authority").requires_note  # the referral note
    assert spec.action("reopen").to == "answered"
    assert spec.state("awaiting_confirmation").timeout_action == "close_unconfirmed"


def test_unreachable_state():
    data = minimal()
    data["states"].append({"key": "limbo", "label_id": "x", "label_en": "x", "time_limit": {"value": 1}})
    data["actions"].append(
        {"key": "out", "label_id": "x", "label_en": "x", "from": ["limbo"], "to": "done", "roles": ["officer"]}
    )
    assert problems(data) == [("unreachable_state", "The state “limbo” cannot be reached from the start state “new”.")]


def test_dead_end_is_refused():
    # "loop" can be entered and left, but only towards "stuck" and back: no way to finish.
    data = minimal()
    data["states"] += [
        {"key": "loop", "label_id": "x", "label_en": "x", "time_limit": {"value": 1}},
        {"key": "stuck", "label_id": "x", "label_en": "x", "time_limit": {"value": 1}},
    ]
    data["actions"] += [
        {"key": "to_loop", "label_id": "x", "label_en": "x", "from": ["work"], "to": "loop", "roles": ["officer"]},
        {"key": "a", "label_id": "x", "label_en": "x", "from": ["loop"], "to": "stuck", "roles": ["officer"]},
        {"key": "b", "label_id": "x", "label_en": "x", "from": ["stuck"], "to": "loop", "roles": ["officer"]},
    ]
    assert sorted(codes(data)) == ["dead_end", "dead_end"]
    assert any("“loop”" in message for _, message in problems(data))


def test_terminal_state_with_actions_or_time_limit():
    data = minimal()
    data["actions"].append(
        {"key": "undo", "label_id": "x", "label_en": "x", "from": ["done"], "to": "work", "roles": ["officer"]}
    )
    data["states"][2]["time_limit"] = {"value": 1, "unit": "working_days"}
    found = problems(data)
    assert ("terminal_has_actions", "The terminal state “done” has actions out (undo); a terminal state ends the case.") in found
    assert ("terminal_has_time_limit", "The terminal state “done” has a time limit; a terminal state has none.") in found


def test_missing_time_limit_but_not_for_waiting_states():
    data = minimal()
    del data["states"][1]["time_limit"]
    assert problems(data) == [("missing_time_limit", "The state “work” needs a time limit.")]
    data["states"][1]["kind"] = "waiting_applicant"
    parse_definition(data)


def test_action_without_role():
    data = minimal()
    data["actions"][1]["roles"] = []
    assert problems(data) == [("action_without_role", "The action “finish” has no role: say who may take it.")]


def test_unknown_target_and_source():
    data = minimal()
    data["actions"][1]["to"] = "nowhere"
    data["actions"][2]["from"] = ["new", "ghost"]
    found = codes(data)
    assert "unknown_target" in found
    assert "unknown_source" in found
    assert any("“finish” leads to the state “nowhere”" in message for _, message in problems(data))


def test_state_without_action_out():
    data = minimal()
    data["actions"][1]["from"] = data["actions"][2]["from"] = ["new"]
    assert problems(data) == [("no_action_out", "The state “work” has no action out, so a case there could never move.")]


def test_keys_unique_and_exactly_one_start():
    data = minimal()
    data["states"].append(copy.deepcopy(data["states"][1]))
    data["actions"].append(copy.deepcopy(data["actions"][0]))
    assert codes(data).count("duplicate_key") == 2
    data = minimal()
    data["states"][1]["kind"] = "start"
    assert "start_state_count" in codes(data)
    data["states"][0]["kind"] = data["states"][1]["kind"] = "normal"
    assert "start_state_count" in codes(data)


def test_outcomes_belong_to_terminal_states():
    data = minimal()
    del data["states"][2]["outcome"]
    data["states"][1]["outcome"] = "completed"
    assert sorted(codes(data)) == ["missing_outcome", "outcome_not_terminal"]


def test_timeout_action_must_be_a_system_action_out_of_the_state():
    data = minimal()
    data["states"][1]["kind"] = "waiting_applicant"
    data["states"][1]["timeout_action"] = "finish"  # not a system action
    assert codes(data) == ["invalid_timeout_action"]
    data["actions"][1]["roles"] = ["officer", "system"]
    parse_definition(data)
    data["states"][1]["timeout_action"] = "nope"
    assert codes(data) == ["unknown_action"]


def test_escalation_rules():
    data = minimal()
    data["escalation"] = [
        {"after_working_days": 2, "notify": ["head"]},
        {"after_working_days": 1, "notify": ["applicant"]},
        {"after_working_days": 3},
    ]
    assert sorted(codes(data)) == ["escalation_empty", "escalation_order", "escalation_role"]


def test_shape_errors_name_the_state():
    data = minimal()
    data["states"][1]["time_limit"] = {"value": 1, "unit": "hours"}
    data["actions"][0]["roles"] = ["mayor"]
    found = problems(data)
    assert {code for code, _ in found} == {"invalid_format"}
    assert any(message.startswith("state “work”, time_limit.unit:") for _, message in found)
    assert any(message.startswith("action “take”, roles.0:") for _, message in found)
    assert codes({"states": "nope"}) == ["invalid_format"]


def test_messages_are_translated():
    data = minimal()
    data["actions"][1]["roles"] = []
    assert problems(data, "en") == [("action_without_role", "The action “finish” has no role: say who may take it.")]
    ((code, message),) = problems(data, "id")
    assert code == "action_without_role" and "“finish”" in message


def test_labels_follow_the_language():
    spec = parse_definition(default_service_workflow())
    with translation.override("en"):
        assert spec.state("verification").label == "Document verification"
    with translation.override("id"):
        assert spec.state("verification").label == "Verifikasi berkas"


@pytest.mark.django_db
def test_model_refuses_an_invalid_definition(world):
    data = minimal()
    data["actions"][0]["roles"] = []
    definition = WorkflowDefinition(region=world.region_a, code="x", name="X", definition=data)
    with pytest.raises(ValidationError) as caught:
        definition.full_clean()
    assert "definition" in caught.value.message_dict
    with pytest.raises(ValidationError):
        definition.save()
    assert not WorkflowDefinition.objects.filter(code="x").exists()  # (the region has its defaults)


def test_check_workflow_command(tmp_path, capsys):
    good = tmp_path / "good.json"
    good.write_text(json.dumps(minimal()))
    call_command("check_workflow", str(good))
    assert "4" in capsys.readouterr().out
    bad_data = minimal()
    bad_data["actions"][1]["to"] = "nowhere"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(bad_data))
    with pytest.raises(CommandError):
        call_command("check_workflow", str(bad), "--json")
    result = json.loads(capsys.readouterr().out)
    assert result["valid"] is False
    assert "unknown_target" in {error["code"] for error in result["errors"]}
