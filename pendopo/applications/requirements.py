"""What an officer checks on an application: the requirements of its standard and the form's file fields.

One row per requirement of the standard (slot `req-N`, N its position, uploaded or not) and
per file field of its form (slot: the field's key), in the standard's order. The slots are
those the documents are stored under (forms.requirement_slots, forms.to_input).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pendopo.lib.language import ui_is_english

if TYPE_CHECKING:
    from pendopo.catalog.models import ServiceStandard


@dataclass(frozen=True)
class Slot:
    slot: str
    label: str
    required: bool
    is_upload: bool


ANSWER_PREFIX = "answer-"
# Answers kept encrypted (NIK, phone) are not reopened for editing: the officer asks in the note.
NOT_REOPENED = {"file", "nik", "phone"}


def answer_slots_of(standard: ServiceStandard) -> list[Slot]:
    """The form's answers an officer may reopen for the applicant to correct (slot `answer-<key>`)."""
    english = ui_is_english()
    return [
        Slot(
            f"{ANSWER_PREFIX}{spec['key']}",
            str(spec.get("label_en" if english else "label_id") or spec["key"]),
            bool(spec.get("required")),
            False,
        )
        for spec in (standard.form or {}).get("fields", [])
        if spec.get("type") not in NOT_REOPENED
    ]


def requirement_slots_of(standard: ServiceStandard) -> list[Slot]:
    slots = [
        Slot(f"req-{number}", str(item.get("text", "")), bool(item.get("required", True)), bool(item.get("is_document_upload")))
        for number, item in enumerate(standard.requirements or [], start=1)
    ]
    english = ui_is_english()
    for spec in (standard.form or {}).get("fields", []):
        if spec.get("type") == "file":
            label = spec.get("label_en" if english else "label_id") or spec["key"]
            slots.append(Slot(spec["key"], str(label), bool(spec.get("required")), True))
    return slots
